"""The generator's one configuration section: its reference is generated from the code, and bad values are named."""

from pathlib import Path

import pytest

from coursebook.bilingual.pairs import scan
from coursebook.bilingual.text import HANGUL
from coursebook.config import OUTSIDE, SETTINGS, ConfigError, load, reference
from coursebook.layout import ROOT


def test_the_configuration_reference_is_the_one_the_code_generates():
    written = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert written == reference(), "docs/configuration.md is stale: run `.venv/bin/python -m coursebook config-reference`"
    assert all(f"## `{name}`" in written for name in SETTINGS)


def test_every_setting_is_described_in_korean_and_english_and_the_reference_pairs_the_two():
    described = [(setting.ko, setting.doc) for setting in SETTINGS.values()] + [(ko, en) for en, ko in OUTSIDE.values()]
    for ko, en in described:
        assert HANGUL.search(ko) and not HANGUL.search(en), f"a description needs a Korean and an English half: {(ko, en)}"
    pairs, orphans = scan(reference())
    assert orphans == []
    written = {(pair.ko.text, pair.en.text) for pair in pairs}
    assert {(setting.ko, setting.doc) for setting in SETTINGS.values()} <= written


def test_this_course_sets_only_known_settings_and_a_missing_one_takes_its_default(tmp_path):
    assert load(ROOT)["install"] == "nnstep"
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    assert load(tmp_path) == {name: setting.default for name, setting in SETTINGS.items()}


@pytest.mark.parametrize(
    "section, named",
    [
        ("coursebook:\n  chapter: lectures\n", "unknown settings chapter"),
        ("coursebook:\n  execution_key: src\n", "`coursebook: execution_key:` must be a list"),
        ("coursebook: [a]\n", "must be a mapping"),
    ],
)
def test_a_bad_setting_is_named_with_what_to_write(tmp_path: Path, section, named):
    (tmp_path / "_config.yml").write_text(section, encoding="utf-8")
    with pytest.raises(ConfigError, match=named):
        load(tmp_path)
