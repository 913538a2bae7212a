"""The build: `python -m coursebook build` (pipeline), its site check, preview server, chapter scaffold and repository copies."""
