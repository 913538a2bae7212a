"""The generator's settings: the `coursebook:` section of the course's _config.yml.

Jupyter Book ignores a top-level key it does not know, so the section sits beside its own
(`execute:`, `sphinx:`, ...). The command side (`python -m coursebook ...`) and the Sphinx side
(the `coursebook` extension) read it through `load()`, so both see the same values. Every setting
has a default; `python -m coursebook config-reference` writes docs/configuration.md from SETTINGS.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

SECTION = "coursebook"


@dataclass(frozen=True)
class Setting:
    default: Any
    doc: str


SETTINGS: dict[str, Setting] = {
    "chapters": Setting("lectures", "The folder of the chapters (MyST notebooks). Each must be listed in _toc.yml; "
                        "a reading time is shown under each one's title."),
    "execution_key": Setting(["src"], "Folders (relative to the course) whose files are part of every chapter's "
                             "execution key: an edit to any of them runs the chapters again. List the course's "
                             "shared package, not the generator."),
    "install": Setting("", "The package the notebooks' first cell installs from the course's repository at the "
                       "built commit (`%pip install \"NAME @ git+URL@COMMIT\"`); empty: no install cell."),
    "install_note": Setting({"ko": "", "en": ""}, "A comment line per language above the install command (e.g. what "
                            "it keeps of the reader's environment)."),
    "required_modules": Setting({"ipykernel": "the Python kernel that executes the chapters"},
                                "Modules checked before building, each with what it is for: a missing one fails "
                                "the build at once, with the fix. A module named `pygraphviz` is also asked to "
                                "draw a graph."),
    "languages": Setting({"ko": "한국어", "en": "English"}, "The language pair, first the site's own language, each "
                         "with its label. Bilingual text is written `first · second`."),
    "chapter_template": Setting("", "`make chapter NAME=...`: the course's template of a new chapter (a file "
                                "relative to the course, front matter left out; {title} becomes the chapter's "
                                "title); empty: a minimal bilingual chapter."),
    "exercises_heading": Setting("연습문제", "The first-language title of a chapter's exercises section, which the "
                                 "reading time leaves out."),
    "pdf": Setting({"titles": {"ko": "", "en": ""}, "file_name": "book-{lang}.pdf"},
                   "`make pdf`: the title page of each language's PDF, and its file name ({lang}: the language)."),
    "colab_branch": Setting("colab", "The branch CI publishes the chapters' notebooks to, for \"Open in Colab\"; "
                            "empty: no Colab link."),
    "device_variable": Setting("COURSEBOOK_DEVICE", "The environment variable that names the device the chapters "
                               "run on (cuda, cpu, ...). Part of the execution key; the course's code reads it too."),
    "kernels": Setting({"preload": [], "hooks": ""},
                       "Forked kernels: `preload`, third-party modules the warm kernel imports once for every "
                       "chapter (never the course's own package); `hooks`, a Python file (relative to the course) "
                       "that may define `fork_refusal() -> str` (why a fork now would not equal a fresh kernel, "
                       "e.g. CUDA initialised) and `after_fork()` (reseed, thread counts)."),
}


# What the generator reads from elsewhere than the section.
OUTSIDE = {
    "COURSEBOOK_GPU_RUNNER": "the label of a GPU runner (CI: a repository variable); chapters whose front matter "
                             "says `coursebook: {runner: gpu}` form a share of their own that runs there. Empty: "
                             "they run on the CPU like the others.",
    "COURSEBOOK_RUNINFO": "set by the build for each chapter's kernel: the file coursebook.runtime.record_run() "
                          "writes where the chapter ran (device, library versions).",
    "COURSEBOOK_ROOT": "the course's folder, when the commands run elsewhere (default: the nearest folder with a "
                       "_config.yml at or above the working directory).",
}


class ConfigError(Exception):
    """The `coursebook:` section is malformed; the message names the key and what to write."""


def load(root: Path) -> dict[str, Any]:
    """The section of root/_config.yml, each missing key at its default."""
    import yaml

    try:
        data = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"{root / '_config.yml'}: cannot be read ({error}). Fix the file and build again.") from None
    section = data.get(SECTION) or {}
    if not isinstance(section, dict):
        raise ConfigError(f"_config.yml: `{SECTION}:` must be a mapping of the settings in docs/configuration.md.")
    unknown = sorted(set(section) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"_config.yml: `{SECTION}:` has unknown settings {', '.join(unknown)}; "
                          f"the settings are {', '.join(SETTINGS)} (docs/configuration.md).")
    settings = {}
    for name, setting in SETTINGS.items():
        value = section.get(name, setting.default)
        if isinstance(setting.default, dict) and isinstance(value, dict) and name not in ("required_modules", "languages"):
            value = {**setting.default, **value}
        if type(value) is not type(setting.default):
            raise ConfigError(f"_config.yml: `{SECTION}: {name}:` must be a {type(setting.default).__name__} "
                              f"(got {value!r}); see docs/configuration.md.")
        settings[name] = value
    return settings


_loaded: dict[tuple[Path, float], dict[str, Any]] = {}


def of_app(app) -> dict[str, Any]:
    """The settings of the course Sphinx builds (its source folder's _config.yml), read once per edit."""
    root = Path(app.srcdir)
    try:
        stamp = (root / "_config.yml").stat().st_mtime
    except OSError:
        stamp = 0.0
    if (root, stamp) not in _loaded:
        _loaded[(root, stamp)] = load(root)
    return _loaded[(root, stamp)]


def reference() -> str:
    """docs/configuration.md: every setting, its default and what it does."""
    import yaml

    lines = [
        "# Configuration reference",
        "",
        "<!-- Generated by `python -m coursebook config-reference` from src/coursebook/config.py; do not edit. -->",
        "",
        f"The generator reads one section of the course's `_config.yml`, `{SECTION}:`. Every key is optional.",
        "",
    ]
    for name, setting in SETTINGS.items():
        default = yaml.safe_dump({name: setting.default}, allow_unicode=True, sort_keys=False).strip()
        lines += [f"## `{name}`", "", setting.doc, "", "```yaml", f"{SECTION}:", *(f"  {line}" for line in default.splitlines()), "```", ""]
    lines += ["## Environment variables and front matter", ""]
    lines += [f"- `{name}`: {doc}" for name, doc in OUTSIDE.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    """`python -m coursebook config-reference [FILE]`: write the reference (default docs/configuration.md)."""
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/configuration.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(reference(), encoding="utf-8")
    print(f"wrote {target}")
