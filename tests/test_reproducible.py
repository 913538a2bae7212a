import subprocess
import sys
from pathlib import Path

import pytest

from tools.check_reproducible import _texts, differences

ROOT = Path(__file__).resolve().parent.parent


def test_outputs_compare_by_text_and_glue_name_and_figures_by_digest():
    glued = {"output_type": "display_data", "metadata": {"scrapbook": {"name": "w", "mime_prefix": "application/papermill.record/"}},
             "data": {"application/papermill.record/text/plain": "'1.0014'", "application/papermill.record/image/png": "iVBOR..."}}
    texts = _texts(glued, "application/papermill.record/")
    assert texts["text/plain"] == "'1.0014'"
    assert texts["image/png"].startswith("sha256 ") and "iVBOR" not in texts["image/png"]
    other_pixels = {**glued, "data": {**glued["data"], "application/papermill.record/image/png": "iVBOx..."}}
    assert _texts(other_pixels, "application/papermill.record/")["image/png"] != texts["image/png"]
    [difference] = differences({"ch.md, glue 'w'": "'1.0014'", "ch.md, cell 1": "x"}, {"ch.md, glue 'w'": "'1.0015'", "ch.md, cell 1": "x"})
    assert difference.startswith("ch.md, glue 'w':") and "1.0015" in difference


@pytest.mark.slow
@pytest.mark.build
def test_two_clean_builds_compute_the_same_outputs():
    # the third, sharded build: tests/test_shards.py compares one against this session's build
    result = subprocess.run([sys.executable, "-m", "tools.check_reproducible", "--no-sharded"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reproducible: OK" in result.stdout
