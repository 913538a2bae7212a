"""Page features: math as MathML, a light page on a phone, book-wide figure numbers, reading time, video, figures per language."""
