"""Dialogs about the library file itself: settings (where things live), restoring a
backup, and what to do when a library cannot be used."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import backup, paths
from storage.errors import LibraryError
from storage.library import Library

from .formatting import LOCALE
from .safe_text import make_message, message, plain_label

REASONS = {"daily": "Daily, on opening", "manual": "Made by you", "replaced": "Replaced by a restore"}


def upgrade_library(parent: QWidget, path: Path) -> None:
    """Bring an older library up to this version of Casebook on another thread, with a
    busy message: the backup taken first copies the whole file (seconds when it is big).
    Raises the `LibraryError` opening raises."""
    dialog = QProgressDialog("", "", 0, 0, parent)
    dialog.setLabel(
        plain_label(
            f"Upgrading “{path.name}” for this version of Casebook.\nA backup of the library is taken first."
        )
    )
    dialog.setWindowTitle("Upgrading the library")
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="upgrade") as pool:
        done = pool.submit(lambda: Library.open(path).close())
        loop = QEventLoop()
        timer = QTimer(interval=50, timeout=lambda: done.done() and loop.quit())
        timer.start()
        loop.exec()
        timer.stop()
    dialog.close()
    done.result()


def _folder_row(path: Path) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    label = plain_label(str(path))
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    button = QPushButton("Open folder")
    button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
    layout.addWidget(label, 1)
    layout.addWidget(button)
    return row


class SettingsDialog(QDialog):
    """Where the library, its backups and the logs are."""

    def __init__(self, window):
        super().__init__(window)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(720)
        library = window.lib.path
        form = QFormLayout()
        form.addRow("Library file", _folder_row(library.parent) if library else QLabel("—"))
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
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class RestoreDialog(QDialog):
    """Choose a backup to put in place of the library."""

    def __init__(self, parent: QWidget, library: Path):
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.resize(720, 420)
        self.backups = backup.describe(library)
        self.table = QTableWidget(len(self.backups), 3)
        self.table.setObjectName("backups")
        self.table.setHorizontalHeaderLabels(("Taken", "Why", "Size"))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, info in enumerate(self.backups):
            local = info.taken.astimezone()
            reason = REASONS.get(
                info.reason, info.reason.replace("before-upgrade-v", "Before upgrading version ")
            )
            values = (LOCALE.toString(local, "d MMM yyyy, HH:mm"), reason, f"{info.size / 1_048_576:.1f} MB")
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
    when = LOCALE.toString(info.taken.astimezone(), "d MMMM yyyy 'at' HH:mm")
    answer = message(
        parent,
        QMessageBox.Icon.Question,
        "Restore from backup",
        f"Replace {library.name} with the backup taken on {when}?\n\n"
        "Anything changed since then (imports, statuses, tags, notes) will not be in the "
        "restored library. The current file is kept in the backups folder.",
        buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        default=QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def offer_recovery(parent: QWidget, library: Path, error: LibraryError) -> str:
    """Explain a library that cannot be used; return "restore", "open" or "cancel"."""
    box = make_message(parent, QMessageBox.Icon.Warning, error.title, error.message, error.advice)
    restore = box.addButton("Restore the latest backup…", QMessageBox.ButtonRole.AcceptRole)
    restore.setEnabled(bool(backup.list_backups(library)))
    other = box.addButton("Open another library…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return "restore" if clicked is restore else "open" if clicked is other else "cancel"
