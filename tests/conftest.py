"""Shared test set-up: offscreen Qt, a private data folder, and the case fixtures."""

import os
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SCREENS = FIXTURES / "screens"  # offscreen screens: a 1920×1080 desktop, a 1366×768 laptop

# Before any QApplication exists: no display in CI, and no platform plugin abort. Offscreen
# Qt's own screen is 800×800; the windows are tested on a desktop-sized one.
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS / 'desktop.json'}"
os.environ.setdefault("LANG", "C.UTF-8")

import pytest  # noqa: E402

REAL = FIXTURES / "cases" / "real"
SEEDS = FIXTURES / "cases" / "seeds"
MORE = FIXTURES / "cases" / "more"  # more development cases, kept apart so REAL's counts stay put
BAD = FIXTURES / "bad"


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch):
    """Every test gets its own data, log and settings folder: nothing touches the real user's."""
    home = tmp_path_factory.mktemp("casebook-home")
    monkeypatch.setenv("CASEBOOK_HOME", str(home))
    return home


CUSTODY_CASE = """Custody death - Kent Police, May 2019

Published 08 Oct 2020
Investigation

On 3 May 2019 a man was found unresponsive in a cell at Medway custody suite.

We found no indication that any officer had behaved in a way that would justify disciplinary proceedings.

IOPC reference

2019/123456
"""


def custody_case(reference: str = "2019/123456") -> str:
    """A small, complete summary; give each copy its own reference to make it a new case."""
    return CUSTODY_CASE.replace("2019/123456", reference)


def write_case(folder: Path, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
    """Write a summary file to disk as real bytes and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


@pytest.fixture
def new_library(tmp_path):
    """An empty library file in tmp_path."""
    from storage.keeping.library import Library

    lib = Library.open(tmp_path / "test.casebook", create=True)
    yield lib
    lib.close()


@pytest.fixture
def library(new_library):
    """A library holding every development case and both seeds."""
    from storage.keeping.importing import import_paths

    import_paths(new_library, [str(p) for p in sorted(REAL.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))])
    return new_library


LONG = """A very long case - Kent Police, May 2019

Published 08 Oct 2020

{paragraphs}

IOPC reference

2019/555555
"""
"""A case whose narrative is `paragraphs`: for page breaks and long layouts."""


@pytest.fixture
def library_path(tmp_path):
    """A library of the development cases (REAL and SEEDS)."""
    from storage.keeping.importing import import_paths
    from storage.keeping.library import Library

    path = tmp_path / "window.casebook"
    with Library.open(path, create=True) as lib:
        import_paths(lib, [str(REAL), str(SEEDS)])
    return path


@pytest.fixture
def window(qtbot, library_path):
    """A real main window on `library_path`, closed after the test."""
    from gui_helpers import close_window, open_window

    w = open_window(qtbot, library_path)
    yield w
    if w.lib is not None:
        close_window(qtbot, w)
