"""How `make reproducible` compares builds. The suite itself compares a second, clean execution of the book
(two shares, fresh kernels) with the session build: tests/test_shards.py."""

from coursebook.execution.reproducible import _texts, differences


def test_outputs_compare_by_text_and_glue_name_and_figures_by_digest():
    glued = {
        "output_type": "display_data",
        "metadata": {"coursebook": {"glue": "w", "text/plain": "'1.0014'"}},
        "data": {"application/papermill.record/text/plain": "'1.0014'", "application/papermill.record/image/png": "iVBOR..."},
    }
    texts = _texts(glued)
    assert texts["text/plain"] == "'1.0014'"
    assert texts["image/png"].startswith("sha256 ") and "iVBOR" not in texts["image/png"]
    other_pixels = {**glued, "data": {**glued["data"], "application/papermill.record/image/png": "iVBOx..."}}
    assert _texts(other_pixels)["image/png"] != texts["image/png"]
    [difference] = differences({"ch.md, glue 'w'": "'1.0014'", "ch.md, cell 1": "x"}, {"ch.md, glue 'w'": "'1.0015'", "ch.md, cell 1": "x"})
    assert difference.startswith("ch.md, glue 'w':") and "1.0015" in difference
