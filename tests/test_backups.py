"""Backups belong to one library: taken when they matter, listed with what they hold."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS, custody_case, write_case
from gui_helpers import WAIT_MS, close_window, open_window, top_level, when_shown
from PySide6.QtWidgets import QDialog, QFileDialog

from gui.window.library_dialogs import RestoreDialog
from storage.keeping import backup
from storage.keeping.importing import import_paths
from storage.keeping.library import Library

ROOT = Path(__file__).resolve().parents[1]


def make_library(path: Path, cases: int) -> Path:
    with Library.open(path, create=True) as lib:
        if cases:
            folder = path.parent / f"{path.stem}-cases"
            for i in range(cases):
                write_case(folder, f"{i}.txt", custody_case(f"2019/{300000 + i}"))
            import_paths(lib, [str(folder)])
    return path


def test_two_libraries_of_the_same_name_never_share_backups(tmp_path):
    big = make_library(tmp_path / "work" / "library.casebook", 5)
    small = make_library(tmp_path / "home" / "library.casebook", 1)
    backup.backup_if_due(big)
    backup.backup_if_due(small)  # the same day, the same name: still its own
    assert backup.latest(big).cases == 5
    assert backup.latest(small).cases == 1
    assert {b.path for b in backup.describe(big)}.isdisjoint(b.path for b in backup.describe(small))


def test_backups_an_older_casebook_filed_by_name_are_listed_but_never_offered_as_latest(tmp_path):
    from storage import paths

    library = make_library(tmp_path / "library.casebook", 2)
    legacy = paths.legacy_backup_dir(library)
    legacy.mkdir(parents=True)
    shutil.copyfile(library, legacy / "library-20260101-120000-1-daily.casebook")
    listed = backup.describe(library)
    assert [b.of_this_library for b in listed] == [False]
    assert backup.latest(library) is None


def test_the_first_import_into_a_library_is_backed_up(tmp_path, private_home):
    library = tmp_path / "new.casebook"
    done = subprocess.run(
        [sys.executable, "-m", "gui.cli", "--library", str(library), "import", str(SEEDS)],
        env={**__import__("os").environ, "CASEBOOK_HOME": str(private_home), "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    taken = backup.latest(library)
    assert taken is not None and taken.reason == "first-import" and taken.cases == 2
    with Library.open(library) as lib:  # a second import is not a first
        import_paths(lib, [str(write_case(tmp_path / "more", "a.txt", custody_case("2020/111111")))])
    assert [b.reason for b in backup.describe(library)] == ["first-import"]


def test_samples_loaded_into_a_new_library_in_the_window_are_backed_up(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path / "fresh.casebook", create=True)
    window.session.backups.wait(WAIT_MS / 1000)  # the day's backup, of the empty library
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        window.load_samples()
    qtbot.waitUntil(lambda: backup.latest(window.lib.path).reason == "first-import", timeout=WAIT_MS)
    assert backup.latest(window.lib.path).cases == 2
    close_window(qtbot, window)


def test_an_import_that_replaces_cases_backs_up_the_library_first(tmp_path):
    library = make_library(tmp_path / "library.casebook", 0)
    first = write_case(tmp_path / "a", "case.txt", custody_case("2019/555555"))
    changed = write_case(tmp_path / "b", "case.txt", custody_case("2019/555555") + "\nA new paragraph.\n")
    with Library.open(library) as lib:
        import_paths(lib, [str(first)])
        lib.set_notes(1, "My notes.")
        import_paths(lib, [str(first.parent)], resolution="keep_both")  # a duplicate: no backup
        assert backup.describe(library) == []
        report = import_paths(lib, [str(changed)], resolution="replace")
    assert report.updated == 1
    [taken] = backup.describe(library)
    assert taken.reason == "before-replace"
    with Library.open(taken.path) as copy:
        assert "A new paragraph" not in copy.case(1).narrative


def test_a_backup_made_elsewhere_is_listed_by_restore_with_its_cases(qtbot, tmp_path, monkeypatch):
    library = make_library(tmp_path / "library.casebook", 3)
    window = open_window(qtbot, library)
    window.session.backups.wait(WAIT_MS / 1000)
    elsewhere = tmp_path / "usb stick" / "my copy.casebook"
    elsewhere.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(elsewhere), ""))
    window.actions_by_name["backup"].trigger()
    qtbot.waitUntil(lambda: "Backed up to" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    rows = []

    def read(dialog: RestoreDialog) -> None:
        table = dialog.table
        rows.extend(
            [table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())
        )
        dialog.reject()

    when_shown(lambda: top_level(RestoreDialog), read)
    window.actions_by_name["restore"].trigger()
    by_place = {row[3]: row for row in rows}
    assert by_place[str(elsewhere)][1:3] == ["3", "Made by you"]
    assert any(row[2] == "Daily, on opening" and row[1] == "3" for row in rows)
    assert top_level(QDialog) is None
    close_window(qtbot, window)


@pytest.mark.parametrize("target", ["library", "wal"])
def test_backing_up_onto_the_library_is_refused(tmp_path, target):
    from storage.errors import OutputRefused

    library = make_library(tmp_path / "library.casebook", 1)
    with Library.open(library), pytest.raises(OutputRefused):
        backup.backup_file(library, dest=library if target == "library" else Path(f"{library}-wal"))


def test_a_restore_reaches_another_program_that_has_the_library_open(tmp_path, private_home):
    import json
    import os
    import sqlite3

    library = make_library(tmp_path / "library.casebook", 2)
    taken = backup.backup_file(library)
    env = {**os.environ, "CASEBOOK_HOME": str(private_home), "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "child_holder.py"), str(library)],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "READY"
        with Library.open(library) as lib:
            import_paths(lib, [str(write_case(tmp_path / "later", "x.txt", custody_case("2020/222222")))])
        kept = backup.restore(taken, library)
        holder.stdin.write("written after the restore\n")
        holder.stdin.flush()
        assert json.loads(holder.stdout.readline())["deleted"] == []
        conn = sqlite3.connect(library)
        sql = "SELECT (SELECT notes FROM cases WHERE id = 1), count(*) FROM cases"
        notes, cases = conn.execute(sql).fetchone()
        conn.close()
        assert notes.startswith("written after the restore") and cases == 2
        assert backup.case_count(kept) == 3, "the library as it was is kept, and listed"
        assert any(info.path == kept and info.reason == "replaced" for info in backup.describe(library))
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_restore_through_a_link_keeps_the_link(tmp_path):
    real = make_library(tmp_path / "real" / "library.casebook", 2)
    link = tmp_path / "link.casebook"
    link.symlink_to(real)
    taken = backup.backup_file(link)
    with Library.open(link) as lib:
        lib.set_notes(1, "After the backup.")
    backup.restore(taken, link)
    assert link.is_symlink()
    with Library.open(real) as lib:
        assert lib.case(1).notes == ""


def test_the_cli_says_plainly_when_no_backup_follows_a_first_import(tmp_path, private_home):
    import os

    (private_home / "data").mkdir(parents=True, exist_ok=True)
    (private_home / "data" / "backups").write_text("a file where the backups folder goes")
    done = subprocess.run(
        [sys.executable, "-m", "gui.cli", "--library", str(tmp_path / "new.casebook"), "import", str(SEEDS)],
        env={**os.environ, "CASEBOOK_HOME": str(private_home), "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "import is complete" in done.stderr and "Batch 1: 2 imported" in done.stdout
