"""macOS "Open with Casebook": the Finder sends the files as QFileOpenEvents, not as arguments."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

GATHER_MS = 150  # the files of one "Open with" arrive as one event each, back to back


class FileOpenEvents(QObject):
    """Watches the application for FileOpen events; emits them as a launch, like a second launch's."""

    received = Signal(dict)

    def __init__(self, app):
        super().__init__(app)
        self._files: list[str] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self._deliver)
        app.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() != QEvent.Type.FileOpen:
            return False
        if event.file():
            self._files.append(event.file())
            self._timer.start()  # one import for all the files
        return True

    def _deliver(self) -> None:
        files, self._files = self._files, []
        self.received.emit({"files": files, "library": None})
