"""What a chapter's own code uses of the generator, in the book build and in a notebook (Colab) alike.

Standard library only (myst-nb and IPython are used when present), so that installing the course
from git gives a notebook everything it needs without the generator's build dependencies.
"""

from .glue import glue, glued
from .runinfo import DEVICE_VARIABLE, RUNINFO_VARIABLE, record_run

__all__ = ["DEVICE_VARIABLE", "RUNINFO_VARIABLE", "glue", "glued", "record_run"]
