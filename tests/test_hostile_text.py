"""Text from files, libraries and typing is never read as markup, and never reorders what is shown.

Qt renders a tooltip, or a label or message box left to guess its format, as HTML when
it looks like markup, and loads the `<img>` sources in it from disk. These tests put
markup in every field of a case, in file and library names, tags, notes and searches,
then look at everything the real window, the import wizard and their dialogs show:
every widget's texts and tooltips, and every role of every model.
"""

from __future__ import annotations

import ast
import hashlib
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from conftest import custody_case, write_case
from gui_helpers import WAIT_MS, close_window, open_window, search, top_level, wait_search, when_shown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QImage, QTextDocument
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QWidget,
    QWizard,
)

from gui.dialogs import OriginalTextDialog
from gui.importing.history_dialog import ImportHistoryDialog
from gui.importing.import_wizard import CorrectionDialog, RejectedDialog
from gui.output.printing import PrintOptions, write_pdf
from gui.session.operations import ImportFiles
from storage.keeping.importing import PlannedFile, import_planned
from storage.keeping.library import Library
from storage.records import CaseRecord, FuzzyDate, ReadResult, ReadWarning, SourceFile

ROOT = Path(__file__).resolve().parents[1]
MARK = "HOSTILE"
MARKUP = f"<img src=fifo><b>{MARK}</b>"
"""What must show literally wherever the mark shows: an image from a FIFO in the current folder
(a file name cannot hold a "/"), and bold text."""
PAYLOAD = f'{MARKUP}<img src="/dev/zero">\u202eevil'
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.EditRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.StatusTipRole,
    Qt.ItemDataRole.WhatsThisRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.AccessibleDescriptionRole,
)
GUESSED = (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.WhatsThisRole)
"""Roles whose text Qt renders as rich text when it looks like markup."""


# ----- what the window shows ------------------------------------------------------------


class Rendering(QTextDocument):
    """Rich text laid out as Qt would, noting every resource it asks for instead of loading it."""

    def __init__(self, html: str):
        super().__init__()
        self.asked: list[str] = []
        self.setHtml(html)
        self.setTextWidth(600)
        self.size()  # laying out asks for the images

    def loadResource(self, kind, url):
        self.asked.append(url.toString())
        return QImage(1, 1, QImage.Format.Format_ARGB32)  # given nothing, Qt reads an image's file itself


class Shown:
    """Everything on screen as the user sees it: (where, text as rendered, resources asked for)."""

    def __init__(self):
        self.items: list[tuple[str, str, list[str]]] = []

    def add(self, where: str, text, guessed: bool = False, rich: bool = False, editable: bool = False):
        if not isinstance(text, str) or not text:
            return
        if rich or (guessed and QtGui.mightBeRichText(text)):
            rendering = Rendering(text)
            self.items.append((where, rendering.toPlainText(), rendering.asked))
        else:
            self.items.append((where + (" (typed)" if editable else ""), text, []))

    def widget(self, w: QWidget) -> None:
        name = f"{type(w).__name__}({w.objectName()})"
        self.add(f"{name} tooltip", w.toolTip(), guessed=True)
        self.add(f"{name} what's this", w.whatsThis(), guessed=True)
        self.add(f"{name} status tip", w.statusTip())
        if w.isWindow():
            self.add(f"{name} title", w.windowTitle())
        for action in w.actions():
            self.add(f"{name} action", action.text())
            self.add(f"{name} action tooltip", action.toolTip(), guessed=True)
        if isinstance(w, QLabel):
            label_format = w.textFormat()
            rich = label_format in (Qt.TextFormat.RichText, Qt.TextFormat.MarkdownText)
            self.add(f"{name} text", w.text(), guessed=label_format == Qt.TextFormat.AutoText, rich=rich)
        elif isinstance(w, QAbstractButton):
            self.add(f"{name} text", w.text())
        elif isinstance(w, QLineEdit):
            self.add(f"{name} text", w.text(), editable=not w.isReadOnly())
            self.add(f"{name} placeholder", w.placeholderText())
        elif isinstance(w, QTextEdit):
            self.add(f"{name} document", w.toPlainText())
        elif isinstance(w, QPlainTextEdit):
            self.add(f"{name} text", w.toPlainText(), editable=not w.isReadOnly())
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            self.model(name, w.model())
        if isinstance(w, QComboBox):
            self.model(name, w.model())
        if isinstance(w, QLineEdit) and w.completer() is not None:
            self.model(f"{name} completer", w.completer().model())

    def model(self, name: str, model, parent=QModelIndex()) -> None:  # noqa: B008
        columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
        for row in range(model.rowCount(parent)):
            for column in range(columns):
                index = model.index(row, column, parent)
                for role in ROLES:
                    where = f"{name} [{row},{column}] role {role.name}"
                    value = model.data(index, role)
                    self.add(where, value, role in GUESSED, editable=role == Qt.ItemDataRole.EditRole)
                if column == 0 and model.rowCount(index):
                    self.model(name, model, index)
        if not parent.isValid():
            for column in range(columns):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    header = model.headerData(column, Qt.Orientation.Horizontal, role)
                    self.add(f"{name} header {column}", header, role in GUESSED)

    def everything(self) -> Shown:
        for top in QApplication.topLevelWidgets():
            if top.isVisible():
                for w in [top, *top.findChildren(QWidget)]:
                    self.widget(w)
        return self


def check_nothing_is_markup(mark: str = MARK, markup: str = f"<b>{MARK}</b>") -> int:
    """Wherever `mark` shows, `markup` shows literally; no resource is ever asked for; no bidi
    control reaches the screen. Returns how many places show the mark."""
    shown = Shown().everything()
    showing = 0
    for where, text, asked in shown.items:
        assert not asked, f"{where} loads {asked}: {text!r}"
        if mark in text:
            showing += 1
            assert markup in text or file_name(markup) in text, f"{where} renders markup: {text!r}"
        if not where.endswith("(typed)"):
            assert not any(c in BIDI for c in text), f"{where} shows a bidi control: {text!r}"
    return showing


# ----- a hostile library ----------------------------------------------------------------


def hostile_record(text: str) -> ReadResult:
    """A case with `text` in every field, as a library copied from elsewhere may hold it."""

    def when(precision: str) -> FuzzyDate:
        return FuzzyDate(text, date(2019, 5, 3), date(2019, 5, 3 if precision == "day" else 31), precision)

    record = CaseRecord(
        title=f"{text} - {text} Police, May 2019",
        subject=text,
        force=f"{text} Police",
        category=text,
        incident=when("month"),
        incident_date=when("day"),
        published=when("day"),
        reference=text,
        narrative=f"{text}\n\nOn 3 May 2019 a man in custody said {text}.",
        recommendations=text,
        source_tags=(text,),
        warnings=(ReadWarning("odd", text),),
        digest=hashlib.sha256(text.encode("utf-8", "replace")).hexdigest(),
    )
    data = text.encode("utf-8", "replace")
    name = file_name(text) + ".txt"
    source = SourceFile(name, hashlib.sha256(data).hexdigest(), data, encoding=text, path=f"/cases/{name}")
    return ReadResult(source, record)


def file_name(text: str) -> str:
    """`text` as it can be a file name on Linux (no "/" or NUL, at most 200 bytes)."""
    name = text.replace("/", "∕").replace("\0", "␀") or "x"
    while len(name.encode("utf-8", "surrogateescape")) > 200:
        name = name[:-1]
    return name


def store_hostile_case(lib: Library, text: str) -> int:
    report = import_planned(lib, [PlannedFile(hostile_record(text))], label=text)
    case_id = report.files[0].case_id
    lib.change_tag([case_id], text, True)
    lib.set_notes(case_id, text)
    lib.save_search(text, text)
    return case_id


def hostile_summary(text: str) -> str:
    """A summary file with `text` wherever the reader takes words from."""
    return (
        f"{text} - {text} Police, May 2019\n\nPublished 08 Oct 2020\nInvestigation\n\n"
        f"On 3 May 2019 {text} was held in custody.\n\n{text}\n\nIOPC reference\n\n2019/123456\n"
    )


_WATCH_FIFO = """
import os, sys, time
fifo, seen = sys.argv[1], sys.argv[2]
while True:
    try:  # a FIFO opens for writing only while someone has it open for reading
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        time.sleep(0.005)
        continue
    open(seen, "w").close()
    os.write(fd, b"x")
    os.close(fd)
    time.sleep(0.1)  # no writer for a while: the reader sees the end of the file
"""


class Fifo:
    """A FIFO named "fifo" in the current folder (a relative `<img src=fifo>` resolves to it),
    watched. Opening a FIFO to read blocks until a writer comes (Qt blocks holding Python's
    lock, so the watcher is a process of its own): it keeps offering to write, notes that
    someone read, and so unblocks them. A test that reads it fails instead of hanging."""

    def __init__(self, folder: Path):
        self.path, self._seen = folder / "fifo", folder / "fifo-was-read"
        os.mkfifo(self.path)
        self._watcher = subprocess.Popen([sys.executable, "-c", _WATCH_FIFO, str(self.path), str(self._seen)])

    @property
    def read(self) -> bool:
        return self._seen.exists()

    def stop(self) -> None:
        self._watcher.kill()
        self._watcher.wait()


@pytest.fixture
def fifo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    watched = Fifo(tmp_path)
    yield watched
    watched.stop()


def open_hostile_window(qtbot, folder: Path, text: str):
    """A window on a library whose name, and every field of whose one case, hold `text`."""
    path = folder / f"{file_name(text)}.casebook"
    lib = Library.open(path, create=True)
    store_hostile_case(lib, text)
    lib.close()
    window = open_window(qtbot, path)
    window.select_row(0)
    return window


@pytest.fixture
def hostile_window(qtbot, tmp_path, fifo):
    window = open_hostile_window(qtbot, tmp_path, PAYLOAD)
    yield window
    if window.wizard is not None:
        window.wizard.close()
    close_window(qtbot, window)


# ----- the tests ------------------------------------------------------------------------


def test_nothing_the_window_shows_is_read_as_markup(qtbot, hostile_window, fifo):
    window = hostile_window
    assert MARK in window.detail.browser.toPlainText()
    assert check_nothing_is_markup() > 20

    search(qtbot, window, "custody fifo")  # hits, and the search itself in the recent searches
    window.detail.next_hit()
    assert window.detail.hits and check_nothing_is_markup()

    search(qtbot, window, f'force:"{MARKUP}" year:<b>{MARK}</b> {MARKUP}')  # notes on how it was read
    assert window.list_stack.currentWidget() is window.no_results
    assert MARK in window.note_label.text()
    window.search_bar.show_help()
    check_nothing_is_markup()
    window.search_bar.popup.close()
    assert not fifo.read


def check_when_open(kind, seen: list, act=None) -> None:
    """Once a dialog of `kind` opens: `act(dialog)`, check what everything shows, close it.
    A failed check is kept in `seen` (raised in a dialog's own event loop, it would not stop
    the test, and the dialog would stay open)."""

    def check(dialog) -> None:
        try:
            if act:
                act(dialog)
            seen.append(check_nothing_is_markup())
        except AssertionError as e:
            seen.append(e)
        finally:
            dialog.reject()

    when_shown(lambda: top_level(kind), check)


def all_checked(seen: list, count: int) -> None:
    for result in seen:
        if isinstance(result, AssertionError):
            raise result
    assert len(seen) == count and all(seen)


def test_dialogs_show_case_text_literally(qtbot, hostile_window, tmp_path, fifo):
    window = hostile_window
    seen = []
    check_when_open(OriginalTextDialog, seen)
    window.cases.show_original()
    check_when_open(ImportHistoryDialog, seen)
    window.importer.show_history()
    check_when_open(QInputDialog, seen)  # saving a search names it in the question
    search(qtbot, window, MARKUP)
    window.results.save_search(window.search_bar.text())
    not_a_library = tmp_path / f"{file_name(PAYLOAD)} other.casebook"
    not_a_library.write_text("hello")
    check_when_open(QMessageBox, seen)
    assert not window.open_library(not_a_library)
    all_checked(seen, 4)
    assert not fifo.read


def test_names_with_a_line_break_show_on_one_line_in_titles_and_menus(qtbot, tmp_path):
    """Linux lets a file's name hold a line break (or a tab): a title or a menu entry shows
    one line, with the break marked."""
    name = "two\nlines\tand\u2028more"
    window = open_window(qtbot, tmp_path / f"{name}.casebook", create=True)
    try:
        path = write_case(tmp_path / "drop", f"{name}.txt", custody_case())
        wait_search(qtbot, window, lambda: window.session.write(ImportFiles((str(path),)), "importing"))
        window.select_row(0)
        titles = []

        def read_and_close(dialog):
            titles.append(dialog.windowTitle())
            dialog.reject()

        when_shown(lambda: top_level(OriginalTextDialog), read_and_close)
        window.cases.show_original()
        qtbot.waitUntil(lambda: bool(titles), timeout=WAIT_MS)
        marked = "two\ufffdlines\ufffdand\ufffdmore"
        assert titles == [f"Original text — {marked}.txt"]
        assert window.windowTitle().startswith(f"{marked} — Casebook")
        recent = QMenu()
        window.flows.fill_recent_menu(recent)
        assert any(marked in a.text() for a in recent.actions())
        assert not any(c in a.text() for a in recent.actions() for c in "\t\n\u2028")
    finally:
        close_window(qtbot, window)


def test_the_import_wizard_shows_file_text_literally(qtbot, hostile_window, tmp_path, fifo):
    window = hostile_window
    folder = tmp_path / "drop"
    write_case(folder, f"{file_name(PAYLOAD)}.txt", hostile_summary(PAYLOAD))
    write_case(folder, f"{file_name(PAYLOAD)} binary.txt", b"\x00\x01\x02" * 100)
    window.start_import([str(folder)])
    wizard = window.wizard
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.review_page, timeout=WAIT_MS)
    table = wizard.review_page.table
    table.selectRow(0)
    assert check_nothing_is_markup() > 10
    seen = []

    def correct(dialog) -> None:
        for name in ("title", "reference"):
            dialog.findChild(QLineEdit, f"correct-{name}").setText(PAYLOAD)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        assert MARK in dialog.error.text()  # "… is not an IOPC reference"

    readable = next(i for i, f in enumerate(wizard.files) if f.record is not None)
    check_when_open(CorrectionDialog, seen, correct)
    wizard.review_page._correct(table.model().index(readable, 0))
    check_when_open(RejectedDialog, seen)
    wizard.review_page._correct(table.model().index(1 - readable, 0))
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        wizard.button(QWizard.WizardButton.CommitButton).click()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=WAIT_MS)
    assert check_nothing_is_markup()
    all_checked(seen, 2)
    assert not fifo.read


def test_resting_the_mouse_on_case_text_reads_no_file(qtbot, tmp_path, fifo):
    """The Force cell's tooltip once read a FIFO named in the title (and hung the window)."""
    window = open_hostile_window(qtbot, tmp_path, MARKUP)  # no /dev/zero: that would abort the tests
    try:
        for view in (window.table, window.facets):
            view.expandAll() if hasattr(view, "expandAll") else None
            model = view.model()
            indexes = [model.index(r, c) for r in range(model.rowCount()) for c in range(model.columnCount())]
            indexes += [model.index(r, 0, i) for i in indexes[:20] for r in range(model.rowCount(i))]
            for index in indexes:
                rect = view.visualRect(index)
                if rect.isValid():
                    help_event = QHelpEvent(
                        QEvent.Type.ToolTip, rect.center(), view.viewport().mapToGlobal(rect.center())
                    )
                    QApplication.sendEvent(view.viewport(), help_event)
                    QApplication.processEvents()
        for w in window.findChildren(QWidget):
            if w.toolTip():
                QToolTip.showText(w.mapToGlobal(QPoint(2, 2)), w.toolTip(), w)
        QApplication.processEvents()
    finally:
        QToolTip.hideText()
        close_window(qtbot, window)
    assert not fifo.read


def test_text_of_any_length_shows_in_bounded_cells_and_tooltips(qtbot, tmp_path):
    """A copied library may hold a title of megabytes: a cell or tooltip lays out only the start."""
    window = open_hostile_window(qtbot, tmp_path, "long " * 50_000)
    try:
        model = window.model
        for column in range(model.columnCount()):
            index = model.index(0, column)
            assert len(index.data() or "") <= 1001
            assert len(index.data(Qt.ItemDataRole.ToolTipRole) or "") <= 2100
        assert window.detail.browser.toPlainText().count("long") >= 50_000  # the case itself in full
    finally:
        close_window(qtbot, window)


def test_print_and_pdf_show_case_text_literally_and_in_order(qtbot, tmp_path, fifo):
    lib = Library.open(tmp_path / "pdf.casebook", create=True)
    case = lib.case(store_hostile_case(lib, PAYLOAD))
    lib.close()
    path = tmp_path / "case.pdf"
    write_pdf(path, [case], PrintOptions(include_notes=True))
    reader = PdfReader(str(path))
    text = "".join(page.extract_text() for page in reader.pages)
    assert f"<b>{MARK}</b>" in text and text.count(MARK) >= 8  # title, header, details, text, notes
    assert not any(c in BIDI for c in text + reader.metadata.title)
    assert not fifo.read


_HELPED = {
    "setToolTip": ("rich",),  # the text is the last argument (an item's takes a column first)
    "setWhatsThis": ("rich",),
    "setWindowTitle": ("window_title",),
    "setInformativeText": ("shown",),
    "showMessage": ("shown",),  # the status bar's: the text is the first argument
}
"""Qt calls whose text must be a literal or come from the gui/safe_text helper named."""
_GUESSING = {"QMessageBox": (1, 2), "QInputDialog": (1, 2)}
"""Static dialogs that guess the format of their title and text: (positions of the texts)."""


def _is_literal(node) -> bool:
    """A string literal, or an f-string of our markup inserting only escaped text and numbers."""
    if isinstance(node, ast.JoinedStr):
        return all(
            isinstance(v, ast.Constant)
            or _helper(v.value) in ("escaped", "muted")  # muted(): a palette colour, #rrggbb
            or (v.format_spec is not None and ast.unparse(v.format_spec) == "f','")
            for v in node.values
        )
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _helper(node) -> str | None:
    return node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else None


def test_every_qt_text_call_goes_through_the_helper():
    """A new tooltip, title, status message, message box or label of non-literal text that skips
    gui/safe_text fails here, whether or not a test ever shows it."""
    problems = []
    for path in sorted((ROOT / "gui").rglob("*.py")):
        if path.name == "safe_text.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            where = f"{path.name}:{node.lineno}: {ast.unparse(node)[:90]}"
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in _HELPED:
                text = node.args[0] if func.attr == "showMessage" else node.args[-1]
                if not (_is_literal(text) or _helper(text) in _HELPED[func.attr]):
                    problems.append(where)
            elif (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in _GUESSING
            ):
                texts = [node.args[i] for i in _GUESSING[func.value.id] if i < len(node.args)]
                if not all(_is_literal(t) or _helper(t) == "rich" for t in texts):
                    problems.append(where)
            elif _helper(node) == "QLabel" and not _is_literal(node.args[0]):
                problems.append(where)  # plain_label(text), or a literal and setTextFormat
    assert not problems, "\n".join(problems)


# ----- any text at all -------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("any-text")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_any_text_in_any_field_is_shown_as_text(qtbot, scratch, text):
    """Arbitrary text in every field of a case (stored directly, as a copied library may hold it,
    and read from a file through the import wizard) never becomes markup in the window or wizard."""
    marked = f"{text}<i>{MARK}</i>"
    folder = Path(tempfile.mkdtemp(dir=scratch))
    path = folder / "any.casebook"
    lib = Library.open(path, create=True)
    store_hostile_case(lib, marked)
    lib.close()
    window = open_window(qtbot, path)
    try:
        window.select_row(0)
        assert check_nothing_is_markup(MARK, f"<i>{MARK}</i>")
        write_case(folder / "drop", f"{file_name(marked)}.txt", hostile_summary(marked))
        window.start_import([str(folder / "drop")])
        wizard = window.wizard
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.review_page, timeout=WAIT_MS)
        wizard.review_page.table.selectRow(0)
        assert check_nothing_is_markup(MARK, f"<i>{MARK}</i>")
        if not wizard.files[0].will_store:  # not a summary the reader takes
            wizard.reject()
            return
        with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
            wizard.button(QWizard.WizardButton.CommitButton).click()
            qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=WAIT_MS)
        wizard.button(QWizard.WizardButton.FinishButton).click()
        for row in range(window.model.rowCount()):
            window.select_row(row)
            check_nothing_is_markup(MARK, f"<i>{MARK}</i>")
    finally:
        close_window(qtbot, window)
