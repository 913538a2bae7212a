"""tools/warm_kernel.py: chapter kernels forked from a zygote behave like fresh ones.

That whole chapters compute the same outputs, figures included, either way is
checked by tests/test_reproducible.py; these tests cover the process plumbing.
"""

import os
import time

import nbformat
import psutil
import pytest
from nbclient import NotebookClient

from tools.execute import warm_kernel_manager
from tools.warm_kernel import launch, running_zygote


@pytest.fixture(scope="module")
def zygote():
    # The zygote imports torch with two threads; each kernel must still take its own count.
    with running_zygote({**os.environ, "OMP_NUM_THREADS": "2"}) as socket_path:
        yield socket_path


def client_for(zygote: str, nb, cwd) -> NotebookClient:
    return NotebookClient(nb, timeout=60, kernel_name="python3", kernel_manager_class=warm_kernel_manager(zygote),
                          resources={"metadata": {"path": str(cwd)}})


def run_cells(zygote: str, cwd, env: dict, *sources: str) -> list[str]:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    client_for(zygote, nb, cwd).execute(env=env)
    return ["".join(out.get("text", "") for out in cell.outputs) for cell in nb.cells]


def test_a_forked_kernel_runs_where_and_as_its_launcher_says_with_torch_already_imported(zygote, tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "NNSTEP_PROBE": "from the launcher"}
    preloaded, where, threads = run_cells(
        zygote, tmp_path, env,
        "import sys; print('torch' in sys.modules, 'nnstep' in sys.modules)",
        "import os; print(os.getcwd()); print(os.environ['NNSTEP_PROBE'])",
        "import torch; print(torch.get_num_threads())",
    )
    assert preloaded.split() == ["True", "True"]
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
