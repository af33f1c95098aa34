"""File › Report…: what the review report holds, asked before it is written."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..formatting import plural
from ..settings import Settings
from .printing import PAGE_SIZES
from .report import DEFAULT_TITLE, ReportOptions


class ReportDialog(QDialog):
    """The title, the reviewer's name, which cases (the search's or the selected), notes or not,
    paper size; the title, name and notes choice are kept for next time."""

    def __init__(self, parent: QWidget, listed: int, selected: int, settings: Settings):
        super().__init__(parent)
        self.setWindowTitle("Report")
        self.settings = settings
        self.title = QLineEdit(settings.get("report/title") or DEFAULT_TITLE)
        self.title.setObjectName("report-title")
        self.reviewer = QLineEdit(settings.get("reviewer/name"))
        self.reviewer.setObjectName("report-reviewer")
        self.reviewer.setPlaceholderText("Shown on the cover (also in Settings)")
        self.listed = QRadioButton(f"Every case of the search ({listed:,})")
        self.selected = QRadioButton(
            f"Only the {plural(selected, 'selected case')}"
            if selected > 1
            else "Only the selected cases (select two or more in the list first)"
        )
        self.selected.setEnabled(selected > 1)
        (self.selected if selected > 1 else self.listed).setChecked(True)
        self.notes = QCheckBox("Include my review status, tags and notes")
        self.notes.setObjectName("include-notes")
        self.notes.setChecked(settings.get("report/include_notes"))
        self.paper = QComboBox()
        self.paper.addItems(list(PAGE_SIZES))
        self.paper.setCurrentText(settings.get("print/page_size"))
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Reviewer’s name", self.reviewer)
        form.addRow("Paper size", self.paper)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Make report")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Which cases</b>"))
        layout.addWidget(self.listed)
        layout.addWidget(self.selected)
        layout.addWidget(self.notes)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.sizeHint().width() + 120)

    def of_selection(self) -> bool:
        return self.selected.isChecked()

    def options(self) -> ReportOptions:
        """The choices, kept for the next report."""
        s = self.settings
        s.set("report/title", self.title.text())
        s.set("reviewer/name", self.reviewer.text().strip())
        s.set("report/include_notes", self.notes.isChecked())
        s.set("print/page_size", self.paper.currentText())
        return ReportOptions(
            self.title.text(), self.reviewer.text(), self.notes.isChecked(), self.paper.currentText()
        )
