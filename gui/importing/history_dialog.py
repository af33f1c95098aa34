"""File › Import history: every batch, and what happened to each of its files.

`ReportModel` is also the table of the import wizard's Done page.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage.export import write_report_csv
from storage.keeping.importing import OUTCOME_LABELS, BatchReport, FileOutcome, batch_report, import_history

from ..dialogs import ask_save_path, fitted_size, show_error
from ..list_model import ListTableModel
from ..safe_text import cell_text, message, plain_label, rich
from ..session.session import Session


def outcome_details(f: FileOutcome) -> str:
    """Why a file was not imported, and what the reader noticed in one that was."""
    return " ".join(part for part in (f.reason, *f.warnings) if part)


def folder_name(path: str | None) -> str:
    return os.path.basename(os.path.dirname(path)) if path else ""


def save_import_report(parent: QWidget, report: BatchReport, library: Path) -> Path | None:
    """Ask where, save a batch's per-file report as CSV, and say where it went."""
    name = ask_save_path(
        parent, "Save import report", Path.home() / f"import-{report.batch_id}.csv", "CSV (*.csv)",
        ".csv", library,
    )  # fmt: skip
    if name is None:
        return None
    try:
        write_report_csv(report, name)
    except OSError as e:
        show_error(parent, e, "saving the report")
        return None
    message(parent, QMessageBox.Icon.Information, "Import report", f"The report is saved as {name}.")
    return name


class ReportModel(ListTableModel):
    """The files of an import report: one row each, worked out only when shown."""

    HEADERS = ("File", "Result", "Reason or warnings", "Folder")

    def __init__(self, report: BatchReport | None = None, parent=None):
        super().__init__(report.files if report else [], parent)

    def set_report(self, report: BatchReport | None) -> None:
        self.beginResetModel()
        self.files = report.files if report else []
        self.endResetModel()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        f = self.files[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ToolTipRole:
            return rich((f.path or f.name) if column in (0, 3) else self.data(index)) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return cell_text(f.name)
        if column == 1:
            return cell_text(OUTCOME_LABELS.get(f.outcome, f.outcome))
        if column == 2:
            return cell_text(outcome_details(f))
        return cell_text(folder_name(f.path))


def show_report(table: QTableView, report: BatchReport | None) -> None:
    """Show `report` in a table made by `report_table`."""
    model = table.model()
    assert isinstance(model, ReportModel)
    model.set_report(report)


def report_table(name: str, parent: QWidget) -> QTableView:
    """A table for a `ReportModel`: one line a row, the reasons taking the spare width."""
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName("Files of the import")
    table.setModel(ReportModel(parent=table))
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(parent.fontMetrics().height() + 8)
    table.setWordWrap(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column, width in enumerate((240, 150, 300, 120)):
        header.resizeSection(column, width)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    return table


class ImportHistoryDialog(QDialog):
    show_batch = Signal(int)  # the reviewer asked to see this import's cases

    def __init__(self, session: Session, parent: QWidget):
        super().__init__(parent)
        assert session.lib is not None
        self.lib = session.lib
        self.setWindowTitle("Import history")
        self.resize(*fitted_size(self, (1100, 640)))
        self.batches = import_history(self.lib)
        self.list = QTableWidget(0, 7)
        self.list.setObjectName("batches")
        self.list.setAccessibleName("Imports")
        self.list.setHorizontalHeaderLabels(
            ("When (UTC)", "What", "Files", "Imported", "Replaced", "Skipped", "Not importable")
        )
        self.list.verticalHeader().setVisible(False)
        self.list.setWordWrap(False)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._fill_batches()
        self.files = report_table("batch-files", self)
        self.list.currentCellChanged.connect(lambda row, *_: self._show(row))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(self.files)
        splitter.setSizes([200, 400])
        self.show_button = QPushButton("Show these cases")
        self.save_button = QPushButton("Save report as CSV…")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.show_button.clicked.connect(self._show_cases)
        self.save_button.clicked.connect(self._save)
        layout = QVBoxLayout(self)
        if not self.batches:
            layout.addWidget(plain_label("Nothing has been imported into this library yet."))
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.report: BatchReport | None = None
        if self.batches:
            self.list.selectRow(0)
        self._show(0 if self.batches else -1)

    def _fill_batches(self) -> None:
        self.list.setRowCount(len(self.batches))
        for row, b in enumerate(self.batches):
            when = b.started_at.replace("T", " ")[:19]
            counts = (b.files, b.imported, b.updated, b.skipped, b.rejected)
            for column, text in enumerate((when, b.label, *(f"{n:,}" for n in counts))):
                item = QTableWidgetItem(cell_text(text))
                item.setToolTip(rich(text))
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.list.setItem(row, column, item)
        self.list.resizeColumnsToContents()
        self.list.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def _show(self, row: int) -> None:
        self.report = (
            batch_report(self.lib, self.batches[row].id) if 0 <= row < len(self.batches) else None
        )
        show_report(self.files, self.report)
        for button in (self.show_button, self.save_button):
            button.setEnabled(self.report is not None)

    def _show_cases(self) -> None:
        if self.report is None:
            return
        self.show_batch.emit(self.report.batch_id)
        self.accept()

    def _save(self) -> None:
        if self.report is not None:
            save_import_report(self, self.report, self.lib.path)
