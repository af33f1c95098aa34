"""Saving the reviewer's work from the window: notes while typing, the daily backup."""

import shutil

import pytest
from conftest import FIXTURES
from gui_helpers import WAIT_MS, close_window, open_window
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from gui.settings import Settings
from gui.window.main_window import MainWindow
from storage.keeping import backup
from storage.keeping.library import Library, needs_upgrade


def test_notes_reach_the_library_while_typing_goes_on(qtbot, window):
    path = window.lib.path
    window.select_row(0)
    case_id = window.current_case_id()
    notes = window.review.notes
    notes.setFocus()
    for ch in "Counsel to see":
        qtbot.keyClick(notes, ch)
        qtbot.wait(150)  # a steady typist: never a pause long enough to count as stopping
    window.session.writer.wait()
    saved = window.lib.case(case_id).notes
    assert saved and "Counsel to see".startswith(saved)
    close_window(qtbot, window)
    assert Library.open(path).case(case_id).notes == "Counsel to see"


def type_notes_without_pausing(qtbot, window, text):
    """Type notes into the first case, then return its id at once (no time for the save timer)."""
    window.activateWindow()
    qtbot.waitActive(window)
    window.select_row(0)
    notes = window.review.notes
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus, timeout=WAIT_MS)
    qtbot.keyClicks(notes, text)
    return window.current_case_id()


def switch_case(qtbot, window):
    window.select_row(1)


def focus_the_search_bar(qtbot, window):
    qtbot.keyClick(window.review.notes, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.search_bar.edit.hasFocus(), timeout=WAIT_MS)


@pytest.mark.parametrize("leave", [switch_case, focus_the_search_bar])
def test_notes_are_saved_on_leaving_them(qtbot, window, leave):
    case_id = type_notes_without_pausing(qtbot, window, "Ask for the log")
    leave(qtbot, window)
    window.session.writer.wait()
    assert window.lib.case(case_id).notes == "Ask for the log"


def test_opening_a_library_takes_the_days_backup_once(qtbot, library):
    path = library.path
    library.close()
    window = open_window(qtbot, path)
    qtbot.waitUntil(lambda: len(backup.list_backups(path)) == 1, timeout=WAIT_MS)
    assert backup.describe(path)[0].reason == "daily"
    close_window(qtbot, window)
    window = open_window(qtbot, path)
    window.session.writer.wait()  # the check, after which the day's backup is asked for
    window.session.backups.wait()
    assert len(backup.list_backups(path)) == 1  # not again the same day
    close_window(qtbot, window)


def test_notes_are_saved_while_the_backup_runs(qtbot, window):
    # The writer is free during the day's backup: a status change lands in the library
    # however long the copy takes.
    case_id = window.lib.find_case("2016/070829").id
    window.cases.set_status("flagged", [case_id])
    window.session.writer.wait()
    assert window.lib.case(case_id).status == "flagged"


def test_a_damaged_library_is_not_backed_up(qtbot, library):
    # Damage deep in the file, which only the writer's integrity check in the background finds:
    # backing it up would push a good backup out of the seven kept.
    path = library.path
    library.close()
    data = bytearray(path.read_bytes())
    middle = len(data) // 4096 // 2 * 4096
    data[middle : middle + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    asked = []

    def dismiss():  # the window offers to restore or open another library: say no
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                asked.append(w.text())
                w.reject()
        QTimer.singleShot(100, dismiss)

    QTimer.singleShot(100, dismiss)
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    window.open_library(path)
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert "damaged" in asked[0]
    window.session.backups.wait()
    assert backup.list_backups(path) == []  # no backup was started
    window.close()


def test_the_window_upgrades_an_old_library_after_a_backup(qtbot, tmp_path):
    old = tmp_path / "v1.casebook"
    shutil.copy(FIXTURES / "libraries" / "v1.casebook", old)
    assert needs_upgrade(old)
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        assert window.open_library(old)
        assert window.lib is None  # the upgrade runs on another thread; the window stays live
        assert "Upgrading" in window.findChild(QProgressDialog).labelText()
    assert window.model.rowCount() == 3 and not needs_upgrade(old)
    assert [b.reason for b in backup.describe(old)] == ["before-upgrade-v1"]
    close_window(qtbot, window)
