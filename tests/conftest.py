import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_site() -> Path:
    """Build the book once per test session (cached executions make repeats fast)."""
    result = subprocess.run([sys.executable, "-m", "tools.build_book"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return ROOT / "_build" / "html"


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marks
def pytest_collection_modifyitems(items) -> None:
    """A test that needs the built book is a `build` test, however it asks for it (also through
    another fixture, as the browser tests do), so that `-m "not build"` never builds the book."""
    for item in items:
        if "built_site" in item.fixturenames:
            item.add_marker(pytest.mark.build)
