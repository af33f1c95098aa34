"""Shared test set-up: offscreen Qt, a private data folder, and the case fixtures."""

import os
from pathlib import Path

# Before any QApplication exists: no display in CI, and no platform plugin abort.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

import pytest  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES / "cases" / "real"
SEEDS = FIXTURES / "cases" / "seeds"
BAD = FIXTURES / "bad"


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch):
    """Every test gets its own data, log and settings folder: nothing touches the real user's."""
    home = tmp_path_factory.mktemp("casebook-home")
    monkeypatch.setenv("CASEBOOK_HOME", str(home))
    return home


def write_case(folder: Path, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
    """Write a summary file to disk as real bytes and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path
