"""The where-it-ran record: a chapter's code says which device (and library versions) it ran on.

The build sets COURSEBOOK_RUNINFO to a file per chapter; the page's stamp and the execution
status page show what was written there. Outside the build (a notebook, a test) nothing is written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

RUNINFO_VARIABLE = "COURSEBOOK_RUNINFO"
# The device variable the build sets and fingerprints unless _config.yml names another
# (`coursebook: device_variable:`); a course's own device picker reads the same one.
DEVICE_VARIABLE = "COURSEBOOK_DEVICE"


def record_run(device: str, versions: Mapping[str, str] = {}, environ: Mapping[str, str] = os.environ) -> None:
    """Record the device this chapter runs on, e.g. record_run("cuda (H100)", {"torch": "2.13.0"})."""
    path = environ.get(RUNINFO_VARIABLE)
    if path:
        Path(path).write_text(json.dumps({"device": device, **versions}))
