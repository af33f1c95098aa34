"""Two programs on one library: the window (or a process holding the library the way it
does) and casebook-cli at the same time. Real processes and real files throughout."""

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS, custody_case, write_case

from storage.keeping.importing import import_paths
from storage.keeping.library import Library

ROOT = Path(__file__).resolve().parents[1]


def child_env(home) -> dict:
    return {**os.environ, "CASEBOOK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}


def cli(library: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gui.cli", "--library", str(library), *args],
        env=child_env(home), capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def notes_seen_by_another_program(library: Path) -> str:
    conn = sqlite3.connect(library)
    try:
        return conn.execute("SELECT notes FROM cases WHERE id = 1").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def shared_library(tmp_path) -> Path:
    path = tmp_path / "shared.casebook"
    with Library.open(path, create=True) as lib:
        import_paths(lib, [str(SEEDS)])
    return path


@pytest.mark.parametrize(
    "command",
    [
        ("search", "custody"),
        ("show", "1", "--json"),
        ("export", "", "--json"),
        ("import", "{new}"),
        ("info",),
    ],
)
def test_casebook_cli_beside_an_open_library_never_takes_its_log_away(
    shared_library, tmp_path, private_home, command
):
    new = write_case(tmp_path / "new", "new.txt", custody_case("2020/100001"))
    holder = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "child_holder.py"), str(shared_library)],
        env=child_env(private_home), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "READY"
        args = [a.replace("{new}", str(new.parent)) for a in command]
        assert cli(shared_library, private_home, *args).returncode == 0
        for attempt in ("after the command", "and again"):
            holder.stdin.write(f"written {attempt}\n")
            holder.stdin.flush()
            reply = json.loads(holder.stdout.readline())
            assert reply["deleted"] == [], "the library's files were deleted under the open library"
            assert notes_seen_by_another_program(shared_library).startswith(f"written {attempt}")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_the_library_and_its_working_files_are_never_read_as_summaries(shared_library, tmp_path):
    """Reading them would open and close the library's file in this process: its locks would go."""
    folder = tmp_path / "dropped"
    folder.mkdir()
    write_case(folder, "real.txt", custody_case("2020/100002"))
    os.link(shared_library, folder / "hard link to the library.txt")
    os.symlink(shared_library, tmp_path / "symlink.txt")
    other = tmp_path / "other library.casebook"
    Library.open(other, create=True).close()
    with Library.open(shared_library) as lib:
        dropped = [folder, tmp_path / "symlink.txt", other, shared_library]
        report = import_paths(lib, [str(p) for p in dropped])
    outcomes = {Path(f.path).name: (f.outcome, f.reason) for f in report.files}
    assert outcomes.pop("real.txt")[0] == "imported"
    assert len(outcomes) == 4
    for outcome, reason in outcomes.values():
        assert outcome == "rejected" and "Casebook library" in reason


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
@pytest.mark.parametrize("kind", [("--csv", "-o"), ("--json", "-o"), ("--pdf",)])
def test_casebook_cli_never_exports_over_a_library(shared_library, private_home, suffix, kind):
    before = shared_library.read_bytes()
    target = f"{shared_library}{suffix}"
    with Library.open(shared_library):  # so that its -wal and -shm exist
        done = cli(shared_library, private_home, "export", "", *kind, target)
    assert done.returncode != 0
    assert "library" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert shared_library.read_bytes() == before


def test_casebook_cli_never_exports_to_any_library_file_name(shared_library, private_home, tmp_path):
    other = tmp_path / "other.casebook"
    done = cli(shared_library, private_home, "export", "", "--csv", "-o", str(other))
    assert done.returncode != 0 and not other.exists()


def test_a_backup_is_never_written_over_a_library(shared_library, tmp_path):
    from storage.errors import OutputRefused
    from storage.keeping import backup

    other = tmp_path / "other.casebook"
    Library.open(other, create=True).close()
    for target in (shared_library, other, Path(f"{shared_library}-wal")):
        with pytest.raises(OutputRefused):
            backup.backup_file(shared_library, dest=target)
    with Library.open(other) as lib:
        assert lib.case_count() == 0


@pytest.mark.parametrize("action", ["pdf", "csv", "json", "backup"])
def test_no_save_dialog_writes_over_the_open_library(qtbot, shared_library, monkeypatch, action):
    from gui_helpers import close_window, open_window, top_level, when_shown
    from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

    window = open_window(qtbot, shared_library)
    window.select_row(0)
    before = shared_library.read_bytes()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(shared_library), ""))
    told = []
    when_shown(lambda: top_level(QDialog) if action == "pdf" else None, lambda d: d.accept())
    when_shown(lambda: top_level(QMessageBox), lambda box: (told.append(box.text()), box.accept()))
    window.actions_by_name[action].trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert "library" in told[0] and "Nothing was written" in told[0]
    close_window(qtbot, window)
    assert shared_library.read_bytes() == before


# ----- the window beside another program ------------------------------------------------

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("LOCKED", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def hold_lock(library: Path, seconds: float) -> subprocess.Popen:
    """Another program that takes the library's write lock and keeps it for `seconds`."""
    return subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(library), str(seconds)], stdout=subprocess.PIPE, text=True
    )


def notes_in(library: Path, case_id: int) -> str:
    conn = sqlite3.connect(library)
    try:
        return conn.execute("SELECT notes FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
    finally:
        conn.close()


def window_on(qtbot, library: Path):
    from gui_helpers import open_window

    window = open_window(qtbot, library)
    window.select_row(0)
    return window


def type_notes(qtbot, window, text: str) -> None:
    notes = window.review.notes
    notes.setFocus()
    notes.moveCursor(notes.textCursor().MoveOperation.End)
    qtbot.keyClicks(notes, text)


def test_notes_typed_while_another_program_holds_the_library_all_land(qtbot, shared_library):
    from gui_helpers import WAIT_MS, close_window

    window = window_on(qtbot, shared_library)
    first, second = window.model.id_at(0), window.model.id_at(1)
    holder = hold_lock(shared_library, 15)
    try:
        assert holder.stdout.readline().strip() == "LOCKED"
        type_notes(qtbot, window, "Typed while the library was busy.")
        saved_state = window.review.saved_label
        qtbot.waitUntil(lambda: saved_state.text() == "Waiting for the library…", timeout=WAIT_MS)
        window.select_row(1)  # away, and back: the text is still there
        window.select_row(0)
        assert window.review.notes.toPlainText() == "Typed while the library was busy."
        type_notes(qtbot, window, " And more, after coming back.")
        window.select_row(1)
        type_notes(qtbot, window, "Notes of the second case.")
        assert holder.wait(timeout=60) == 0
    finally:
        holder.kill()
    qtbot.waitUntil(lambda: not window.session.notes_saver.has_unsaved(), timeout=WAIT_MS)
    assert notes_in(shared_library, first) == "Typed while the library was busy. And more, after coming back."
    assert notes_in(shared_library, second) == "Notes of the second case."
    close_window(qtbot, window)


def test_closing_while_another_program_holds_the_library_keeps_the_notes(qtbot, shared_library):
    from gui_helpers import WAIT_MS, open_window, top_level, when_shown
    from PySide6.QtWidgets import QMessageBox

    window = window_on(qtbot, shared_library)
    case_id = window.model.id_at(0)
    holder = hold_lock(shared_library, 12)
    told = []
    try:
        assert holder.stdout.readline().strip() == "LOCKED"
        type_notes(qtbot, window, "Typed just before closing.")
        answer = lambda box: (told.append(f"{box.text()} {box.informativeText()}"), box.accept())  # noqa: E731
        when_shown(lambda: top_level(QMessageBox), answer, 3000)
        window.close()
        qtbot.waitUntil(lambda: window.lib is None, timeout=WAIT_MS)
        assert told and "kept" in told[0]
        assert holder.wait(timeout=60) == 0
    finally:
        holder.kill()
    again = open_window(qtbot, shared_library)  # the notes go in when the library opens again
    landed = lambda: notes_in(shared_library, case_id) == "Typed just before closing."  # noqa: E731
    qtbot.waitUntil(landed, timeout=WAIT_MS)
    again.select_row(again.model.row_of(case_id))
    assert again.review.notes.toPlainText() == "Typed just before closing."
    again.close()


def test_the_window_shows_what_casebook_cli_imports_and_its_next_note_lands(
    qtbot, shared_library, tmp_path, private_home
):
    from gui_helpers import WAIT_MS, close_window

    window = window_on(qtbot, shared_library)
    assert window.model.rowCount() == 2
    folder = tmp_path / "more"
    for i in range(3):
        write_case(folder, f"{i}.txt", custody_case(f"2021/20000{i}"))
    done = cli(shared_library, private_home, "import", str(folder))
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: window.model.rowCount() == 5, timeout=WAIT_MS)
    assert "5 cases" in window.count_label.text()
    type_notes(qtbot, window, "Noted after the import.")
    window.review.flush()
    case_id = window.review.case_id
    qtbot.waitUntil(lambda: notes_in(shared_library, case_id) == "Noted after the import.", timeout=WAIT_MS)
    close_window(qtbot, window)


def test_notes_another_program_saves_show_in_the_open_case(qtbot, shared_library):
    from gui_helpers import WAIT_MS, close_window

    window = window_on(qtbot, shared_library)
    case_id = window.review.case_id
    with Library.open(shared_library) as other:
        other.set_notes(case_id, "Written in another window.")
        other.set_status([case_id], "flagged")
    notes, status = window.review.notes, window.review.status_buttons
    qtbot.waitUntil(lambda: notes.toPlainText() == "Written in another window.", timeout=WAIT_MS)
    checked = lambda: [b.objectName() for b in status if b.isChecked()]  # noqa: E731
    qtbot.waitUntil(lambda: checked() == ["status-flagged"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ("flagged", 1) in window.result.facets["status"], timeout=WAIT_MS)
    assert window.model.case_row(window.model.row_of(case_id)).status == "flagged"
    close_window(qtbot, window)


def test_notes_typed_here_and_saved_elsewhere_at_once_are_both_kept(qtbot, shared_library):
    from gui_helpers import WAIT_MS, close_window

    window = window_on(qtbot, shared_library)
    case_id = window.review.case_id
    window.review._timer.setInterval(60_000)  # the reviewer is still typing: nothing sent yet
    type_notes(qtbot, window, "Mine, typed here.")
    with Library.open(shared_library) as other:
        other.set_notes(case_id, "Theirs, from another window.")
    qtbot.waitUntil(lambda: "Theirs" in window.review.notes.toPlainText(), timeout=WAIT_MS)
    assert "both texts are kept" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: "Mine" in notes_in(shared_library, case_id), timeout=WAIT_MS)
    both = notes_in(shared_library, case_id)
    assert both.startswith("Mine, typed here.") and both.endswith("Theirs, from another window.")
    close_window(qtbot, window)


def test_two_windows_typing_into_one_case_keep_every_word_once(shared_library, tmp_path):
    windows = []
    texts = {"a": "alpha bravo charlie delta ", "b": "xray yankee zulu kilo "}
    for name, text in texts.items():
        env = {**child_env(tmp_path / f"home-{name}")}
        windows.append(
            subprocess.Popen(
                [sys.executable, str(ROOT / "tests" / "child_typist.py"), str(shared_library), text, "40"],
                env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            )
        )
    try:
        for window in windows:
            assert window.stdout.readline().strip() == "READY"
        for window in windows:
            window.stdin.write("type\n")
            window.stdin.flush()
        outputs = [window.communicate(timeout=120)[0] for window in windows]
    finally:
        for window in windows:
            window.kill()
    shown = [json.loads(out.strip().splitlines()[-1]) for out in outputs]
    conn = sqlite3.connect(shared_library)
    [(notes,)] = conn.execute("SELECT notes FROM cases WHERE notes != ''").fetchall()
    conn.close()
    words = sorted(w for text in texts.values() for w in text.split())
    kept = notes.replace("also saved in another window or program", "")
    assert sorted(re.findall(r"[a-z]+", kept)) == words
    assert len(notes) < 2 * sum(len(t) for t in texts.values()), notes
    assert shown == [notes, notes], "each window shows the notes as the library holds them"


def test_notes_left_by_a_crash_show_at_once_and_go_in_when_the_library_is_free(qtbot, shared_library):
    from gui_helpers import WAIT_MS, close_window, open_window

    from storage.keeping import drafts

    drafts.save(shared_library, 1, "Typed just before the crash.", "")
    holder = hold_lock(shared_library, 8)
    try:
        assert holder.stdout.readline().strip() == "LOCKED"
        window = open_window(qtbot, shared_library)
        window.select_row(window.model.row_of(1))
        assert window.review.notes.toPlainText() == "Typed just before the crash."
        type_notes(qtbot, window, " And after it.")
        assert holder.wait(timeout=60) == 0
    finally:
        holder.kill()
    landed = lambda: notes_in(shared_library, 1) == "Typed just before the crash. And after it."  # noqa: E731
    qtbot.waitUntil(landed, timeout=WAIT_MS)
    assert not window.lib.read_only and "Not writable" not in window.library_label.text()
    close_window(qtbot, window)


def test_another_programs_write_keeps_the_selection_and_the_readers_place(qtbot, shared_library, tmp_path):
    from gui_helpers import WAIT_MS, close_window
    from PySide6.QtCore import QItemSelectionModel

    folder = tmp_path / "more"
    for i in range(6):
        findings = "A long paragraph of findings. " * 200
        write_case(folder, f"{i}.txt", custody_case(f"2021/30000{i}").replace("IOPC", f"{findings}\n\nIOPC"))
    with Library.open(shared_library) as lib:
        import_paths(lib, [str(folder)])
    window = window_on(qtbot, shared_library)
    window.resize(1200, 700)
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (1, 2, 3):
        window.table.selectionModel().select(window.model.index(row, 0), flags)
    bar = window.detail.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=WAIT_MS)
    bar.setValue(bar.maximum() // 2)
    before = (sorted(window.selected_ids()), bar.value())
    last = window.model.id_at(window.model.rowCount() - 1)
    with Library.open(shared_library) as other:
        other.set_status([last], "flagged")
    flagged = lambda: window.model.case_row(window.model.row_of(last)).status == "flagged"  # noqa: E731
    qtbot.waitUntil(flagged, timeout=WAIT_MS)
    assert (sorted(window.selected_ids()), bar.value()) == before
    close_window(qtbot, window)


def test_printing_to_the_librarys_own_file_is_refused(qtbot, shared_library):
    from gui_helpers import close_window, top_level, when_shown
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QMessageBox

    from gui.output.printing import PrintOptions

    window = window_on(qtbot, shared_library)
    before = shared_library.read_bytes()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(shared_library))  # what the print dialog's "Print to File" sets
    told = []
    when_shown(lambda: top_level(QMessageBox), lambda box: (told.append(box.text()), box.accept()))
    window.output._paint_unless_refused(printer, list(window.lib.cases([1])), PrintOptions(False, "A4"))
    assert told and "library" in told[0]
    assert shared_library.read_bytes() == before
    close_window(qtbot, window)


def test_a_library_whose_name_is_not_utf8_saves_notes(qtbot, tmp_path):
    from gui_helpers import WAIT_MS, close_window

    odd = tmp_path / os.fsdecode(b"caf\xe9 notes.casebook")
    with Library.open(odd, create=True) as lib:
        import_paths(lib, [str(SEEDS)])
    window = window_on(qtbot, odd)
    type_notes(qtbot, window, "Saved all the same.")
    window.review.flush()
    qtbot.waitUntil(lambda: notes_in(odd, window.review.case_id) == "Saved all the same.", timeout=WAIT_MS)
    close_window(qtbot, window)


def test_a_change_between_the_first_search_and_the_first_look_is_shown(qtbot, shared_library):
    from gui.session.library_watch import LibraryWatch
    from gui.session.worker import Worker

    runner = Worker("watch-test", shared_library)
    watch = LibraryWatch(runner)
    with Library.open(shared_library) as lib:
        seen_by_the_first_search = lib.change_state()
        lib.set_status([1], "flagged")  # lands before the watch's first reading
    with qtbot.waitSignal(watch.changed, timeout=10_000):
        watch.shown(seen_by_the_first_search)
        watch.poll()
    watch.stop()
    runner.close()


# ----- what the window says of what happened elsewhere -------------------------------------


def test_a_change_the_busy_library_refused_is_told_in_a_bar_that_leaves_the_keyboard_alone(
    qtbot, shared_library
):
    """A message box that came up seconds after Ctrl+4 took the words typed into the notes
    meanwhile, and the next space closed it unread."""
    from gui_helpers import WAIT_MS, close_window, no_message_box
    from PySide6.QtCore import Qt

    window = window_on(qtbot, shared_library)
    holder = hold_lock(shared_library, 15)
    try:
        assert holder.stdout.readline().strip() == "LOCKED"
        notes = window.review.notes
        notes.setFocus()
        qtbot.waitUntil(notes.hasFocus)
        bar = window.message_bar
        with no_message_box():
            window.cases.set_status("flagged")
            qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
            assert window.review.saved_label.text() == "Not saved"
            qtbot.keyClicks(notes, "Typed after the bar came up.")
        assert notes.hasFocus() and notes.toPlainText() == "Typed after the bar came up."
        said = bar.text.text()
        assert said.startswith("Saving the status did not work.") and "busy" in said
        assert holder.wait(timeout=60) == 0
    finally:
        holder.kill()
    qtbot.waitUntil(lambda: notes_in(shared_library, window.model.id_at(0)) == "Typed after the bar came up.")
    qtbot.mouseClick(bar.dismiss, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()
    close_window(qtbot, window)


def test_a_library_the_system_will_not_let_us_write_says_so_and_offers_no_review_fields(
    qtbot, shared_library, monkeypatch
):
    from gui_helpers import close_window

    real_access = os.access
    monkeypatch.setattr(  # what the system says of a file on a read-only disk, even to root
        os, "access", lambda path, mode: False if mode == os.W_OK else real_access(path, mode)
    )
    window = window_on(qtbot, shared_library)
    assert window.lib.read_only
    assert window.message_bar.isVisible() and "read-only" in window.message_bar.text.text()
    review = window.review
    assert "read-only" in review.hint.text()
    assert not any(b.isEnabled() for b in review.status_buttons) and not review.tag_edit.isEnabled()
    review.notes.setFocus()
    qtbot.keyClicks(review.notes, "lost words")
    assert review.notes.toPlainText() == ""
    close_window(qtbot, window)


def test_a_library_deleted_while_open_is_told_and_its_work_can_be_saved_in_a_copy(
    qtbot, shared_library, tmp_path, monkeypatch
):
    from gui_helpers import WAIT_MS, close_window, top_level, when_shown
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    window = window_on(qtbot, shared_library)
    try:
        case_id = window.model.id_at(0)
        type_notes(qtbot, window, "Typed before the file was deleted.")
        qtbot.waitUntil(lambda: notes_in(shared_library, case_id) != "", timeout=WAIT_MS)
        for name in os.listdir(shared_library.parent):
            if name.startswith(shared_library.name):
                os.remove(shared_library.parent / name)  # `rm shared.casebook*`, as another program might
        bar = window.message_bar
        qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
        assert "deleted, moved or replaced" in bar.text.text() and bar.action.isVisible()
        type_notes(qtbot, window, " And after.")
        saved_state = window.review.saved_label.text
        qtbot.waitUntil(lambda: saved_state() == "Not in the library file", timeout=WAIT_MS)  # not "Saved"
        asked = []
        when_shown(lambda: top_level(QMessageBox), lambda box: (asked.append(box.text()), box.reject()))
        window.close()  # asks first, and Cancel keeps it open
        qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
        assert "deleted, moved or replaced" in asked[0] and window.isVisible()
        window.message_bar.show_error(OSError(28, "No space left on device"), "saving something else")
        qtbot.mouseClick(bar.dismiss, Qt.MouseButton.LeftButton)  # a later message, dismissed:
        assert bar.isVisible() and "deleted, moved or replaced" in bar.text.text()  # this one is back
        copy = tmp_path / "rescued.casebook"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
        qtbot.mouseClick(bar.action, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(copy.exists, timeout=WAIT_MS)
        assert notes_in(copy, case_id) == "Typed before the file was deleted. And after."
        qtbot.waitUntil(lambda: bar.action.text() == "Open the copy", timeout=WAIT_MS)
        with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
            qtbot.mouseClick(bar.action, Qt.MouseButton.LeftButton)
        assert window.lib.path == copy and not bar.isVisible()
    finally:  # a failure above must not leave the teardown's closing waiting on its question
        window._copy_needed = False
    close_window(qtbot, window)


def test_a_backup_that_fails_does_not_say_the_review_fields_were_not_saved(
    qtbot, shared_library, tmp_path, monkeypatch
):
    from gui_helpers import WAIT_MS, close_window
    from PySide6.QtWidgets import QFileDialog

    window = window_on(qtbot, shared_library)
    case_id = window.model.id_at(0)
    type_notes(qtbot, window, "Kept.")
    qtbot.waitUntil(lambda: notes_in(shared_library, case_id) == "Kept.", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.review.saved_label.text() == "Saved", timeout=WAIT_MS)
    nowhere = tmp_path / "no such folder" / "copy.casebook"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(nowhere), ""))
    window.flows.backup_library()
    qtbot.waitUntil(window.message_bar.isVisible, timeout=WAIT_MS)
    assert "backing up" in window.message_bar.text.text().lower()
    assert window.review.saved_label.text() == "Saved"
    close_window(qtbot, window)
