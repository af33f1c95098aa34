"""Drag-and-drop onto the window and the import wizard, step by step, with real events."""

import csv
import logging
import shutil

import pytest
from conftest import BAD, CUSTODY_CASE, REAL, SEEDS, write_case
from gui_helpers import (
    WAIT_MS,
    close_window,
    drag_enter,
    drop_urls,
    file_urls,
    open_window,
    row_titles,
    tip_text,
    top_level,
    when_shown,
)
from PySide6.QtCore import QMimeData, Qt, QTimer, QUrl
from PySide6.QtGui import QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QWizard,
)

from gui.importing.history_dialog import ImportHistoryDialog, ReportModel
from gui.importing.import_wizard import CorrectionDialog, RejectedDialog
from gui.session.operations import ImportFiles
from storage.export import write_report_csv
from storage.keeping.library import Library

CASE = CUSTODY_CASE


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path / "wizard.casebook", create=True)
    yield w
    if w.wizard is not None:
        w.wizard.close()
    if w.lib is not None:
        close_window(qtbot, w)


def drop(qtbot, window, *paths, urls=()):
    entered, dropped = drop_urls(window, file_urls(*paths) + [QUrl(u) for u in urls])
    assert entered and dropped
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.isVisible(), timeout=WAIT_MS)
    wizard = window.wizard
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.review_page, timeout=WAIT_MS)
    return wizard


def statuses(wizard):
    return {f.name: (f.status, f.detail) for f in wizard.files}


def click(qtbot, wizard, which):
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def import_and_finish(qtbot, window, wizard):
    """Click Import, wait for the list to show the new cases and the Done page, click Finish."""
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        click(qtbot, wizard, QWizard.WizardButton.CommitButton)
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=WAIT_MS)
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert not wizard.isVisible()
    return wizard.report


def test_dropping_files_and_folders_imports_good_files_and_reports_bad_ones(qtbot, window, tmp_path):
    folder = tmp_path / "drop"
    shutil.copytree(REAL, folder / "real")
    shutil.copy(BAD / "pdf-renamed.txt", folder / "report.pdf")
    (folder / "empty").mkdir()
    wizard = drop(
        qtbot, window, folder, SEEDS / "000_f3618189f69007e2.txt", urls=["https://www.policeconduct.gov.uk/x"]
    )
    found = statuses(wizard)
    assert found["report.pdf"] == (
        "rejected",
        "This is a PDF document, not a text file. Save the summary as plain text.",
    )
    assert found["TRUTH.tsv"][0] == "rejected"
    assert "web address" in found["https://www.policeconduct.gov.uk/x"][1]
    assert "empty" in found["empty"][1]
    assert sum(1 for s, _ in found.values() if s in ("ready", "warnings")) == 31
    assert "31 cases will be imported" in wizard.review_page.summary.text()

    report = import_and_finish(qtbot, window, wizard)
    assert (report.imported, report.rejected) == (31, 4)
    assert window.lib.case_count() == 31
    assert window.model.rowCount() == 31


def test_only_problems_filter(qtbot, window, tmp_path):
    wizard = drop(qtbot, window, REAL / "066_tasered-west-yorkshire-2017.txt", BAD / "image.txt")
    table = wizard.review_page.table
    assert table.model().rowCount() == 2
    assert wizard.review_page.summary.text() == (
        "2 files: 1 ready, 1 not importable. <b>1 case will be imported.</b>"
    )
    title = wizard.files[0].record.title
    assert tip_text(table.model().index(0, 3).data(Qt.ItemDataRole.ToolTipRole)) == title
    assert tip_text(table.model().index(1, 7).data(Qt.ItemDataRole.ToolTipRole)) == wizard.files[1].detail
    qtbot.mouseClick(wizard.review_page.problems, Qt.MouseButton.LeftButton)
    assert table.model().rowCount() == 1
    assert table.model().index(0, 2).data() == "image.txt"


def test_unusable_drags_are_refused_and_duplicates_reported(qtbot, window):
    mime = QMimeData()
    mime.setText("just some text")
    assert not drag_enter(window, mime).isAccepted()

    report = import_and_finish(qtbot, window, drop(qtbot, window, REAL))
    assert report.imported == 30
    wizard = drop(qtbot, window, REAL)
    assert all(s in ("duplicate", "rejected") for s, _ in statuses(wizard).values())
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert "identical file" in statuses(wizard)["066_tasered-west-yorkshire-2017.txt"][1]


@pytest.mark.parametrize("choice,expected_cases,medway", [("replace", 1, False), ("keep_both", 2, True)])
def test_conflicts_are_handled_as_chosen(qtbot, window, tmp_path, choice, expected_cases, medway):
    first = write_case(tmp_path / "a", "first.txt", CASE)
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        window.session.write(ImportFiles((str(first),)), "importing")
    case_id = window.model.id_at(0)
    window.lib.set_notes(case_id, "Keep me")
    revised = write_case(tmp_path / "b", "revised.txt", CASE.replace("Medway", "Maidstone"))
    wizard = drop(qtbot, window, revised)
    assert statuses(wizard)["revised.txt"][0] == "conflict"
    combo = wizard.review_page.conflicts
    assert combo.isVisible()
    choose(qtbot, combo, choice)
    import_and_finish(qtbot, window, wizard)
    assert window.lib.case_count() == expected_cases
    original = window.lib.case(case_id)
    assert ("Medway" in original.narrative) == medway
    assert original.notes == "Keep me"


def choose(qtbot, combo, data):
    """Pick an entry of a combo box with the keyboard, as a user would."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    while combo.currentData() != data:
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def test_skipping_the_only_conflict_leaves_nothing_to_import(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        window.session.write(ImportFiles((str(write_case(tmp_path / "a", "a.txt", CASE)),)), "importing")
    wizard = drop(qtbot, window, write_case(tmp_path / "b", "b.txt", CASE.replace("Medway", "Maidstone")))
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert not commit.isEnabled()
    choose(qtbot, wizard.review_page.conflicts, "keep_both")
    assert commit.isEnabled()
    choose(qtbot, wizard.review_page.conflicts, "skip")
    assert not commit.isEnabled()


def test_hand_corrections_are_stored(qtbot, window, tmp_path):
    text = CASE.replace(" - Kent Police, May 2019", "").replace("\n2019/123456\n", "\n")
    wizard = drop(qtbot, window, write_case(tmp_path, "partial.txt", text))
    table = wizard.review_page.table

    def correct(dialog):
        assert "Custody death" in dialog.findChild(QLineEdit, "correct-title").text()
        for name, value in (("force", "Kent Police"), ("incident", "May 2019"), ("reference", "2019/654321")):
            edit = dialog.findChild(QLineEdit, f"correct-{name}")
            edit.clear()
            qtbot.keyClicks(edit, value)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    when_shown(lambda: top_level(CorrectionDialog), correct)
    rect = table.visualRect(table.model().index(0, 3))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert wizard.files[0].corrections == {
        "force": "Kent Police",
        "incident": "May 2019",
        "reference": "2019/654321",
    }
    assert table.model().index(0, 6).data() == "2019/654321"
    import_and_finish(qtbot, window, wizard)
    case = window.lib.find_case("2019/654321")
    assert (case.force, case.incident.month_iso()) == ("Kent Police", "2019-05")
    assert any("Corrected by hand" in w for w in case.warnings)


def test_unticked_files_are_left_out(qtbot, window):
    wizard = drop(
        qtbot,
        window,
        REAL / "066_tasered-west-yorkshire-2017.txt",
        REAL / "030_man-before-death-wiltshire-2016.txt",
    )
    table = wizard.review_page.table
    rect = table.visualRect(table.model().index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert "1 case will be imported" in wizard.review_page.summary.text()
    report = import_and_finish(qtbot, window, wizard)
    assert report.imported == 1 and report.count("left_out") == 1


def many_cases(folder, count):
    for i in range(count):
        write_case(folder, f"{i:05}.txt", CASE.replace("2019/123456", f"2019/{300000 + i}"))
    return folder


def test_cancel_during_import_leaves_no_trace(qtbot, window, tmp_path):
    wizard = drop(qtbot, window, many_cases(tmp_path / "many", 3000))
    before = window.lib.conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    cancelled = []

    def cancel_on_first_progress(value):
        if not cancelled:
            cancelled.append(value)
            click(qtbot, wizard, QWizard.WizardButton.CancelButton)

    wizard.import_page.progress.valueChanged.connect(cancel_on_first_progress)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=WAIT_MS)
    assert cancelled
    assert window.lib.conn.execute("SELECT count(*) FROM cases").fetchone()[0] == before == 0
    assert window.lib.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    assert "left as it was" in window.statusBar().currentMessage()


def test_reading_two_thousand_files_keeps_the_window_responsive(qtbot, window, tmp_path):
    folder = many_cases(tmp_path / "many", 2000)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    entered, dropped = drop_urls(window, file_urls(folder))
    assert entered and dropped
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.isVisible(), timeout=WAIT_MS)
    wizard = window.wizard
    start = len(ticks)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.review_page, timeout=60_000)
    read_ticks = len(ticks) - start
    timer.stop()
    assert read_ticks >= 5, "the event loop stood still while the files were read"
    assert len(wizard.files) == 2000


def test_done_page_saves_a_csv_report_and_shows_the_batch(qtbot, window, tmp_path):
    wizard = drop(qtbot, window, REAL / "066_tasered-west-yorkshire-2017.txt", BAD / "empty.txt")
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=WAIT_MS)
    assert "1</b> imported" in wizard.done_page.counts.text()
    path = tmp_path / "report.csv"
    write_report_csv(wizard.report, str(path))
    with open(path, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [(r["file"], r["outcome"]) for r in rows] == [
        ("066_tasered-west-yorkshire-2017.txt", "Imported"),
        ("empty.txt", "Not importable"),
    ]
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        qtbot.mouseClick(wizard.done_page.show_button, Qt.MouseButton.LeftButton)
    assert window.search_bar.text() == f"batch:{wizard.report.batch_id}"
    assert window.model.rowCount() == 1


def test_library_holds_nothing_after_wizard_cancelled_before_import(qtbot, window):
    wizard = drop(qtbot, window, REAL)
    click(qtbot, wizard, QWizard.WizardButton.CancelButton)
    assert not wizard.isVisible()
    assert Library.open(window.lib.path).case_count() == 0


def test_the_search_help_explains_the_batch_filter(qtbot, window):
    qtbot.mouseClick(window.search_bar.help_button, Qt.MouseButton.LeftButton)
    popup = window.search_bar.popup
    assert popup.isVisible()
    assert "batch:3" in popup.label.text() and "Import history" in popup.label.text()
    popup.close()


def when_open(kind, act):
    """Call `act(dialog)` once a modal `kind` is open (opening one blocks until it closes).

    The dialog is closed if `act` leaves it open (a failed check), so the test goes on to fail.
    """

    def attempt(tries=400):
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            try:
                act(dialog)
            finally:
                if dialog.isVisible():
                    dialog.reject()
        elif tries:
            QTimer.singleShot(50, lambda: attempt(tries - 1))

    QTimer.singleShot(0, attempt)


def type_file_name(qtbot, path):
    """Put a path in the open file dialog's name box and press Enter (pasted, as typing
    it would open the completion popup, which takes the Enter)."""

    def act(dialog):
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        edit.setFocus()
        edit.setText(str(path))
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    when_open(QFileDialog, act)


def test_done_page_lists_the_warnings_of_imported_files(qtbot, window, tmp_path, qtmodeltester):
    warned = REAL / "006_recommendation-northumbria-2022-a.txt"
    wizard = drop(qtbot, window, warned, BAD / "empty.txt")
    warnings = [w.message for w in wizard.files[0].record.warnings]
    assert warnings
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=WAIT_MS)
    model = wizard.done_page.table.model()
    assert isinstance(model, ReportModel)  # rows made as they are painted, not a widget item per cell
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "Imported"
    assert model.index(0, 2).data() == " ".join(warnings)
    assert model.index(1, 2).data() == "The file is empty."
    assert model.index(0, 3).data() == "real"
    write_report_csv(wizard.report, str(tmp_path / "report.csv"))
    with open(tmp_path / "report.csv", encoding="utf-8-sig") as f:
        assert next(csv.DictReader(f))["warnings"] == "; ".join(warnings)


def test_cancel_while_reading_says_so_and_closes_the_wizard(qtbot, window, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    folder = many_cases(tmp_path / "many", 3000)
    entered, dropped = drop_urls(window, file_urls(folder))
    assert entered and dropped
    qtbot.waitUntil(lambda: window.wizard is not None, timeout=WAIT_MS)
    wizard = window.wizard
    page = wizard.read_page
    shown = []

    def cancel_on_first_progress(value):
        if value and not shown:
            click(qtbot, wizard, QWizard.WizardButton.CancelButton)
            shown.append(page.status.text())

    page.progress.valueChanged.connect(cancel_on_first_progress)
    wizard.rejected.connect(lambda: shown.append(page.status.text()))
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=WAIT_MS)
    assert shown == ["Cancelling…", "Cancelling…"]  # at the click, and still when the wizard closed
    assert wizard.files == []
    assert window.lib.case_count() == 0
    assert window.lib.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    assert "left as it was" in window.statusBar().currentMessage()
    assert any("cancelled" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]


def test_back_from_the_review_page_is_not_offered(qtbot, window):
    wizard = drop(qtbot, window, REAL / "066_tasered-west-yorkshire-2017.txt")
    back = wizard.button(QWizard.WizardButton.BackButton)
    assert not back.isEnabled()
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.review_page
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "Import"


def test_the_wizard_fits_the_screen(qtbot, window):
    wizard = drop(qtbot, window, REAL)
    free = wizard.screen().availableGeometry()
    assert 0 < wizard.frameGeometry().width() <= free.width()
    assert 0 < wizard.frameGeometry().height() <= free.height()


def import_first(qtbot, window, tmp_path):
    """The library holds CASE; a revised file with the same reference is on disk."""
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        window.session.write(ImportFiles((str(write_case(tmp_path / "a", "a.txt", CASE)),)), "importing")
    return write_case(tmp_path / "b", "revised.txt", CASE.replace("Medway", "Maidstone"))


def test_a_conflict_shows_the_case_in_the_library_and_takes_a_choice(qtbot, window, tmp_path):
    wizard = drop(qtbot, window, import_first(qtbot, window, tmp_path))
    table = wizard.review_page.table
    seen = {}

    def check(dialog):
        for name in ("file-heading", "read-heading", "existing-title", "existing-reference",
                     "existing-published", "read-date", "read-category", "read-findings"):  # fmt: skip
            seen[name] = dialog.findChild(QLabel, name).text()
        choose(qtbot, dialog.findChild(QComboBox, "conflict-resolution"), "keep_both")
        qtbot.mouseClick(
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
            Qt.MouseButton.LeftButton,
        )

    when_open(CorrectionDialog, check)
    rect = table.visualRect(table.model().index(0, 3))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen == {
        "file-heading": "The file",
        "read-heading": "What Casebook read",
        "existing-title": "Custody death - Kent Police, May 2019",
        "existing-reference": "2019/123456",
        "existing-published": "8 October 2020",
        "read-date": "3 May 2019",
        "read-category": "Investigation",
        "read-findings": "No indication of misconduct",
    }
    assert wizard.files[0].resolution == "keep_both"
    assert table.model().index(0, 1).data() == "Conflict: keep both"
    import_and_finish(qtbot, window, wizard)
    assert window.lib.case_count() == 2


def test_a_conflict_can_be_settled_from_the_context_menu(qtbot, window, tmp_path):
    wizard = drop(
        qtbot, window, import_first(qtbot, window, tmp_path), REAL / "066_tasered-west-yorkshire-2017.txt"
    )
    table = wizard.review_page.table
    row = next(i for i, f in enumerate(wizard.files) if f.status == "conflict")
    picked = []

    def pick(tries=400):
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            if tries:
                QTimer.singleShot(50, lambda: pick(tries - 1))
            return
        try:
            action = next(a for a in menu.actions() if a.text() == "Conflict: replace, keep review")
            picked.append(action.text())
            qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
        finally:
            menu.close()

    QTimer.singleShot(0, pick)
    viewport = table.viewport()
    at = table.visualRect(table.model().index(row, 3)).center()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=at)
    menu_event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, viewport.mapToGlobal(at))
    QApplication.sendEvent(viewport, menu_event)
    qtbot.waitUntil(lambda: wizard.files[row].resolution == "replace", timeout=WAIT_MS)
    assert picked
    assert table.model().index(row, 1).data() == "Conflict: replace, keep review"
    report = import_and_finish(qtbot, window, wizard)
    assert (report.imported, report.updated) == (1, 1)
    assert window.lib.case_count() == 2
    assert "Maidstone" in window.lib.find_case("2019/123456").narrative


def test_a_file_that_cannot_be_imported_shows_its_text_and_why(qtbot, window):
    wizard = drop(qtbot, window, BAD / "web-page.txt")
    table = wizard.review_page.table
    seen = {}

    def check(dialog):
        seen["text"] = dialog.findChild(QPlainTextEdit, "correction-original").toPlainText()
        seen["reason"] = dialog.findChild(QLabel, "rejected-reason").text()
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close).click()

    when_open(RejectedDialog, check)
    at = table.visualRect(table.model().index(0, 2)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert "<p>Man dies - Kent Police, May 2019</p>" in seen["text"]
    assert seen["reason"] == wizard.files[0].detail
    assert "web page" in seen["reason"]


def test_import_history_from_the_file_menu(qtbot, window, tmp_path):
    folder = many_cases(tmp_path / "many", 1000)
    shutil.copy(REAL / "006_recommendation-northumbria-2022-a.txt", folder / "zz-warned.txt")
    shutil.copy(BAD / "empty.txt", folder / "zz-empty.txt")
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        window.session.write(ImportFiles((str(folder),), label="Many"), "importing")
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    history = next(a for a in file_menu.actions() if a.text() == "Import &history…")
    saved = tmp_path / "history.csv"
    seen = {}

    def use(dialog):
        seen["counts"] = [dialog.list.item(0, c).text() for c in range(2, 7)]
        table = dialog.files
        model = table.model()
        rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}
        warned = rows["zz-warned.txt"]
        seen["warned"] = model.index(warned, 2).data()
        seen["empty"] = model.index(rows["zz-empty.txt"], 2).data()
        seen["folder"] = (
            model.index(warned, 3).data(),
            tip_text(model.index(warned, 3).data(Qt.ItemDataRole.ToolTipRole)),
        )
        header = table.horizontalHeader()
        seen["layout"] = (
            header.sectionResizeMode(2) == QHeaderView.ResizeMode.Stretch,
            all(header.sectionSize(2) > header.sectionSize(c) for c in (1, 3)),
            table.wordWrap(),
            table.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed,
        )
        type_file_name(qtbot, saved)
        when_open(QMessageBox, lambda box: (seen.__setitem__("told", box.text()), box.accept()))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # returns once saved and said
        seen["saved"] = saved.exists()
        qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)

    when_open(ImportHistoryDialog, use)
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        history.trigger()
    assert seen.pop("counts") == ["1,002", "1,001", "0", "0", "1"]
    assert seen.pop("warned").startswith("No “Published” date was found.")
    assert seen.pop("empty") == "The file is empty."
    assert seen.pop("folder") == ("many", str(folder / "zz-warned.txt"))
    assert seen.pop("layout") == (True, True, False, True)
    assert str(saved) in seen.pop("told")  # saving says where the report went
    assert seen == {"saved": True}
    with open(saved, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    by_name = {r["file"]: r for r in rows}
    assert len(by_name) == 1002
    assert by_name["zz-warned.txt"]["warnings"].startswith("No “Published” date was found.")
    batch = window.lib.conn.execute("SELECT max(id) FROM batches").fetchone()[0]
    assert window.search_bar.text() == f"batch:{batch}"
    assert window.model.rowCount() == 1001


def test_ctrl_i_opens_the_file_picker_and_the_wizard(qtbot, window):
    action = window.actions_by_name["import"]
    assert action.shortcut() == QKeySequence("Ctrl+I")
    type_file_name(qtbot, REAL / "066_tasered-west-yorkshire-2017.txt")
    window.activateWindow()  # shortcuts reach the active window only
    qtbot.keyClick(window.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.isVisible(), timeout=WAIT_MS)
    wizard = window.wizard
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.review_page, timeout=WAIT_MS)
    assert [f.name for f in wizard.files] == ["066_tasered-west-yorkshire-2017.txt"]


def test_import_a_folder_opens_the_wizard_on_the_folder_chosen(qtbot, window):
    type_file_name(qtbot, REAL)
    window.actions_by_name["import_folder"].trigger()
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.isVisible(), timeout=WAIT_MS)
    wizard = window.wizard
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.review_page, timeout=WAIT_MS)
    assert len(wizard.files) == len(list(REAL.iterdir()))


def test_normal_variants_are_ready_with_a_note_and_real_warnings_stand_out(qtbot, window):
    noted = REAL / "006_recommendation-northumbria-2022-a.txt"  # no Published line, no reference
    cut = REAL / "048_custody-woman-dies-west-yorkshire-2018.txt"  # also stops mid-sentence
    wizard = drop(qtbot, window, noted, cut)
    page = wizard.review_page
    model = page.table.model()
    rows = {model.index(r, 2).data(): r for r in range(model.rowCount())}
    assert model.index(rows[noted.name], 1).data() == "Ready"
    assert model.index(rows[cut.name], 1).data() == "Ready, with warnings"
    assert "IOPC reference" in model.index(rows[noted.name], 7).data()
    details = model.index(rows[cut.name], 7).data()
    assert details.startswith("The text stops mid-sentence")  # the warning before the notes
    assert page.summary.text().startswith("2 files: 1 ready, 1 ready with warnings.")
    qtbot.mouseClick(page.problems, Qt.MouseButton.LeftButton)
    assert [model.index(r, 2).data() for r in range(model.rowCount())] == [cut.name]
    column = page.table.horizontalHeader().sectionSize(7)
    assert column >= page.table.fontMetrics().horizontalAdvance(details)  # shown in full, not clipped


def test_a_conflict_shows_its_choice_in_the_tick_and_the_line_below(qtbot, window, tmp_path):
    wizard = drop(qtbot, window, import_first(qtbot, window, tmp_path))
    page = wizard.review_page
    table, model = page.table, page.table.model()
    tick = model.index(0, 0)
    assert tick.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked  # skipped: not imported
    title = table.visualRect(model.index(0, 3)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=title)
    assert page.selected.text().startswith("<b>Conflict: skip this file</b>")
    choose(qtbot, page.conflicts, "keep_both")
    assert tick.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert page.selected.text().startswith("<b>Conflict: keep both</b>")
    choose(qtbot, page.conflicts, "skip")
    assert tick.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(tick).center())
    qtbot.keyClick(table, Qt.Key.Key_Space)  # ticking it imports it, as a second copy
    assert wizard.files[0].resolution == "keep_both"
    assert page.selected.text().startswith("<b>Conflict: keep both</b>")
    import_and_finish(qtbot, window, wizard)
    titles = sorted(row_titles(window))
    assert titles == [
        "Custody death - Kent Police, May 2019",
        "Custody death - Kent Police, May 2019 (second copy, from revised.txt)",
    ]
