"""Noticing what other programs change in the open library.

SQLite's `PRAGMA data_version` changes when another connection commits. It is asked on
the writer's connection, the only one through which this window writes, so a change
means another window or program wrote: every second while the window is active, when
it becomes active again, and every few seconds otherwise. Each question costs
microseconds. Each time it also looks whether the library's file is still where it was
opened (`Library.file_replaced`): a program that deletes, moves or replaces it leaves this
window writing to a file nobody can open, and the window must say so.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from .worker import Worker

ACTIVE_MS = 1000
INACTIVE_MS = 5000


class LibraryWatch(QObject):
    changed = Signal()  # another window or program committed to the library
    gone = Signal()  # the library's path no longer leads to the file open here (said once)

    def __init__(self, runner: Worker, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self._version: int | None = None
        self._asking = False
        # The first reading is taken once the writer has opened (and checked) the library:
        # a change made between the first search and then is caught by comparing the change
        # counters that search saw with those of that moment.
        self._first_state: tuple[int, ...] | None = None
        self._shown_state: tuple[int, ...] | None = None
        self._compared = False
        self._gone = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll)
        self._started = False

    def start(self) -> None:
        """Start watching (the session does once the writer has checked the library)."""
        self._started = True
        app = _app()
        app.applicationStateChanged.connect(self._state_changed)
        self._state_changed(app.applicationState())

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        active = state == Qt.ApplicationState.ApplicationActive
        self._timer.start(ACTIVE_MS if active else INACTIVE_MS)
        if active:
            self.poll()

    def poll(self) -> None:
        if self._asking:
            return
        self._asking = True
        first = self._version is None
        self._runner.run(
            lambda lib: (lib.data_version(), lib.change_state() if first else None, lib.file_replaced()),
            self._answered,
            lambda _: self._answered(None),
        )

    def _answered(self, answer: tuple[int, tuple[int, ...] | None, bool] | None) -> None:
        self._asking = False
        if answer is None:
            return
        version, state, replaced = answer
        if replaced and not self._gone:
            self._gone = True
            self.gone.emit()
        if state is not None:
            self._first_state = state
            self._compare_first()
        elif self._version is not None and version != self._version:
            self.changed.emit()
        self._version = version

    def shown(self, state: tuple[int, ...]) -> None:
        """The change counters a search shown in the window saw (only the first one counts)."""
        if self._shown_state is None:
            self._shown_state = state
            self._compare_first()

    def _compare_first(self) -> None:
        if self._compared or self._first_state is None or self._shown_state is None:
            return
        self._compared = True
        if self._first_state != self._shown_state:
            self.changed.emit()

    def stop(self) -> None:
        self._timer.stop()
        if self._started:
            _app().applicationStateChanged.disconnect(self._state_changed)


def _app() -> QGuiApplication:
    """The running application: a watch lives in a window, so there is one."""
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    return app
