"""Dialogs about the library file itself: settings (where things live), restoring a
backup, and what to do when a library cannot be used."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import paths
from storage.errors import IndexDamaged, LibraryError
from storage.keeping import backup, repair

from ..dialogs import open_folder
from ..formatting import LOCALE, plural
from ..safe_text import make_message, message, plain_label
from ..settings import Settings
from .detail_view import MAX_ZOOM

REASONS = {
    "daily": "Daily, on opening",
    "manual": "Made by you",
    "first-import": "After the first import",
    "before-replace": "Before an import replaced cases",
    "replaced": "Replaced by a restore",
}


def backup_reason(info: backup.BackupInfo) -> str:
    reason = REASONS.get(info.reason, info.reason.replace("before-upgrade-v", "Before upgrading version "))
    return reason if info.of_this_library else f"{reason} (older Casebook: may be of another library)"


def _folder_row(path: Path) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    label = plain_label(str(path))
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    button = QPushButton("Open folder")
    button.clicked.connect(lambda: open_folder(row, path))
    layout.addWidget(label, 1)
    layout.addWidget(button)
    return row


class SettingsDialog(QDialog):
    """What the reviewer can set (their name for reports, the text size of the case pane), and
    where the library, its backups and the logs are."""

    def __init__(self, library: Path, settings: Settings, parent: QWidget):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(720)
        self.settings = settings
        form = QFormLayout()
        self.name = QLineEdit(settings.get("reviewer/name"))
        self.name.setPlaceholderText("Printed on the cover of review reports")
        self.name.setAccessibleName("Your name")
        form.addRow("Your &name", self.name)
        self.zoom = QSpinBox()
        self.zoom.setRange(-MAX_ZOOM, MAX_ZOOM)
        self.zoom.setValue(settings.get("detail/zoom"))
        self.zoom.setSuffix(" pt")
        self.zoom.setPrefix("+ ")
        self.zoom.setToolTip("Larger or smaller than usual (also Ctrl+= and Ctrl+- in the case pane)")
        self.zoom.setAccessibleName("Case text size")
        form.addRow("Case &text size", self.zoom)
        form.addRow("Library file", _folder_row(library.parent))
        form.addRow("", plain_label(library.name))
        form.addRow("Backups", _folder_row(paths.backup_dir(library)))
        form.addRow(
            "",
            plain_label(
                f"A backup is taken at most once a day when the library is opened, and before an "
                f"upgrade; the newest {backup.KEEP} are kept."
            ),
        )
        form.addRow("Log files", _folder_row(paths.log_dir()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


    def accept(self) -> None:
        """Closing keeps what was set."""
        self.settings.set("reviewer/name", self.name.text().strip())
        self.settings.set("detail/zoom", self.zoom.value())
        super().accept()


class RestoreDialog(QDialog):
    """Choose a backup to put in place of the library."""

    def __init__(self, parent: QWidget, library: Path):
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.resize(720, 420)
        self.backups = backup.describe(library)
        self.table = QTableWidget(len(self.backups), 4)
        self.table.setObjectName("backups")
        self.table.setAccessibleName("Backups")
        self.table.setHorizontalHeaderLabels(("Taken", "Cases", "Why", "Where"))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, info in enumerate(self.backups):
            values = (
                # PySide6 takes a datetime here; its stubs name only QDateTime.
                LOCALE.toString(info.taken.astimezone(), "d MMM yyyy, HH:mm"),  # type: ignore[call-overload]
                "unreadable" if info.cases is None else f"{info.cases:,}",
                backup_reason(info),
                str(info.path),
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        if self.backups:
            self.table.selectRow(0)
        text = plain_label(
            f"Backups of {library.name}. Restoring puts the chosen copy in place of the library; "
            "the current file is kept in the backups folder, not deleted."
            if self.backups
            else f"There are no backups of {library.name} yet."
        )
        text.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton("Restore…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(self.backups))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    def chosen(self) -> backup.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None


def confirm_restore(parent: QWidget, library: Path, info: backup.BackupInfo) -> bool:
    when = LOCALE.toString(info.taken.astimezone(), "d MMMM yyyy 'at' HH:mm")  # type: ignore[call-overload]
    holds = "" if info.cases is None else f" ({plural(info.cases, 'case')})"
    answer = message(
        parent,
        QMessageBox.Icon.Question,
        "Restore from backup",
        f"Replace {library.name} with the backup taken on {when}{holds}?\n\n"
        "Anything changed since then (imports, statuses, tags, notes) will not be in the "
        "restored library. The current file is kept in the backups folder.",
        buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        default=QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


REPAIR_ADVICE = (
    "Repairing takes a backup first, rebuilds the search index from the cases and puts plain "
    "values in place of malformed ones. Your notes, tags and statuses are kept."
)


def repair_text(found: repair.Findings | IndexDamaged) -> str:
    """What needs mending, in plain words."""
    if isinstance(found, IndexDamaged):
        return found.message
    return "\n".join(["Casebook found damage SQLite's own check does not see.", *found.describe()])


def offer_repair(parent: QWidget, found: repair.Findings | IndexDamaged) -> bool:
    """Say what needs mending; True if the reviewer chose to repair now."""
    box = make_message(
        parent, QMessageBox.Icon.Warning, "The library needs repairing", repair_text(found), REPAIR_ADVICE
    )
    now = box.addButton("Repair now", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is now


def ask_about_unsaved_notes(parent: QWidget, count: int, error: LibraryError) -> str:
    """Notes that can neither be saved nor kept as drafts: "retry", "discard" or "keep-open"."""
    box = make_message(
        parent, QMessageBox.Icon.Warning, "Notes not saved",
        f"The notes of {plural(count, 'case')} could not be saved, and could not be kept for later "
        f"either. {error.message}",
        f"{error.advice} Keep Casebook open and try again to keep them.".strip(),
    )  # fmt: skip
    retry = box.addButton("Try again", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Close and lose them", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Keep Casebook open", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)
    box.exec()
    clicked = box.clickedButton()
    return "retry" if clicked is retry else "discard" if clicked is discard else "keep-open"


def offer_recovery(parent: QWidget, library: Path, error: LibraryError) -> str:
    """Explain a library that cannot be used; return "restore", "open" or "cancel"."""
    box = make_message(parent, QMessageBox.Icon.Warning, error.title, error.message, error.advice)
    restore = box.addButton("Restore the latest backup…", QMessageBox.ButtonRole.AcceptRole)
    restore.setEnabled(backup.latest(library) is not None)
    other = box.addButton("Open another library…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return "restore" if clicked is restore else "open" if clicked is other else "cancel"
