"""coursebook: a generator of executed, searchable, bilingual course books (Jupyter Book 1 / Sphinx / myst-nb).

Two faces: the command line (`python -m coursebook ...`, coursebook.cli) and the Sphinx extension that
_config.yml lists (`coursebook`, whose setup() registers the rest). Its settings are the `coursebook:`
section of _config.yml (coursebook.config, docs/configuration.md). A chapter's own code needs only
coursebook.runtime, which imports nothing of the generator's build dependencies (it runs in Colab).
Importing this package imports nothing either: each wing is imported where it is used.
"""

__version__ = "0.1.0"


def setup(app):
    """The Sphinx extension: every feature's Sphinx side."""
    from .extension import setup as setup_features

    return setup_features(app)
