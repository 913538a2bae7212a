"""coursebook's push_colab_notebooks.sh: the built notebooks land on the branch the Colab links read."""

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.build


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_the_notebooks_are_pushed_to_the_colab_branch(built_site, tmp_path):
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True).returncode:
        pytest.skip("not a git checkout")
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(remote))
    subprocess.run(
        [str(ROOT / "src" / "coursebook" / "notebooks" / "push_colab_notebooks.sh"), str(remote)], cwd=ROOT, check=True, capture_output=True
    )

    pushed = sorted(git("ls-tree", "-r", "--name-only", "colab", cwd=remote).split())
    built = sorted(p.relative_to(built_site / "_sources").as_posix() for p in (built_site / "_sources").rglob("*.ipynb"))
    assert pushed == built and pushed
    notebook = json.loads(git("show", f"colab:{pushed[0]}", cwd=remote))
    assert git("rev-parse", "HEAD").strip() in "".join(notebook["cells"][0]["source"])
