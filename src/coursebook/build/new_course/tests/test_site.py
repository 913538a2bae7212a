"""The built site: every chapter has its page, with the number its code computed."""

from pathlib import Path

import numpy as np

from $package import mean, sample

SITE = Path(__file__).resolve().parent.parent / "_build" / "html"


def test_each_chapter_has_its_page_with_the_glued_number():
    page = (SITE / "lectures" / "01_mean.html").read_text(encoding="utf-8")
    assert f"{mean(sample(20)):.3f}" in page
    assert (SITE / "lectures" / "02_spread.html").is_file()


def test_the_data_is_seeded():
    assert np.array_equal(sample(5), sample(5))
