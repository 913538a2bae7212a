"""Every chapter's notebook, run as a student runs it in Colab, shows what its page shows.

A fresh virtual environment gets what a Colab reader already has (torch 2.13.0, ipykernel,
nbclient, from the pinned requirements), then exactly what the notebook's first cell installs,
with the shared package taken from a copy of this checkout's files instead of its git URL. Every cell after the
install cell runs top to bottom; the test then counts plots and diagrams against the built page
and looks for each number the page glues into its prose. The environment is built once per
session; the notebooks run two at a time.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import venv
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

# What runs each notebook inside the student's environment (a plain nbclient run, no Jupyter Book).
RUN = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
install, nb.cells = nb.cells[0], nb.cells[1:]          # the environment already holds what it installs
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": sys.argv[3]}}).execute()
nb.cells.insert(0, install)
nbformat.write(nb, sys.argv[2])
"""


def pip(env_dir: Path, *args: str, **extra_env: str) -> None:
    result = subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra_env},
    )
    assert result.returncode == 0, f"pip {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"


def install_cell_requirements(notebook: dict, package: Path) -> list[str]:
    """The arguments of the first cell's `%pip install`, the shared package pointing at ``package``."""
    first = notebook["cells"][0]
    assert first["cell_type"] == "code" and "install" in first["metadata"].get("tags", []), "the first cell installs"
    line = next(line for line in "".join(first["source"]).splitlines() if line.startswith("%pip install "))
    args = shlex.split(line.removeprefix("%pip install "))
    assert any(arg.startswith("nnstep @ git+") for arg in args), line
    return [str(package) if arg.startswith("nnstep @ ") else arg for arg in args]


def package_source(folder: Path) -> Path:
    """What the git URL gives pip: the committed package files, copied, so that a setuptools `build/`
    left in the checkout (which can hold older copies of src/) cannot be installed instead."""
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, folder / name)
    shutil.copytree(ROOT / "src", folder / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return folder


@pytest.fixture(scope="session")
def notebooks(built_site) -> dict[str, dict]:
    found = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((built_site / "_sources" / "lectures").glob("*.ipynb"))}
    assert found, "the build wrote no chapter notebooks"
    return found


@pytest.fixture(scope="session")
def student_env(notebooks, tmp_path_factory) -> dict:
    """A clean environment as Colab has it, then the install cell's packages; and pip's report of that install."""
    env_dir = tmp_path_factory.mktemp("student") / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    # The pinned versions (from the local wheel cache); no byte-compiling of all of torch up front:
    # the kernels compile what they import.
    pinned = {"PIP_CONSTRAINT": str(ROOT / "requirements.txt"), "PIP_NO_COMPILE": "1"}
    pip(env_dir, "install", "--quiet", "torch", "ipykernel", "nbclient", **pinned)
    package = package_source(tmp_path_factory.mktemp("nnstep-package"))
    requirements = {tuple(install_cell_requirements(nb, package)) for nb in notebooks.values()}
    assert len(requirements) == 1, f"every notebook installs the same: {requirements}"
    report = env_dir / "install-report.json"
    pip(env_dir, "install", "--report", str(report), *requirements.pop(), **pinned)
    # Kernels from this environment only: a kernel spec in the user's folders must not be picked up.
    subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"],
        check=True,
        capture_output=True,
    )
    return {"dir": env_dir, "installed": [item["metadata"]["name"].lower() for item in json.loads(report.read_text())["install"]]}


@pytest.fixture(scope="session")
def executed(notebooks, student_env, built_site, tmp_path_factory) -> dict[str, dict]:
    """Every chapter's notebook after a top-to-bottom run in the student's environment."""
    work = tmp_path_factory.mktemp("student-work")
    python = str(student_env["dir"] / "bin" / "python")
    workers = 2
    env = {
        **os.environ,
        "OMP_NUM_THREADS": str(max(1, (os.cpu_count() or 1) // workers)),
        "JUPYTER_DATA_DIR": str(work / "data"),
        "JUPYTER_CONFIG_DIR": str(work / "config"),
        "IPYTHONDIR": str(work / "ipython"),
        "JUPYTER_PATH": "",
    }
    env.pop("COURSEBOOK_DEVICE", None)

    def run(name: str) -> tuple[str, subprocess.CompletedProcess]:
        source = built_site / "_sources" / "lectures" / f"{name}.ipynb"
        folder = work / name
        folder.mkdir()
        result = subprocess.run(
            [python, "-c", RUN, str(source), str(folder / "out.ipynb"), str(folder)], capture_output=True, text=True, env=env
        )
        return name, result

    done = {}
    with ThreadPoolExecutor(workers) as pool:
        for name, result in pool.map(run, notebooks):
            assert result.returncode == 0, f"{name}.ipynb failed in a clean environment:\n{result.stderr[-3000:]}"
            done[name] = json.loads((work / name / "out.ipynb").read_text(encoding="utf-8"))
    return done


def test_installing_the_notebooks_package_keeps_the_preinstalled_torch(student_env):
    assert "torch" not in student_env["installed"], f"the install cell replaced torch: {student_env['installed']}"
    assert "nnstep" in student_env["installed"]
    result = subprocess.run(
        [str(student_env["dir"] / "bin" / "python"), "-c", "import torch; print(torch.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("2.13.0")


def test_the_notebooks_need_no_myst_nb(student_env):
    assert "myst-nb" not in student_env["installed"]
    result = subprocess.run([str(student_env["dir"] / "bin" / "python"), "-c", "import myst_nb"], capture_output=True)
    assert result.returncode != 0


def page_figures(site: Path, name: str) -> Counter:
    article = BeautifulSoup((site / "lectures" / f"{name}.html").read_text(encoding="utf-8"), "html.parser").select_one("article")
    return Counter(
        plot=len([img for img in article.find_all("img") if "_images/" in img.get("src", "")]),
        diagram=len(article.select("figure.coursebook-diagram")),
        html=len(article.select("div.output.text_html")),
    )  # diagrams, training players, any rich output


def notebook_figures(notebook: dict) -> Counter:
    found = Counter(plot=0, diagram=0, html=0)
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            found["plot"] += "image/png" in data or "image/svg+xml" in data
            found["diagram"] += "".join(data.get("text/html", "")).count('class="coursebook-diagram"')
            found["html"] += "text/html" in data
    return found


def test_every_notebook_shows_every_figure_and_diagram_of_its_page(executed, built_site):
    counts = {name: (notebook_figures(nb), page_figures(built_site, name)) for name, nb in executed.items()}
    print(
        "\nplots and diagrams (notebook / page):",
        {name: f"{a['plot'] + a['diagram']}/{b['plot'] + b['diagram']}" for name, (a, b) in counts.items()},
    )
    assert sum(sum(page.values()) for _, page in counts.values()) > 0
    for name, (shown, page) in counts.items():
        assert (shown["plot"], shown["diagram"]) == (page["plot"], page["diagram"]) and shown["html"] >= page["html"], (
            f"{name}.ipynb shows {dict(shown)}, its page {dict(page)}"
        )


def test_every_notebook_carries_the_numbers_its_page_glues_into_prose(executed, built_site):
    for name, notebook in executed.items():
        article = BeautifulSoup((built_site / "lectures" / f"{name}.html").read_text(encoding="utf-8"), "html.parser").select_one("article")
        plain = str.maketrans("‘’“”", "''\"\"")  # Sphinx's smart quotes on the page; the notebook keeps the value's own
        glued = [span.get_text().translate(plain) for span in article.select(".pasted-text")]
        markdown = "\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
        position = 0
        for value in glued:  # in the page's order
            found = markdown.find(value, position)
            assert found >= 0, f"{name}.ipynb: the page's glued {value!r} is missing (or out of order) in the notebook's text"
            position = found + len(value)
