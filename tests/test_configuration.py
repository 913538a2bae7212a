"""The generator's one configuration section: its reference is generated from the code, and bad values are named."""

from pathlib import Path

import pytest

from coursebook.config import SETTINGS, ConfigError, load, reference
from coursebook.layout import ROOT


def test_the_configuration_reference_is_the_one_the_code_generates():
    written = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert written == reference(), "docs/configuration.md is stale: run `.venv/bin/python -m coursebook config-reference`"
    assert all(f"## `{name}`" in written for name in SETTINGS)


def test_this_course_sets_only_known_settings_and_a_missing_one_takes_its_default(tmp_path):
    assert load(ROOT)["install"] == "nnstep"
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    assert load(tmp_path) == {name: setting.default for name, setting in SETTINGS.items()}


@pytest.mark.parametrize("section, named", [
    ("coursebook:\n  chapter: lectures\n", "unknown settings chapter"),
    ("coursebook:\n  execution_key: src\n", "`coursebook: execution_key:` must be a list"),
    ("coursebook: [a]\n", "must be a mapping"),
])
def test_a_bad_setting_is_named_with_what_to_write(tmp_path: Path, section, named):
    (tmp_path / "_config.yml").write_text(section, encoding="utf-8")
    with pytest.raises(ConfigError, match=named):
        load(tmp_path)
