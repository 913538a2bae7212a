"""The reader: the language switch, bilingual headings, the theme's words in both languages."""
