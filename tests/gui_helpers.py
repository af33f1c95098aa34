"""Helpers for driving the real window in tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from gui.settings import Settings
from gui.window.main_window import MainWindow

WAIT_MS = 20_000


def open_window(qtbot, library_path, create=False) -> MainWindow:
    """A real main window on `library_path`, shown, after its first search and the writer's
    check of the library (after which notes are saved and the day's backup is asked for)."""
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    with qtbot.waitSignals([window.search_finished, window.session.ready], timeout=WAIT_MS):
        assert window.open_library(library_path, create=create)
    window.show()
    qtbot.waitExposed(window)
    return window


def search(qtbot, window, text: str) -> None:
    """Type a search over the old one, as a user does, and wait for its result."""
    edit = window.search_bar.edit
    edit.setFocus()
    edit.selectAll()
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        qtbot.keyClicks(edit, text)


def wait_search(qtbot, window, action) -> None:
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        action()


def close_window(qtbot, window) -> None:
    window.close()
    qtbot.waitUntil(lambda: window.lib is None, timeout=WAIT_MS)


def row_titles(window) -> list[str]:
    model = window.model
    return [model.case_row(r).title for r in range(model.rowCount())]


def drag_enter(widget, mime: QMimeData) -> QDragEnterEvent:
    event = QDragEnterEvent(
        QPoint(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)
    return event


def drop_urls(widget, urls: list[QUrl], as_text: bool = False) -> tuple[bool, bool]:
    """Drag `urls` onto `widget` and drop them; return (enter accepted, drop accepted).

    `as_text` also offers them as plain text, as file managers do (text editors take that).
    """
    mime = QMimeData()  # kept alive for the whole drag (an inline temporary crashes dropEvent)
    mime.setUrls(urls)
    if as_text:
        mime.setText("\n".join(url.toString() for url in urls))
    enter = drag_enter(widget, mime)
    if not enter.isAccepted():
        return False, False
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, drop)
    return True, drop.isAccepted()


def file_urls(*paths) -> list[QUrl]:
    return [QUrl.fromLocalFile(str(p)) for p in paths]


def top_level(kind):
    """The visible top-level widget of class `kind` (a dialog that is open), or None."""
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def when_shown(find, act, tries: int = 1000) -> None:
    """Call `act(widget)` once `find()` gives a visible widget.

    Set this up before the click that opens a modal dialog or a menu: their own event
    loop would otherwise keep the test waiting. Gives up after `tries` looks.
    """

    def look(left: int) -> None:
        widget = find()
        if widget is not None and widget.isVisible():
            act(widget)
        elif left:
            QTimer.singleShot(10, lambda: look(left - 1))

    QTimer.singleShot(0, lambda: look(tries))


@contextlib.contextmanager
def no_message_box() -> Iterator[list[str]]:
    """Fail the test if a message box comes up inside the `with` (it is closed at once, so a
    modal one cannot keep the test waiting). Its texts are in the list given."""
    from PySide6.QtWidgets import QMessageBox

    seen: list[str] = []

    def look() -> None:
        box = top_level(QMessageBox)
        if box is not None:
            seen.append(box.text())
            box.reject()

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(10)
    try:
        yield seen
    finally:
        timer.stop()
    assert seen == [], seen


def answer_message(button, seen: list | None = None) -> None:
    """Click `button` on the next message box shown, keeping its (title, text) in `seen`."""
    from PySide6.QtWidgets import QMessageBox

    def act(box: QMessageBox) -> None:
        if seen is not None:
            seen.append((box.windowTitle(), box.text()))
        box.button(button).click()

    when_shown(lambda: top_level(QMessageBox), act)


def tip_text(tip: str | None) -> str:
    """What a tooltip shows: rich text as Qt renders it, else the text itself."""
    from PySide6.QtGui import Qt as QtGui
    from PySide6.QtGui import QTextDocument

    if not tip or not QtGui.mightBeRichText(tip):
        return tip or ""
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()
