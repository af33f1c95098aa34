"""The import wizard: read the files, let the reviewer check them, import, report.

1. Read: files are read on other cores, with progress and Cancel.
2. Review: every file with its status and reasons; double-click to see the text
   and correct fields; choose what happens to conflicts; untick files to leave out.
3. Import: one transaction; Cancel leaves the library as it was.
4. Done: the counts and the report, which can be saved as CSV.
"""

from __future__ import annotations

import functools
import logging
import time
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from storage.errors import Cancelled
from storage.keeping.importing import (
    BatchReport,
    CorrectionError,
    PlannedFile,
    plan,
    replan,
)
from storage.reading.files import collect_files, read_files
from storage.records import Case, ReadResult, SourceFile, by_severity

from ..dialogs import fitted_size, original_text_view, show_error
from ..formatting import finding_title, long_date, plural, short_date
from ..icons import app_icon
from ..list_model import ListTableModel
from ..safe_text import cell_text, escaped, plain_label, rich, shown, window_title
from ..session.operations import Changes, ImportPlanned
from ..session.session import Session
from ..session.worker import Cancel
from ..theme import muted
from .history_dialog import report_table, save_import_report, show_report

log = logging.getLogger(__name__)

STATUS_TEXT = {
    "ready": "Ready",
    "warnings": "Ready, with warnings",
    "duplicate": "Duplicate: skipped",
    "conflict": "Conflict",
    "rejected": "Not importable",
}
STATUS_COLOUR = {
    "ready": "#1f6b3a",
    "warnings": "#8a5a00",
    "duplicate": "#5d6d7e",
    "conflict": "#a33a00",
    "rejected": "#9b1c1c",
}
NOTE_COLOUR = "#5d6d7e"
SUMMARY_WORDS = {  # status: (one, many), for the review page's summary line
    "ready": ("ready", "ready"),
    "warnings": ("ready with warnings", "ready with warnings"),
    "duplicate": ("duplicate (skipped)", "duplicates (skipped)"),
    "conflict": ("conflict", "conflicts"),
    "rejected": ("not importable", "not importable"),
}
RESOLUTION_TEXT = {"skip": "Skip this file", "replace": "Replace, keep review", "keep_both": "Keep both"}
PROGRESS_EVERY_S = 0.05
WIZARD_SIZE = (1280, 800)
"""The wizard's largest first size; it is smaller on a smaller screen."""
"""What a cancelled operation of the wizard returns (a cancel is not a failure)."""


def remote_url_refusal(url: str) -> ReadResult:
    """A web address dropped from a browser: listed, with the reason, never fetched."""
    return ReadResult(
        SourceFile(name=url, sha256="", data=b"", path=None),
        reason="This is a web address. Casebook works offline and never downloads anything: "
        "save the page as a text file, then import the file.",
    )


class PlanModel(ListTableModel):
    """The files of an import, with what will happen to each."""

    HEADERS = (
        "Import",
        "Status",
        "File",
        "Title",
        "Force",
        "Published",
        "Reference",
        "Details",
    )
    changed = Signal()

    def __init__(self, files: list[PlannedFile]):
        super().__init__(files)

    def flags(self, index):
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        f = self.files[index.row()]
        if index.column() == 0 and f.status not in ("rejected", "duplicate"):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        f = self.files[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            if f.status in ("rejected", "duplicate"):
                return None
            return Qt.CheckState.Checked if f.will_store else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor(STATUS_COLOUR[f.status])
        if role == Qt.ItemDataRole.ForegroundRole and column == 7 and f.status == "ready":
            return QColor(NOTE_COLOUR)  # notes only: nothing to check
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 2:
                return rich(f.result.source.path or f.name)
            return (rich(self.data(index)) or None) if column > 0 else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        record = f.record
        values = (
            "",
            self.status_text(f),
            f.name,
            record.title if record else "",
            (record.force or "") if record else "",
            short_date(record.published.day_iso()) if record and record.published else "",
            (record.reference or "") if record else "",
            self.details(f),
        )
        return cell_text(values[column])

    @staticmethod
    def status_text(f: PlannedFile) -> str:
        """The status, with what will happen to the file when that is not obvious."""
        if f.possible_duplicate:
            return f"Possibly a duplicate: {'keep' if f.include else 'skip'}"
        if not f.include and f.status not in ("rejected", "duplicate"):
            return "Left out"
        if f.status == "conflict":
            return f"Conflict: {RESOLUTION_TEXT[f.resolution].lower()}"
        return STATUS_TEXT[f.status]

    @staticmethod
    def details(f: PlannedFile) -> str:
        if f.detail:
            return f.detail
        record = f.record
        return " ".join(w.message for w in by_severity(record.warnings)) if record else ""

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            f = self.files[index.row()]
            f.include = Qt.CheckState(value) == Qt.CheckState.Checked
            if f.status == "conflict":  # the tick is the choice to skip it or not; keeping both loses nothing
                if not f.include:
                    f.resolution = "skip"
                elif f.resolution == "skip":
                    f.resolution = "keep_both"
                f.include = True
            self.refresh()
            return True
        return False

    def refresh(self) -> None:
        if self.files:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.files) - 1, len(self.HEADERS) - 1))
        self.changed.emit()


def summary_text(files: list[PlannedFile]) -> str:
    """'35 files: 9 ready, 21 ready with warnings, 1 conflict. <b>30 cases will be imported.</b>'"""
    counts = {s: sum(1 for f in files if f.status == s) for s in SUMMARY_WORDS}
    parts = [plural(counts[s], *SUMMARY_WORDS[s]) for s in SUMMARY_WORDS if counts[s]]
    alike = sum(1 for f in files if f.possible_duplicate)
    if alike:
        parts.append(f"{alike:,} possibly the same as another case")
    left_out = sum(1 for f in files if not f.include and f.status not in ("rejected", "duplicate"))
    if left_out:
        parts.append(f"{left_out:,} left out")
    going = sum(1 for f in files if f.will_store)
    listed = plural(len(files), "file") + (f": {', '.join(parts)}" if parts else "")
    return f"{listed}. <b>{plural(going, 'case')} will be imported.</b>"


class ProblemsOnly(QSortFilterProxyModel):
    def __init__(self):
        super().__init__()
        self.enabled = False

    def set_enabled(self, enabled: bool) -> None:
        self.beginFilterChange()
        self.enabled = enabled
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row, parent):
        if not self.enabled:
            return True
        model = self.sourceModel()
        assert isinstance(model, PlanModel)
        return model.files[row].status != "ready"


def _label(text: str, name: str = "", bold: bool = False) -> QLabel:
    """A plain-text label (text from a file is never read as markup), selectable, wrapped."""
    label = plain_label(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


def _side_by_side(dialog: QDialog, planned: PlannedFile, right: QWidget) -> QSplitter:
    """The file's own text on the left, `right` beside it."""
    left = QWidget()
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    left_layout.addWidget(_label("The file", "file-heading", bold=True))
    left_layout.addWidget(_label(planned.result.source.path or planned.name))
    left_layout.addWidget(original_text_view(planned.result.source.data, "correction-original"), 1)
    splitter = QSplitter()
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setSizes([600, 500])
    dialog.resize(*fitted_size(dialog, (1100, 700)))
    return splitter


class CorrectionDialog(QDialog):
    """The file's text beside the fields read from it, which the reviewer may correct.

    For a conflict the case already in the library is shown too, with the choice of
    what to do with this file.
    """

    FIELDS = (
        ("title", "Title"),
        ("force", "Force"),
        ("incident", "Incident month or year"),
        ("published", "Published"),
        ("reference", "IOPC reference"),
    )

    def __init__(self, planned: PlannedFile, existing: Case | None = None, parent=None):
        super().__init__(parent)
        self.planned = planned
        self.setWindowTitle(window_title(f"Check and correct — {planned.name}"))
        read = planned.result.record
        corrected = planned.record
        assert corrected is not None  # only a file that was read is corrected
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for key, label in self.FIELDS:
            edit = QLineEdit(shown(self._value(corrected, key)))
            edit.setCursorPosition(0)
            edit.setObjectName(f"correct-{key}")
            edit.setPlaceholderText(shown(f"as read: {self._value(read, key) or '(nothing found)'}"))
            self.edits[key] = edit
            form.addRow(label, edit)
        findings = ", ".join(finding_title(f) for f in corrected.findings) or "None recognised"
        form.addRow("First date in text", _label(long_date(corrected.incident_date) or "—", "read-date"))
        form.addRow("Category", _label(corrected.category or "—", "read-category"))
        form.addRow("Findings", _label(findings, "read-findings"))
        warnings = "".join(f"<li>{escaped(w.message)}</li>" for w in corrected.warnings)
        notes = QLabel()
        notes.setTextFormat(Qt.TextFormat.RichText)
        notes.setText(f"<b>What the reader noticed</b><ul>{warnings or '<li>Nothing.</li>'}</ul>")
        notes.setWordWrap(True)
        self.error = plain_label()
        self.error.setStyleSheet("color: #9b1c1c")
        self.error.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(_label("What Casebook read", "read-heading", bold=True))
        right_layout.addLayout(form)
        right_layout.addSpacing(8)
        right_layout.addWidget(notes)
        self.resolution: QComboBox | None = None
        self.keep: QComboBox | None = None
        if planned.status == "conflict":
            right_layout.addWidget(self._conflict(existing))
        elif planned.possible_duplicate:
            right_layout.addWidget(self._alike(existing))
        right_layout.addWidget(self.error)
        right_layout.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_side_by_side(self, planned, right), 1)
        layout.addWidget(buttons)

    @staticmethod
    def _case_form(case: Case, name: str) -> QFormLayout:
        form = QFormLayout()
        form.addRow("Title", _label(case.title, f"{name}-title"))
        form.addRow("IOPC reference", _label(case.reference or "—", f"{name}-reference"))
        form.addRow("Published", _label(long_date(case.published) or "—", f"{name}-published"))
        form.addRow("Force", _label(case.force or "—", f"{name}-force"))
        return form

    def _conflict(self, existing: Case | None) -> QWidget:
        """The case this file conflicts with, and what to do about it."""
        box = QWidget()
        box.setObjectName("conflict-box")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(_label("Already in the library", "existing-heading", bold=True))
        if existing is not None:
            layout.addLayout(self._case_form(existing, "existing"))
        else:
            layout.addWidget(_label(self.planned.detail, "existing-detail"))
        self.resolution = QComboBox()
        self.resolution.setObjectName("conflict-resolution")
        for key, text in RESOLUTION_TEXT.items():
            self.resolution.addItem(text, key)
        self.resolution.setCurrentIndex(list(RESOLUTION_TEXT).index(self.planned.resolution))
        row = QFormLayout()
        row.addRow("This file", self.resolution)
        layout.addLayout(row)
        return box

    def _alike(self, existing: Case | None) -> QWidget:
        """The case this file is possibly the same as, and whether to keep the file."""
        box = QWidget()
        box.setObjectName("alike-box")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(_label("Possibly the same case", "alike-heading", bold=True))
        layout.addWidget(_label(self.planned.detail, "alike-detail"))
        if existing is not None:
            layout.addLayout(self._case_form(existing, "alike"))
        self.keep = QComboBox()
        self.keep.setObjectName("alike-keep")
        self.keep.setAccessibleName("Keep or skip this file")
        self.keep.addItem("Keep it: import it as a case of its own", True)
        self.keep.addItem("Skip it: leave it out of this import", False)
        self.keep.setCurrentIndex(0 if self.planned.include else 1)
        row = QFormLayout()
        row.addRow("This file", self.keep)
        layout.addLayout(row)
        return box

    @staticmethod
    def _value(record, key: str) -> str:
        if record is None:
            return ""
        if key in ("incident", "published"):
            when = getattr(record, key)
            return when.text if when else ""
        return getattr(record, key) or ""

    def accept(self) -> None:
        read = self.planned.result.record
        corrections = {
            key: " ".join(edit.text().split())
            for key, edit in self.edits.items()
            if " ".join(edit.text().split()) != shown(self._value(read, key))
        }
        previous = self.planned.corrections
        self.planned.corrections = corrections
        try:
            _ = self.planned.record
        except CorrectionError as e:
            self.planned.corrections = previous
            self.error.setText(shown(str(e)))
            return
        if self.resolution is not None:
            self.planned.resolution = self.resolution.currentData()
        if self.keep is not None:
            self.planned.include = self.keep.currentData()
        super().accept()


class RejectedDialog(QDialog):
    """A file that cannot be imported: as much of its text as can be shown, and why."""

    def __init__(self, planned: PlannedFile, parent=None):
        super().__init__(parent)
        self.setWindowTitle(window_title(f"Not importable — {planned.name}"))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(_label("Why it cannot be imported", "reason-heading", bold=True))
        reason = planned.detail or planned.result.reason or "The file could not be read."
        right_layout.addWidget(_label(reason, "rejected-reason"))
        right_layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_side_by_side(self, planned, right), 1)
        layout.addWidget(buttons)


class ProgressPage(QWizardPage):
    """A page that shows long work going on, and moves on by itself when it is done."""

    cancel_text = "Cancelling…"

    def __init__(self, wizard: ImportWizard, title: str, subtitle: str, name: str):
        super().__init__()
        self.wiz = wizard
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.progress = QProgressBar()
        self.progress.setObjectName(f"{name}-progress")
        self.status = plain_label(" ")
        self.status.setObjectName(f"{name}-status")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(2)
        self.done = False
        self.stopping = False

    def initializePage(self) -> None:
        self.done = self.stopping = False
        self.progress.setRange(0, 0)
        self.status.setText("Starting…")
        self.start()

    def start(self) -> None:
        raise NotImplementedError

    def set_progress(self, done: int, total: int, text: str) -> None:
        if self.stopping:  # progress still on its way must not hide "Cancelling…"
            return
        self.status.setText(shown(text))
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def cancelling(self, text: str) -> None:
        self.stopping = True
        self.progress.setRange(0, 0)
        self.status.setText(text)

    def finished(self) -> None:
        self.done = True
        self.completeChanged.emit()
        self.wiz.next()

    def isComplete(self) -> bool:
        return self.done


class ReadPage(ProgressPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__(
            wizard,
            "Reading the files",
            "Casebook reads each file and checks it against your library. Nothing is saved yet.",
            "read",
        )

    def start(self) -> None:
        self.wiz.start_reading(self)

    def show_progress(self, value) -> None:
        done, total, name = value
        self.set_progress(done, total, f"{done:,} of {total:,} files · {name}")


class ReviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("Check what will be imported")
        self.setSubTitle(
            "Double-click a file to see its text and correct what was read. Untick files to leave them out."
        )
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setObjectName("review-summary")
        self.summary.setWordWrap(True)
        self.problems = QCheckBox("Show only files with problems")
        self.problems.setObjectName("only-problems")
        self.conflicts = QComboBox()
        self.conflicts.setObjectName("conflict-choice")
        for key, text in RESOLUTION_TEXT.items():
            self.conflicts.addItem(f"For all conflicts: {text.lower()}", key)
        self.table = QTableView()
        self.table.setObjectName("review-table")
        self.table.setAccessibleName("Files to import")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.table.doubleClicked.connect(self._correct)
        self.proxy = ProblemsOnly()
        self.problems.toggled.connect(self.proxy.set_enabled)
        self.conflicts.activated.connect(self._resolve_all)
        self.alike = QComboBox()
        self.alike.setObjectName("possible-duplicate-choice")
        self.alike.setAccessibleName("Keep or skip every possible duplicate")
        self.alike.addItem("For all possible duplicates: keep them", True)
        self.alike.addItem("For all possible duplicates: skip them", False)
        self.alike.activated.connect(
            lambda: self._include(self._possible_duplicates(), self.alike.currentData())
        )
        self.selected = QLabel()
        self.selected.setTextFormat(Qt.TextFormat.RichText)
        self.selected.setObjectName("review-selected")
        self.selected.setWordWrap(True)
        self.selected.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.selected.setMinimumHeight(3 * self.fontMetrics().height())
        self.selected.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.problems)
        top.addWidget(self.conflicts)
        top.addWidget(self.alike)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.selected)

    def initializePage(self) -> None:
        model = PlanModel(self.wiz.files)
        model.changed.connect(self._summarise)
        self.model = model
        self.proxy.setSourceModel(model)
        self.table.setModel(self.proxy)
        self.table.selectionModel().currentRowChanged.connect(self._show_selected)
        header = self.table.horizontalHeader()
        for column, width in enumerate((52, 170, 200, 300, 160, 92, 92)):
            header.resizeSection(column, width)
        self.table.resizeColumnToContents(len(PlanModel.HEADERS) - 1)  # Details in full, scrolled to
        header.setStretchLastSection(True)
        self._show_selected()
        self.conflicts.setVisible(any(f.status == "conflict" for f in self.wiz.files))
        self.alike.setVisible(bool(self._possible_duplicates()))
        self._summarise()

    def _show_selected(self, index=None, _previous=None) -> None:
        if index is None or not index.isValid():
            self.selected.setText(
                f"<span style='color:{muted()}'>Select a file to see everything about it.</span>"
            )
            return
        f = self.wiz.files[self.proxy.mapToSource(index).row()]
        where = escaped(f.result.source.path or f.name)
        details = escaped(PlanModel.details(f)) or "Nothing to report."
        self.selected.setText(f"<b>{escaped(PlanModel.status_text(f))}</b> · {where}<br>{details}")

    def _summarise(self) -> None:
        self.summary.setText(summary_text(self.wiz.files))
        self._show_selected(self.table.currentIndex())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return any(f.will_store for f in self.wiz.files)

    def _rows(self) -> list[int]:
        return sorted({self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()})

    def _resolve(self, rows: list[int], resolution: str) -> None:
        for row in rows:
            if self.wiz.files[row].status == "conflict":
                self.wiz.files[row].resolution = resolution
        self.wiz.replan()
        self.model.refresh()

    def _possible_duplicates(self) -> list[int]:
        return [i for i, f in enumerate(self.wiz.files) if f.possible_duplicate]

    def _resolve_all(self) -> None:
        rows = [i for i, f in enumerate(self.wiz.files) if f.status == "conflict"]
        self._resolve(rows, self.conflicts.currentData())

    def _menu(self, pos) -> None:
        rows = self._rows()
        if not rows:
            return
        menu = QMenu(self)
        menu.addAction("Check and correct…", lambda: self._correct(self.table.currentIndex()))
        menu.addAction("Include", lambda: self._include(rows, True))
        menu.addAction("Leave out", lambda: self._include(rows, False))
        if any(self.wiz.files[r].possible_duplicate for r in rows):
            menu.addSeparator()
            menu.addAction("Possible duplicate: keep it", lambda: self._include(rows, True))
            menu.addAction("Possible duplicate: skip it", lambda: self._include(rows, False))
        if any(self.wiz.files[r].status == "conflict" for r in rows):
            menu.addSeparator()
            for key, text in RESOLUTION_TEXT.items():
                menu.addAction(f"Conflict: {text.lower()}", functools.partial(self._resolve, rows, key))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _include(self, rows: list[int], include: bool) -> None:
        for row in rows:
            self.wiz.files[row].include = include
        self.wiz.replan()
        self.model.refresh()

    def _correct(self, index) -> None:
        if not index.isValid():
            return
        planned = self.wiz.files[self.proxy.mapToSource(index).row()]
        if planned.result.record is None:
            RejectedDialog(planned, self).exec()
            return
        existing, lib = None, self.wiz.session.lib
        alike = planned.status == "conflict" or planned.possible_duplicate
        if alike and planned.existing_id is not None and lib is not None:
            existing = lib.case(planned.existing_id)
        if CorrectionDialog(planned, existing, self).exec():
            self.wiz.replan()
            self.model.refresh()


class ImportPage(ProgressPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__(
            wizard,
            "Importing",
            "All of it is saved at once at the end: a cancelled import leaves the library unchanged.",
            "import",
        )
        self.cancel_text = "Cancelling: the library is being left as it was…"

    def start(self) -> None:
        self.wiz.start_import()

    def show_progress(self, value) -> None:
        phase, done, total = value
        word = "Storing" if phase == "store" else "Indexing for search"
        self.set_progress(done, total, f"{word}: {done:,} of {total:,}")


class DonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("Import finished")
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.counts.setObjectName("done-counts")
        self.table = report_table("done-report", self)
        self.save_button = QPushButton("Save report as CSV…")
        self.save_button.setObjectName("save-report")
        self.show_button = QPushButton("Show imported cases")
        self.show_button.setObjectName("show-imported")
        self.save_button.clicked.connect(self.save_report)
        self.show_button.clicked.connect(self.wiz.show_imported)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.show_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def initializePage(self) -> None:
        r = self.wiz.report
        if r is None:
            return
        self.counts.setText(
            f"<b>{r.imported:,}</b> imported · <b>{r.updated:,}</b> replaced (review kept) · "
            f"<b>{r.skipped:,}</b> skipped · <b>{r.rejected:,}</b> not importable"
        )
        show_report(self.table, r)
        self.show_button.setEnabled(bool(r.imported or r.updated))

    def save_report(self) -> None:
        if self.wiz.report is not None and self.wiz.session.path is not None:
            save_import_report(self, self.wiz.report, self.wiz.session.path)


class ImportWizard(QWizard):
    """Reads, reviews and imports `paths` into the session's library."""

    show_batch = Signal(int)  # the reviewer asked to see the imported cases
    message = Signal(str, int)  # something for the window's status bar, for so many ms

    def __init__(
        self, session: Session, paths: list[str], refused: list[ReadResult] | None = None, parent=None
    ):
        super().__init__(parent)
        self.session = session
        self.paths = [str(p) for p in paths]
        self.refused = list(refused or [])
        self.files: list[PlannedFile] = []
        self.report: BatchReport | None = None
        self._cancel: Cancel | None = None
        self._closing = False
        self.setObjectName("import-wizard")
        self.setWindowTitle("Import summaries")
        self.setWindowIcon(app_icon())
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.NextButton, "Next")
        self.resize(*fitted_size(self, WIZARD_SIZE))
        self.read_page = ReadPage(self)
        self.review_page = ReviewPage(self)
        # Both are commit pages: once read, Back would only show a finished progress bar.
        self.read_page.setCommitPage(True)
        self.read_page.setButtonText(QWizard.WizardButton.CommitButton, "Next")
        self.review_page.setCommitPage(True)
        self.review_page.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        self.import_page = ImportPage(self)
        self.done_page = DonePage(self)
        for page in (self.read_page, self.review_page, self.import_page, self.done_page):
            self.addPage(page)

    # ----- reading ---------------------------------------------------------------------

    def start_reading(self, page: ReadPage) -> None:
        paths, refused = self.paths, self.refused

        def op(lib, cancel):
            files, not_found = collect_files(paths, lib.path)
            results = [*refused, *not_found]
            last = 0.0
            for done, result in enumerate(read_files(files, cancel=cancel.cancelled), 1):
                results.append(result)
                now = time.monotonic()
                if now - last > PROGRESS_EVERY_S or done == len(files):
                    last = now
                    cancel.progress((done, len(files), result.source.name))
            if cancel.cancelled():
                raise Cancelled
            return plan(lib, results)

        def done(files):
            if self._closing:  # read to the end before the cancel was seen: nothing was written
                self._stopped()
                return
            self.files = files
            page.finished()

        self._cancel = self.session.read_long(op, page.show_progress, self._finished(done), self._failed)

    def replan(self) -> None:
        if self.session.lib is not None:
            replan(self.session.lib, self.files)

    # ----- importing -------------------------------------------------------------------

    def start_import(self) -> None:
        label = (
            "Import: "
            + ", ".join(Path(p).name for p in self.paths[:3])
            + ("…" if len(self.paths) > 3 else "")
        )

        def done(changes: Changes) -> None:
            self._closing = False  # committed before the cancel was seen: the Done page says what
            self.report = changes.result
            self.import_page.finished()

        self._cancel = self.session.write_long(
            ImportPlanned(self.files, label),
            self.import_page.show_progress,
            self._finished(done),
            self._failed,
        )

    # ----- running and cancelling ------------------------------------------------------

    def _finished(self, done):
        def finished(result) -> None:
            self._cancel = None
            done(result)

        return finished

    def _stopped(self) -> None:
        log.info("import cancelled: nothing was written to the library")
        self.message.emit("Import cancelled: the library was left as it was.", 10_000)
        super().reject()

    def _failed(self, error: Exception) -> None:
        self._cancel = None
        if self._closing or isinstance(error, Cancelled):  # the import's transaction was rolled back
            self._stopped()
            return
        show_error(self, error, "importing")
        super().reject()

    def reject(self) -> None:
        """Cancel: stop reading or importing (rolling the import back) before closing."""
        if self._cancel is not None:
            self._closing = True
            self._cancel.cancel()
            for button in (QWizard.WizardButton.CancelButton, QWizard.WizardButton.BackButton):
                self.button(button).setEnabled(False)
            page = self.currentPage()
            if isinstance(page, ProgressPage):
                page.cancelling(page.cancel_text)
            return
        super().reject()

    # ----- done ------------------------------------------------------------------------

    def show_imported(self) -> None:
        if self.report is None:
            return
        self.show_batch.emit(self.report.batch_id)
        self.accept()
