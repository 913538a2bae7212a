"""The chapters as notebooks, for download and "Open in Colab"."""
