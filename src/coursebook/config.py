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
    doc: str  # in English
    ko: str = ""  # the same in Korean (a test asks for it)


SETTINGS: dict[str, Setting] = {
    "chapters": Setting(
        "lectures",
        "The folder of the chapters (MyST notebooks). Each must be listed in _toc.yml; a reading time is shown under each one's title.",
        "장(MyST 노트북)이 있는 폴더입니다. 장마다 _toc.yml에 들어 있어야 하고, 장 제목 아래에 읽는 시간이 나옵니다.",
    ),
    "execution_key": Setting(
        ["src"],
        "Folders (relative to the course) whose files are part of every chapter's "
        "execution key: an edit to any of them runs the chapters again. List the course's "
        "shared package, not the generator.",
        "파일이 모든 장의 실행 열쇠에 들어가는 폴더들(과목 기준의 상대 경로)입니다. 그 가운데 어느 "
        "것을 고쳐도 장들을 다시 실행합니다. 생성기가 아니라 과목의 공용 패키지를 적습니다.",
    ),
    "install": Setting(
        "",
        "The package the notebooks' first cell installs from the course's repository at the "
        'built commit (`%pip install "NAME @ git+URL@COMMIT"`); empty: no install cell.',
        "노트북의 첫 셀이 빌드한 커밋의 과목 저장소에서 설치하는 패키지입니다"
        '(`%pip install "NAME @ git+URL@COMMIT"`). 비어 있으면 설치 셀이 없습니다.',
    ),
    "install_note": Setting(
        {"ko": "", "en": ""},
        "A comment line per language above the install command (e.g. what it keeps of the reader's environment).",
        "설치 명령 위에 붙는 언어별 주석 한 줄입니다(예: 독자의 환경에서 무엇을 그대로 두는지).",
    ),
    "required_modules": Setting(
        {"ipykernel": "the Python kernel that executes the chapters"},
        "Modules checked before building, each with what it is for: a missing one fails "
        "the build at once, with the fix. A module named `pygraphviz` is also asked to "
        "draw a graph.",
        "빌드하기 전에 확인하는 모듈과 저마다의 쓰임입니다. 하나라도 없으면 고치는 법과 함께 빌드가 "
        "바로 실패합니다. `pygraphviz`라는 모듈에는 그래프도 하나 그려 보게 합니다.",
    ),
    "languages": Setting(
        {"ko": "한국어", "en": "English"},
        "The language pair, first the site's own language, each with its label. Bilingual text is written `first · second`.",
        "언어 짝입니다. 사이트 자신의 언어가 먼저 오고, 언어마다 이름표가 있습니다. 두 언어로 된 글은 `first · second`로 씁니다.",
    ),
    "chapter_template": Setting(
        "",
        "`make chapter NAME=...`: the course's template of a new chapter (a file "
        "relative to the course, front matter left out; {title} becomes the chapter's "
        "title); empty: a minimal bilingual chapter.",
        "`make chapter NAME=...`: 과목이 쓰는 새 장의 틀입니다(과목 기준의 상대 경로인 파일. 머리말은 "
        "빼고 쓰며, {title}은 장의 제목이 됩니다). 비어 있으면 두 언어로 된 가장 작은 장입니다.",
    ),
    "exercises_heading": Setting(
        "연습문제",
        "The first-language title of a chapter's exercises section, which the reading time leaves out.",
        "장의 연습문제 절에 붙는 첫째 언어의 제목입니다. 읽는 시간에서는 이 절을 뺍니다.",
    ),
    "pdf": Setting(
        {"titles": {"ko": "", "en": ""}, "file_name": "book-{lang}.pdf"},
        "`make pdf`: the title page of each language's PDF, and its file name ({lang}: the language).",
        "`make pdf`: 언어마다의 PDF 표제지와 그 파일 이름입니다({lang}: 언어).",
    ),
    "colab_branch": Setting(
        "colab",
        'The branch CI publishes the chapters\' notebooks to, for "Open in Colab"; empty: no Colab link.',
        '"Open in Colab"을 위해 CI가 장의 노트북을 게시하는 브랜치입니다. 비어 있으면 Colab 링크가 없습니다.',
    ),
    "device_variable": Setting(
        "COURSEBOOK_DEVICE",
        "The environment variable that names the device the chapters "
        "run on (cuda, cpu, ...). Part of the execution key; the course's code reads it too.",
        "장이 돌아갈 장치(cuda, cpu, ...)를 밝히는 환경 변수입니다. 실행 열쇠에 들어가고, 과목의 코드도 이것을 읽습니다.",
    ),
    "kernels": Setting(
        {"preload": [], "hooks": ""},
        "Forked kernels: `preload`, third-party modules the warm kernel imports once for every "
        "chapter (never the course's own package); `hooks`, a Python file (relative to the course) "
        "that may define `fork_refusal() -> str` (why a fork now would not equal a fresh kernel, "
        "e.g. CUDA initialised) and `after_fork()` (reseed, thread counts).",
        "포크한 커널: `preload`는 따뜻한 커널이 모든 장을 위해 한 번 가져오는 외부 모듈입니다(과목 자신의 "
        "패키지는 넣지 않습니다). `hooks`는 Python 파일(과목 기준의 상대 경로)로, `fork_refusal() -> str`"
        "(지금 포크하면 새 커널과 같지 않을 까닭, 예: CUDA 초기화)과 `after_fork()`(시드 다시 정하기, "
        "스레드 수)를 정의할 수 있습니다.",
    ),
}


# What the generator reads from elsewhere than the section: name -> (English, Korean).
OUTSIDE = {
    "COURSEBOOK_GPU_RUNNER": (
        "the label of a GPU runner (CI: a repository variable); chapters whose front matter "
        "says `coursebook: {runner: gpu}` form a share of their own that runs there. Empty: "
        "they run on the CPU like the others.",
        "GPU 러너의 레이블입니다(CI: 저장소 변수). 머리말에 `coursebook: {runner: gpu}`라고 적은 장들은 "
        "따로 한 몫이 되어 거기서 돌아갑니다. 비어 있으면 다른 장처럼 CPU에서 돌아갑니다.",
    ),
    "COURSEBOOK_RUNINFO": (
        "set by the build for each chapter's kernel: the file coursebook.runtime.record_run() "
        "writes where the chapter ran (device, library versions).",
        "빌드가 장마다의 커널에 정해 줍니다. coursebook.runtime.record_run()이 장이 어디서 돌았는지(장치, "
        "라이브러리 판)를 쓰는 파일입니다.",
    ),
    "COURSEBOOK_ROOT": (
        "the course's folder, when the commands run elsewhere (default: the nearest folder with a "
        "_config.yml at or above the working directory).",
        "명령을 다른 곳에서 실행할 때 쓰는 과목의 폴더입니다(기본값: 작업 디렉터리나 그 위에서 가장 가까운, _config.yml이 있는 폴더).",
    ),
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
        raise ConfigError(
            f"_config.yml: `{SECTION}:` has unknown settings {', '.join(unknown)}; "
            f"the settings are {', '.join(SETTINGS)} (docs/configuration.md)."
        )
    settings = {}
    for name, setting in SETTINGS.items():
        value = section.get(name, setting.default)
        if isinstance(setting.default, dict) and isinstance(value, dict) and name not in ("required_modules", "languages"):
            value = {**setting.default, **value}
        if type(value) is not type(setting.default):
            raise ConfigError(
                f"_config.yml: `{SECTION}: {name}:` must be a {type(setting.default).__name__} (got {value!r}); see docs/configuration.md."
            )
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
    """docs/configuration.md: every setting, its default and what it does, in Korean and English."""
    import yaml

    def pair(ko: str, en: str) -> list[str]:  # a Korean block and its English partner, as docs/ writes them
        return [":::{ko}", ko, ":::", "", ":::{en}", en, ":::", ""]

    lines = [
        "# 설정 안내 · Configuration reference",
        "",
        "<!-- Generated by `python -m coursebook config-reference` from src/coursebook/config.py; do not edit. -->",
        "",
        *pair(
            f"생성기는 과목의 `_config.yml`에서 `{SECTION}:` 절 하나를 읽습니다. 키는 모두 생략할 수 있습니다.",
            f"The generator reads one section of the course's `_config.yml`, `{SECTION}:`. Every key is optional.",
        ),
    ]
    for name, setting in SETTINGS.items():
        default = yaml.safe_dump({name: setting.default}, allow_unicode=True, sort_keys=False).strip()
        lines += [
            f"## `{name}`",
            "",
            *pair(setting.ko, setting.doc),
            "```yaml",
            f"{SECTION}:",
            *(f"  {line}" for line in default.splitlines()),
            "```",
            "",
        ]
    lines += ["## 환경 변수와 머리말 · Environment variables and front matter", ""]
    lines += pair(
        "\n".join(f"- `{name}`: {ko}" for name, (_, ko) in OUTSIDE.items()),
        "\n".join(f"- `{name}`: {en}" for name, (en, _) in OUTSIDE.items()),
    )
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    """`python -m coursebook config-reference [FILE]`: write the reference (default docs/configuration.md)."""
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/configuration.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(reference(), encoding="utf-8")
    print(f"wrote {target}")
