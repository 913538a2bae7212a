"""Search that finds Korean words with particles and endings."""
