"""A bar across the top of the window for what went wrong away from the reviewer's hands: a
change the library refused after waiting for it, a search that failed, a library that cannot be
written or whose file another program took away.

A message box would take the keyboard: words typed into the notes while it appeared went
into the box, and the next space pressed its button, so it closed unread. The bar takes no
focus, stays until dismissed or replaced, and can offer one thing to do about it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QStyle, QWidget

from storage.errors import LibraryError

from ..dialogs import error_message
from ..safe_text import plain_label, shown

_ICONS = {
    QMessageBox.Icon.Information: QStyle.StandardPixmap.SP_MessageBoxInformation,
    QMessageBox.Icon.Warning: QStyle.StandardPixmap.SP_MessageBoxWarning,
    QMessageBox.Icon.Critical: QStyle.StandardPixmap.SP_MessageBoxCritical,
}


class MessageBar(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("message-bar")
        self.setAccessibleName("Message")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()  # the tooltip colours: set off from the window in every theme
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.ToolTipBase))
        palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.ToolTipText))
        self.setPalette(palette)
        self.icon = QLabel()
        self.text = plain_label()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.setObjectName("message-action")
        self.action.clicked.connect(self._act)
        self.dismiss = QPushButton("Dismiss")
        self.dismiss.setObjectName("message-dismiss")
        self.dismiss.setAccessibleName("Dismiss the message")
        self.dismiss.clicked.connect(self.close_message)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self._do: Callable[[], object] | None = None
        self._kept: tuple | None = None  # a message that comes back once a later one is dismissed
        self._showing: tuple | None = None
        self.hide()

    def show_message(
        self,
        icon: QMessageBox.Icon,
        text: str,
        action: tuple[str, Callable[[], object]] | None = None,
        keep: bool = False,
    ) -> None:
        """Show `text` (plain) in place of any message shown, with a button for `action`
        (its label and what it does) if given. The keyboard stays where it is. A message to
        `keep` comes back when a later one is dismissed, until `forget` (or its own dismissal)."""
        self._showing = (icon, text, action)
        if keep:
            self._kept = self._showing
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self)
        self.icon.setPixmap(self.style().standardIcon(_ICONS[icon]).pixmap(size, size))
        self.text.setText(shown(text))
        self._do = action[1] if action else None
        self.action.setText(action[0] if action else "")
        self.action.setVisible(action is not None)
        self.show()

    def show_error(self, error: Exception, doing: str = "") -> None:
        """An error of work the reviewer started earlier: what it was, what went wrong."""
        icon, _, text = error_message(error, doing)
        text = " ".join(text.split("\n\n"))
        if doing and isinstance(error, LibraryError):
            text = f"{doing[0].upper()}{doing[1:]} did not work. {text}"
        self.show_message(icon, text)

    def forget(self) -> None:
        """Hide the bar and any message kept."""
        self._kept = None
        self.hide()

    def close_message(self) -> None:
        """Take away the message shown (Dismiss); a message kept comes back in its place."""
        if self._kept is not None and self._showing is not self._kept:
            self.show_message(*self._kept)
        else:
            self.forget()

    def _act(self) -> None:
        """Do what the button offers. The message stays: cancelled, it still holds; done, what
        was done says so in its place."""
        if self._do is not None:
            self._do()
