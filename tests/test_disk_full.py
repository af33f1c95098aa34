"""A full disk is named as such, never called damage, and costs nothing already stored.

The first tests fill a real small disk (a 3 MB tmpfs, mounted when this machine lets the
tests mount one); the last makes SQLite itself run out of room, which needs no mount."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from conftest import SEEDS, custody_case, write_case

from storage.errors import BackupFailed, DiskFull
from storage.keeping.importing import import_paths
from storage.keeping.library import Library

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", f"casebook-test-{uuid.uuid4().hex[:8]}", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("this machine does not let the tests mount a small disk")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path) -> None:
    with open(disk / "filler", "wb", buffering=0) as f:
        for size in (65536, 1):  # then the last few bytes too
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError:
                pass


def cli(library: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CASEBOOK_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "gui.cli", "--library", str(library), *args],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def cases_in(library: Path) -> int:
    with Library.open(library) as lib:
        return lib.case_count()


def test_opening_a_library_on_a_full_disk_says_the_disk_is_full(small_disk, private_home):
    library = small_disk / "library.casebook"
    assert cli(library, private_home, "import", str(SEEDS)).returncode == 0
    fill(small_disk)
    done = cli(library, private_home, "search", "custody")
    assert done.returncode != 0
    assert "disk" in done.stderr and "full" in done.stderr and "damaged" not in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "the disk is full" in (private_home / "logs" / "casebook.log").read_text()
    (small_disk / "filler").unlink()
    assert cases_in(library) == 2


def test_an_import_that_fills_the_disk_ends_plainly_and_leaves_the_library_as_it_was(
    small_disk, private_home, tmp_path
):
    library = small_disk / "library.casebook"
    assert cli(library, private_home, "import", str(SEEDS)).returncode == 0
    folder = tmp_path / "many"
    filler = "The officer wrote a long account of the evening. " * 40
    for i in range(600):
        text = custody_case(f"2018/{400000 + i}").replace("IOPC", filler + "\n\nIOPC")
        write_case(folder, f"{i:04}.txt", text)
    done = cli(library, private_home, "import", str(folder), "--quiet")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [done.stderr.strip()], done.stderr
    assert "is full" in done.stderr and "Traceback" not in done.stderr
    shutil.rmtree(folder)
    assert cases_in(library) == 2


def test_running_out_of_room_inside_sqlite_rolls_the_import_back(new_library, tmp_path):
    import_paths(new_library, [str(SEEDS)])
    folder = tmp_path / "more"
    for i in range(300):
        write_case(folder, f"{i}.txt", custody_case(f"2017/{500000 + i}"))
    pages = new_library.conn.execute("PRAGMA page_count").fetchone()[0]
    new_library.conn.execute(f"PRAGMA max_page_count = {pages + 20}")
    with pytest.raises(DiskFull) as raised:
        import_paths(new_library, [str(folder)])
    assert "full" in raised.value.message
    assert new_library.case_count() == 2


def test_a_restore_on_a_full_disk_leaves_the_library_as_it_was(small_disk, monkeypatch):
    from storage.keeping import backup

    monkeypatch.setenv("CASEBOOK_HOME", str(small_disk / "home"))  # backups on the small disk too
    library = small_disk / "library.casebook"
    with Library.open(library, create=True) as lib:
        import_paths(lib, [str(SEEDS)])
    taken = backup.backup_file(library)
    with Library.open(library) as lib:
        lib.set_notes(1, "Today's work.")
    fill(small_disk)
    with pytest.raises((BackupFailed, DiskFull)) as failed:
        backup.restore(taken, library)
    assert "full" in failed.value.message
    (small_disk / "filler").unlink()
    with Library.open(library) as lib:
        assert lib.case(1).notes == "Today's work."


def test_closing_with_notes_neither_saved_nor_kept_asks_first(qtbot, small_disk, monkeypatch):
    from gui_helpers import WAIT_MS, open_window, top_level, when_shown
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setenv("CASEBOOK_HOME", str(small_disk / "home"))  # drafts on the small disk too
    library = small_disk / "library.casebook"
    with Library.open(library, create=True) as lib:
        import_paths(lib, [str(SEEDS)])
    window = open_window(qtbot, library)
    window.session.backups.wait(WAIT_MS / 1000)
    window.select_row(0)
    fill(small_disk)
    window.review.notes.setFocus()
    qtbot.keyClicks(window.review.notes, "Typed on a full disk.")
    window.review.flush()
    qtbot.waitUntil(lambda: window.review.saved_label.text() == "Waiting for the library…", timeout=WAIT_MS)
    asked: list[str] = []

    def keep_open(box: QMessageBox) -> None:
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == "Keep Casebook open").click()

    when_shown(lambda: top_level(QMessageBox), keep_open)
    window.close()
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert "could not be saved" in asked[0] and window.lib is not None and window.isVisible()
    (small_disk / "filler").unlink()
    window.close()
    qtbot.waitUntil(lambda: window.lib is None, timeout=WAIT_MS)
    with Library.open(library) as lib:
        assert "Typed on a full disk." in {c.notes for c in lib.cases([1, 2])}
