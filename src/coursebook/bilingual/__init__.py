"""Bilingual text: the {lang} blocks, the "한국어 · English" pair rule, the pair drift check, Korean spacing."""
