"""How files come into the window: dropped, chosen in a dialog, handed over by another launch,
or the sample cases. Dropped or chosen files go through the import wizard.

Drops accept anything with URLs: local files and folders are read, web addresses are
listed as not importable; a drag with no URLs at all is refused at once. A drop is
handled a tick later, so the application it came from is not kept waiting (as Picard
does).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

import resources
from storage.records import ReadResult

from ..session.operations import ImportFiles
from ..session.session import Session
from .history_dialog import ImportHistoryDialog
from .import_wizard import ImportWizard, remote_url_refusal

SAMPLES = "samples"
DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


def has_local_files(mime: QMimeData) -> bool:
    return mime.hasUrls() and any(url.isLocalFile() for url in mime.urls())


class Importer(QObject):
    show_batch = Signal(int)  # show the cases of this import in the list
    samples_loaded = Signal()  # the sample cases are in: show them all
    message = Signal(str, int)  # something to say in the status bar, for so many ms

    def __init__(self, session: Session, window: QWidget):
        super().__init__(window)
        self.session = session
        self.window = window
        self.wizard: ImportWizard | None = None

    def import_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self.window, "Import summary files", str(Path.home()), "Text files (*.txt *.text);;All files (*)"
        )
        if names:
            self.start_import(names)

    def import_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self.window, "Import a folder of summaries", str(Path.home()))
        if name:
            self.start_import([name])

    def start_import(self, paths: list[str], refused: list[ReadResult] | None = None) -> None:
        """Read and check files, then import them (the import wizard)."""
        if self.session.lib is None or self.session.writer is None:
            return
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            QMessageBox.information(self.window, "Import", "Finish the import that is open first.")
            return
        self.wizard = ImportWizard(self.session, paths, refused, self.window)
        self.wizard.show_batch.connect(self.show_batch)
        self.wizard.message.connect(self.message)
        self.wizard.open()

    def load_samples(self) -> None:
        folder = str(resources.path(SAMPLES))
        self.session.write(
            ImportFiles((folder,), label="Sample cases"), "loading the sample cases",
            lambda _: self.samples_loaded.emit(),
        )  # fmt: skip

    def show_history(self) -> None:
        if self.session.lib is not None:
            dialog = ImportHistoryDialog(self.session, self.window)
            dialog.show_batch.connect(self.show_batch)
            dialog.exec()

    # ----- dragging and dropping -----------------------------------------------------

    def drag_enter(self, event: QDragMoveEvent) -> None:
        lib = self.session.lib
        if event.mimeData().hasUrls() and lib is not None and not lib.read_only:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def drop(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if not urls:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        local = [u.toLocalFile() for u in urls if u.isLocalFile()]
        remote = [remote_url_refusal(u.toString()) for u in urls if not u.isLocalFile()]
        QTimer.singleShot(0, lambda: self.start_import(local, remote))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Files dragged onto an editor are imported, never pasted into it."""
        if (
            isinstance(event, QDropEvent)
            and event.type() in DRAG_EVENTS
            and has_local_files(event.mimeData())
        ):
            if isinstance(event, QDragMoveEvent):  # entering or moving
                self.drag_enter(event)
            else:
                self.drop(event)
            return True
        return super().eventFilter(watched, event)
