"""The whole book as PDF, one per language, and the links to it."""
