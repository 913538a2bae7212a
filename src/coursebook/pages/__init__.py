"""Page features: math as MathML, a light page on a phone, reading time, video, figures per language."""
