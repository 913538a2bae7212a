"""Korean particle spacing (tools/korean_spacing.py): each case its docstring promises is flagged with
its fix, what is not a slip is left alone, and `--fix` attaches exactly the flagged particles."""

import subprocess
import sys

import pytest

from coursebook.bilingual import korean_spacing
from coursebook.build.repo_copy import copy_repo


def chapter(korean: str) -> str:
    """A chapter with one Korean/English pair whose Korean half is ``korean``."""
    return f"# 제목 · Title\n\n:::{{ko}}\n{korean}\n:::\n\n:::{{en}}\nThe English half: x 는 stays.\n:::\n"


def problems(tmp_path, monkeypatch, korean: str) -> list[str]:
    monkeypatch.setattr(korean_spacing, "ROOT", tmp_path)
    path = tmp_path / "x.md"
    path.write_text(chapter(korean), encoding="utf-8")
    return korean_spacing.spacing_problems(path)


# (Korean text, the spaced word and particle as named, the fix) for every kind of word before the particle.
FLAGGED = {
    "digit": ("풀이1 의 직선을 봅니다.", "풀이1 의", "풀이1의"),
    "digit then 으로": ("값을 0 으로 둡니다.", "0 으로", "0으로"),
    "latin letter": ("ReLU 를 씁니다.", "ReLU 를", "ReLU를"),
    "inline code": ("`net` 을 만듭니다.", "`net` 을", "`net`을"),
    "math": ("$x$ 를 바꿉니다.", "$x$ 를", "$x$를"),
    "role": ("{term}`과적합` 은 흔합니다.", "{term}`과적합` 은", "{term}`과적합`은"),
    "closing parenthesis": ("함수(ReLU) 가 꺾입니다.", "함수(ReLU) 가", "함수(ReLU)가"),
    "closing brace": ("{x} 와 같습니다.", "{x} 와", "{x}와"),
    "closing bracket": ("[1, 2] 에서 고릅니다.", "2] 에서", "2]에서"),
    "particle at the end of the line": ("값은 3 이다", "3 이다", "3이다"),
    "particle before punctuation": ("답은 `y` 입니다.", "`y` 입니다", "`y`입니다"),
}


@pytest.mark.parametrize("case", FLAGGED)
def test_a_spaced_particle_is_named_with_its_line_and_fix(tmp_path, monkeypatch, case):
    korean, spaced, fixed = FLAGGED[case]
    assert problems(tmp_path, monkeypatch, korean) == [f"x.md:4: '{spaced}': a particle attaches to the word before it; write '{fixed}'."]


NOT_FLAGGED = {
    "attached already": "풀이1의 직선과 `net`을, $x$를 봅니다.",
    "after a Hangul word (이 or 가 may be a word)": "그 이 사람이 옵니다. 저 가 게.",
    "a word that starts like a particle": "1 이상이고 x 보다는 크다. 3 이하로 끝.",
    "not a particle": "값 3 개를 씁니다.",
    "in a code fence": "```python\nnet 을 = 1\n```",
}


@pytest.mark.parametrize("case", NOT_FLAGGED)
def test_what_is_not_a_slip_is_not_flagged(tmp_path, monkeypatch, case):
    assert problems(tmp_path, monkeypatch, NOT_FLAGGED[case]) == []


def test_fix_attaches_the_flagged_particles_and_changes_nothing_else(tmp_path):
    """`python -m coursebook spacing --fix FILE`, as the README says, in a copy of the repository."""
    repo = copy_repo(tmp_path / "repo")
    korean = "풀이1 의 직선, `net` 을, $x$ 를 봅니다.\n그 이 사람과 1 이상.\n```python\nnet 을 = 1\n```"
    path = repo / "lectures" / "x.md"
    path.write_text(chapter(korean), encoding="utf-8")
    run = lambda: subprocess.run(
        [sys.executable, "-m", "coursebook", "spacing", "--fix", "lectures/x.md"], cwd=repo, capture_output=True, text=True, timeout=60
    )
    result = run()
    assert result.returncode == 0, result.stderr
    assert result.stdout == "lectures/x.md: attached 3 particles\n"
    assert path.read_text(encoding="utf-8") == chapter(
        "풀이1의 직선, `net`을, $x$를 봅니다.\n그 이 사람과 1 이상.\n```python\nnet 을 = 1\n```"
    )
    assert run().stdout == "", "a second --fix finds nothing left"


def test_fix_without_the_flag_says_how_to_use_it():
    result = subprocess.run([sys.executable, "-m", "coursebook", "spacing"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "usage: python -m coursebook spacing --fix" in result.stderr
