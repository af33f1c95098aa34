"""Damage SQLite's quick check cannot see: one plain message and a repair, not a traceback
per search. The damage is done the way another program or a bad disk would do it."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REAL
from gui_helpers import WAIT_MS, close_window, no_message_box, open_window, top_level, when_shown
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from storage.keeping import backup, repair
from storage.keeping.importing import import_paths
from storage.keeping.library import Library
from storage.searching.search import search as run_search

ROOT = Path(__file__).resolve().parents[1]


def damage(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


DAMAGE = {
    "index": "DELETE FROM cases_fts_data WHERE id > 10",  # every segment page gone
    "warnings": "UPDATE cases SET warnings = '{' WHERE id = 3",
    "dates": "UPDATE cases SET incident_start = 'garbage', published = 42 WHERE id = 3",
    "notes as bytes": "UPDATE cases SET notes = X'4d79206e6f746573', status = 'bogus' WHERE id = 3",
    "filter values as bytes": "UPDATE cases SET published = X'32303230', incident_date = X'00',"
    " force = X'4b', findings = X'00', batch_id = X'01', tags = X'41', status = X'6e6577' WHERE id = 3",
}


@pytest.fixture
def real_library(tmp_path) -> Path:
    path = tmp_path / "real.casebook"
    with Library.open(path, create=True) as lib:
        import_paths(lib, [str(REAL)])
    return path


def cli(library: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CASEBOOK_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "gui.cli", "--library", str(library), *args],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_the_command_line_says_what_is_damaged_and_repairs_it(real_library, private_home, kind):
    damage(real_library, DAMAGE[kind])
    searched = cli(real_library, private_home, "search", "police")
    assert "Traceback" not in searched.stderr
    if kind == "index":
        assert searched.returncode != 0 and "repair" in searched.stderr
    else:  # a malformed value costs no search
        assert searched.returncode == 0 and searched.stdout.startswith("30 cases")
    checked = cli(real_library, private_home, "check")
    assert checked.returncode == 1
    assert ("index" in checked.stdout) if kind == "index" else ("case 3 (“" in checked.stdout)
    repaired = cli(real_library, private_home, "repair")
    assert repaired.returncode == 0 and "Repaired" in repaired.stdout
    assert backup.latest(real_library).reason == "before-repair"
    assert cli(real_library, private_home, "check").returncode == 0
    assert cli(real_library, private_home, "search", "police").stdout.startswith("30 cases")


def test_text_that_is_not_utf8_costs_no_search_and_reads_with_replacement_marks(real_library, private_home):
    """Another tool (or damage) may store bytes that are not UTF-8 as text: searches (the column
    store) and the case still work, the bad bytes shown as U+FFFD, and never a traceback."""
    not_utf8 = "CAST(X'4bff22' AS TEXT)"
    damage(real_library, f"UPDATE cases SET force = {not_utf8}, title = CAST(X'ff' AS TEXT) WHERE id = 3")
    searched = cli(real_library, private_home, "search", "police")
    assert searched.returncode == 0 and searched.stdout.startswith("30 cases"), searched.stderr
    shown = cli(real_library, private_home, "show", "3")
    assert shown.returncode == 0 and "Traceback" not in shown.stderr
    assert "K\ufffd\"" in shown.stdout


def test_a_repair_keeps_notes_stored_as_bytes_as_text(real_library):
    damage(real_library, DAMAGE["notes as bytes"])
    with Library.open(real_library) as lib:
        found = repair.repair(lib)
        assert [(m.case_id, m.columns) for m in found.malformed] == [(3, ("notes", "status"))]
        case = lib.case(3)
        assert (case.notes, case.status) == ("My notes", "new")


def test_every_case_still_shows_beside_a_malformed_value(real_library):
    damage(real_library, DAMAGE["warnings"])
    damage(real_library, DAMAGE["dates"])
    with Library.open(real_library) as lib:
        result = run_search(lib, "")
        assert result.total == 30
        assert len(list(lib.cases([int(i) for i in result.ids]))) == 30
        assert lib.case(3).incident is None and lib.case(3).warnings == ()


def test_the_window_says_once_that_the_index_is_damaged_and_repairs_it(qtbot, real_library):
    window = open_window(qtbot, real_library)
    window.session.backups.wait(WAIT_MS / 1000)
    damage(real_library, DAMAGE["index"])
    edit, bar = window.search_bar.edit, window.message_bar
    with no_message_box():
        edit.setFocus()
        qtbot.keyClicks(edit, "police")
        qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
        assert "search index" in bar.text.text() and "damaged" in bar.text.text()
        qtbot.keyClicks(edit, " custody")  # the keys go on into the search, not into a box
        assert edit.text() == "police custody"
        qtbot.waitUntil(lambda: "damaged" in window.statusBar().currentMessage(), timeout=WAIT_MS)
        assert bar.action.text() == "Repair now"
        qtbot.mouseClick(bar.action, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Repaired" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    assert not bar.isVisible()
    edit.selectAll()
    qtbot.keyClicks(edit, "police")
    qtbot.waitUntil(lambda: window.model.rowCount() == 30, timeout=WAIT_MS)
    close_window(qtbot, window)


def test_the_window_names_malformed_cases_when_it_opens_the_library(qtbot, real_library):
    damage(real_library, DAMAGE["dates"])
    window = open_window(qtbot, real_library)
    bar = window.message_bar
    qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
    assert "case 3 (“" in bar.text.text() and "incident start" in bar.text.text()
    assert window.model.rowCount() == 30
    close_window(qtbot, window)


def test_check_and_repair_from_the_menu_asks_in_a_box_and_repairs(qtbot, real_library):
    """Asked for, the check's answer is awaited: a box is right there (the bar is for what is
    found while the reviewer is busy with something else)."""
    window = open_window(qtbot, real_library)
    window.session.backups.wait(WAIT_MS / 1000)
    damage(real_library, DAMAGE["index"])
    told: list[str] = []

    def repair_now(box: QMessageBox) -> None:
        told.append(box.text())
        next(b for b in box.buttons() if b.text() == "Repair now").click()

    when_shown(lambda: top_level(QMessageBox), repair_now, tries=3000)
    window.actions_by_name["check"].trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=WAIT_MS)
    assert "search index" in told[0]
    edit = window.search_bar.edit
    edit.setFocus()
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):  # a damaged index never finishes
        qtbot.keyClicks(edit, "police")
    qtbot.waitUntil(lambda: window.results.result_text == "police" and window.result.total == 30)
    close_window(qtbot, window)
