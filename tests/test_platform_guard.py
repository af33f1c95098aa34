"""Guards against platform regressions measured on our machines (docs/ARCHITECTURE.md, "Platform facts")."""

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject

ROOT = Path(__file__).resolve().parents[1]


def test_void_qt_calls_do_not_leak_references_to_none():
    """PySide6 6.12.0 on CPython 3.11 drops a reference to None on every Qt call that
    returns nothing; after ~5,000 calls the process aborts. An upgrade into that bug
    must fail here, loudly, rather than abort the whole test run later."""
    obj = QObject()
    for _ in range(1000):  # warm up caches first
        obj.setObjectName("warm")
    before = sys.getrefcount(None)
    # Checked every 1,000 calls: the process aborts at about 5,000, before a single check at the end.
    for done in range(1000, 20_001, 1000):
        for i in range(1000):
            obj.setObjectName("x" if i % 2 else "y")
        lost = before - sys.getrefcount(None)
        assert lost < 100, f"None lost {lost} references in {done:,} void Qt calls"


@pytest.mark.parametrize(
    "start",
    [
        "from gui.cli.main import main; main(['--multiprocessing-fork'])",
        "import runpy; runpy.run_module('gui.cli', run_name='__main__')",
    ],
    ids=["console-script", "python-m-cli"],
)
def test_casebook_cli_lets_a_bundled_worker_start_before_reading_its_arguments(start):
    """A frozen casebook-cli's import workers are spawned as the same executable: without
    multiprocessing.freeze_support() first, each would read the worker's arguments as a
    command and fail. PyInstaller's freeze_support runs the worker and exits; so does this one."""
    worker = "import multiprocessing, sys; multiprocessing.freeze_support = lambda: sys.exit(42)"
    code = f"{worker}; sys.argv = ['casebook-cli', '--multiprocessing-fork']; {start}"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 42, done.stderr


def test_the_qt_add_ons_move_in_step_with_the_essentials():
    """Qt Charts (the statistics view) comes from PySide6-Addons, built against one release of
    PySide6-Essentials: the two must be the same release, both guarded by the test above."""
    from importlib import metadata

    assert metadata.version("PySide6-Addons") == metadata.version("PySide6-Essentials")
