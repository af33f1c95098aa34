"""File › Import history: every batch, and what happened to each of its files."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from storage.export import write_report_csv
from storage.importing import OUTCOME_LABELS, batch_report, import_history

from .dialogs import show_error


def _table(headers: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            item.setToolTip(str(value))
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class ImportHistoryDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Import history")
        self.resize(1100, 640)
        self.batches = import_history(window.lib)
        self.list = _table(
            ("When (UTC)", "What", "Files", "Imported", "Replaced", "Skipped", "Not importable"), "batches"
        )
        _fill(
            self.list,
            [
                (
                    b.started_at.replace("T", " ")[:19],
                    b.label,
                    b.files,
                    b.imported,
                    b.updated,
                    b.skipped,
                    b.rejected,
                )
                for b in self.batches
            ],
        )
        self.list.resizeColumnsToContents()
        self.files = _table(("File", "Result", "Reason", "Folder"), "batch-files")
        self.list.currentCellChanged.connect(lambda row, *_: self._show(row))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(self.files)
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
            layout.addWidget(QLabel("Nothing has been imported into this library yet."))
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.report = None
        if self.batches:
            self.list.selectRow(0)
        self._show(0 if self.batches else -1)

    def _show(self, row: int) -> None:
        self.report = (
            batch_report(self.window_.lib, self.batches[row].id) if 0 <= row < len(self.batches) else None
        )
        files = self.report.files if self.report else []
        _fill(
            self.files,
            [(f.name, OUTCOME_LABELS.get(f.outcome, f.outcome), f.reason, f.path or "") for f in files],
        )
        self.files.resizeColumnToContents(0)
        self.files.resizeColumnToContents(1)
        for button in (self.show_button, self.save_button):
            button.setEnabled(self.report is not None)

    def _show_cases(self) -> None:
        self.window_.search_bar.set_text(f"batch:{self.report.batch_id}")
        self.accept()

    def _save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save import report", f"import-{self.report.batch_id}.csv", "CSV (*.csv)"
        )
        if name:
            try:
                write_report_csv(self.report, name)
            except OSError as e:
                show_error(self, e, "saving the report")
