"""coursebook.execution.warm_kernel: chapter kernels forked from a zygote behave like fresh ones.

That whole chapters compute the same outputs, figures included, either way is
checked by tests/test_reproducible.py; these tests cover the process plumbing,
what the book's own package does when a chapter imports it, and the fallback to
fresh kernels.
"""

import os
import sys
import time

import nbformat
import psutil
import pytest
import torch
from nbclient import NotebookClient

from small_book import chapter, page, small_book
from coursebook.execution import warm_kernel
from coursebook.layout import ROOT, settings
from coursebook.execution.executor import warm_kernel_manager
from coursebook.build.repo_copy import build
from coursebook.execution.warm_kernel import ZygoteUnavailable, fork_refusal, launch, preload_refusal, running_zygote


@pytest.fixture(scope="module")
def zygote():
    # The zygote imports torch with two threads; each kernel must still take its own count.
    kernels = settings()["kernels"]  # this course's: torch preloaded, its hooks
    sources = [ROOT / folder for folder in settings()["execution_key"]]
    with running_zygote({**os.environ, "OMP_NUM_THREADS": "2"}, kernels["preload"], str(ROOT / kernels["hooks"]), sources) as socket_path:
        yield socket_path


def client_for(zygote: str, nb, cwd) -> NotebookClient:
    return NotebookClient(
        nb, timeout=60, kernel_name="python3", kernel_manager_class=warm_kernel_manager(zygote), resources={"metadata": {"path": str(cwd)}}
    )


def run_cells(zygote: str, cwd, env: dict, *sources: str) -> list[str]:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    client_for(zygote, nb, cwd).execute(env=env)
    return ["".join(out.get("text", "") for out in cell.outputs) for cell in nb.cells]


def test_a_forked_kernel_runs_where_and_as_its_launcher_says_with_torch_but_not_the_book_imported(zygote, tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "NNSTEP_PROBE": "from the launcher"}
    preloaded, where, threads = run_cells(
        zygote,
        tmp_path,
        env,
        "import sys; print('torch' in sys.modules, 'nnstep' in sys.modules)",
        "import os; print(os.getcwd()); print(os.environ['NNSTEP_PROBE'])",
        "import torch; print(torch.get_num_threads())",
    )
    assert preloaded.split() == ["True", "False"]
    assert where.splitlines() == [str(tmp_path), "from the launcher"]
    assert threads.strip() == "1"


def test_each_kernel_starts_from_a_clean_namespace_and_its_own_random_state(zygote, tmp_path):
    first = run_cells(zygote, tmp_path, dict(os.environ), "secret = 1", "import random; print(random.random())")
    second = run_cells(zygote, tmp_path, dict(os.environ), "print('secret' in dir())", "import random; print(random.random())")
    assert second[0].strip() == "False"
    assert first[1] != second[1]  # forks of one process would otherwise draw the same "random" numbers


def test_a_killed_launcher_takes_its_kernel_with_it(zygote, tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os; print(os.getpid())")])
    client = client_for(zygote, nb, tmp_path)
    with client.setup_kernel(env=dict(os.environ)):
        client.execute_cell(nb.cells[0], 0)
        kernel = psutil.Process(int(nb.cells[0].outputs[0]["text"]))
        launcher = client.km.provisioner.process
        assert kernel.pid != launcher.pid
        launcher.kill()
        launcher.wait()
        try:
            kernel.wait(timeout=10)  # raises psutil.TimeoutExpired if the kernel outlived its launcher
        finally:
            if kernel.is_running():
                kernel.kill()


def test_the_launcher_says_when_no_zygote_listens(tmp_path):
    started = time.perf_counter()
    with pytest.raises(SystemExit, match="no zygote is listening on"):
        launch(str(tmp_path / "nobody"), str(tmp_path / "kernel.json"), wait_seconds=0.2)
    assert time.perf_counter() - started < 10


# ---------------------------------------------------------------- when forking is refused


def test_the_zygote_refuses_to_fork_once_cuda_is_initialised(monkeypatch):
    monkeypatch.setattr(warm_kernel, "_hooks", {})
    assert fork_refusal() == ""  # no hooks: nothing against it
    warm_kernel.load_hooks(ROOT / "book" / "kernel_hooks.py")  # this course's: torch
    assert fork_refusal() == ""
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: True)
    assert "CUDA is initialised" in fork_refusal()


def test_the_zygote_refuses_to_serve_after_importing_the_books_own_modules():
    import nnstep  # noqa: F401 - this process has, as a zygote must not

    assert "the book's own modules (nnstep" in preload_refusal([ROOT / "src" / "nnstep"])


@pytest.mark.parametrize(
    "script, reason",
    [
        ("raise RuntimeError('broken on purpose')", "RuntimeError: broken on purpose"),
        ("print('refused: CUDA is initialised in the zygote', flush=True)", "CUDA is initialised in the zygote"),
    ],
)
def test_a_zygote_that_does_not_start_says_why(script, reason, tmp_path, monkeypatch):
    broken = tmp_path / "broken_zygote.py"
    broken.write_text(script + "\n")
    monkeypatch.setattr(warm_kernel, "__file__", str(broken))
    with pytest.raises(ZygoteUnavailable, match=f"did not start \\({reason}\\)"):
        with running_zygote(dict(os.environ)):
            pass


def test_no_zygote_outside_linux(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(ZygoteUnavailable, match="Linux only"):
        with running_zygote(dict(os.environ)):
            pass


# ---------------------------------------------------------------- whole builds, in a small copy

IMPORTS_THE_BOOK = chapter("패키지 · The package", "import nnstep\nprint('the chapter ran:', 6 * 7)")


@pytest.mark.build
def test_import_time_output_of_the_books_package_reaches_the_chapter(tmp_path):
    repo = small_book(tmp_path / "book", {"a_imports": IMPORTS_THE_BOOK})
    package = repo / "src" / "nnstep" / "__init__.py"
    original = package.read_text()
    package.write_text(original + "\nprint('printed while nnstep is imported')\n")
    result = build(repo, COURSEBOOK_DEVICE="cpu")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fresh Python" not in result.stdout  # the chapter ran in a forked kernel
    assert "printed while nnstep is imported" in page(repo, "a_imports")

    package.write_text(original + "\nimport warnings\nwarnings.warn('nnstep warns while imported')\n")
    result = build(repo, COURSEBOOK_DEVICE="cpu")
    assert result.returncode != 0
    assert "lectures/a_imports.md, line" in result.stderr and "wrote to stderr" in result.stderr
    assert "nnstep warns while imported" in result.stderr


@pytest.mark.build
def test_a_zygote_that_fails_to_start_leaves_fresh_kernels_to_build_the_book(tmp_path):
    repo = small_book(tmp_path / "book", {"a_imports": IMPORTS_THE_BOOK})
    zygote = repo / "src" / "coursebook" / "execution" / "warm_kernel.py"
    text = zygote.read_text()
    zygote.write_text(
        text.replace(
            "def serve(socket_path: str, settings: dict | None = None) -> None:\n",
            "def serve(socket_path: str, settings: dict | None = None) -> None:\n    raise RuntimeError('broken on purpose')\n",
        )
    )
    result = build(repo, COURSEBOOK_DEVICE="cpu")
    assert result.returncode == 0, result.stdout + result.stderr
    [line] = [line for line in result.stdout.splitlines() if "fresh Python" in line]
    assert line == (
        "execute: the warm-kernel process did not start (RuntimeError: broken on purpose); each chapter runs in a fresh Python instead"
    )
    assert "the chapter ran: 42" in page(repo, "a_imports")
