"""Page features: local MathJax, book-wide figure numbers, reading time."""
