"""Read a notebook file as nbformat 4, or say exactly why it cannot be read.

nbformat does the work (upgrading old versions, validating against the schema); what is added here
is the message: the file, and the byte offset or the cell where it went wrong.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import nbformat
from nbformat.validator import ValidationError


class ImportRefused(Exception):
    """The notebook (or the place it would go) cannot be imported; the message says why and what to do."""


def read_notebook(path: Path, notes: list[str]) -> nbformat.NotebookNode:
    """The notebook at ``path`` as nbformat 4; a conversion from an older version is added to ``notes``."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportRefused(f"{path}: not UTF-8 text (byte {error.start}); a notebook is a UTF-8 JSON file.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        byte = len(text[: error.pos].encode("utf-8"))
        raise ImportRefused(
            f"{path}: not valid JSON at line {error.lineno}, column {error.colno} (byte {byte}): {error.msg}. "
            "Open it in Jupyter or Colab and save it again, or restore it from where it was downloaded."
        ) from None
    if not isinstance(data, dict) or not ("cells" in data or "worksheets" in data):
        raise ImportRefused(f"{path}: valid JSON, but not a Jupyter notebook (it has no list of cells).")
    major = data.get("nbformat")
    if not isinstance(major, int):
        raise ImportRefused(f"{path}: the notebook does not say its format version (no 'nbformat' number).")
    if major > 4:
        raise ImportRefused(f"{path}: nbformat {major} is newer than this importer reads (4); save it as version 4 in Jupyter.")
    if major < 3:
        raise ImportRefused(f"{path}: nbformat {major} is too old to convert reliably; open and save it in a current Jupyter first.")
    try:
        nb = nbformat.convert(nbformat.reader.reads(text), 4)  # nbformat.reads would log, not raise, on invalid cells
    except Exception as error:  # nbformat's readers raise several kinds for a malformed old notebook
        raise ImportRefused(f"{path}: could not read nbformat {major}: {error}") from None
    if major < 4:
        notes.append(f"converted from nbformat {major}.{data.get('nbformat_minor', 0)} to 4 (nbformat.convert)")
    with warnings.catch_warnings():  # normalize() warns about the very cell ids it adds
        warnings.simplefilter("ignore")
        nb = nbformat.from_dict(nbformat.validator.normalize(nb)[1])  # what nbformat itself repairs (missing cell ids)
    try:
        nbformat.validate(nb)
    except ValidationError as error:
        raise ImportRefused(f"{path}: {_where(error)}does not follow the notebook format: {error.message}.") from None
    return nb


def _where(error: ValidationError) -> str:
    """ "cell 4: " from the path of a schema error (cells are counted from 1, as Jupyter shows them)."""
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "cells" and isinstance(path[1], int):
        return f"cell {path[1] + 1}: "
    return ""
