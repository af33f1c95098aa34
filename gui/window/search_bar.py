"""The search bar: search as you type, the syntax at hand, recent searches."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from storage.searching.query import MAX_TERMS
from storage.searching.search import SINGLE_VALUED
from storage.searching.syntax import LANGUAGE

from ..icons import icon
from ..safe_text import ShownStrings, escaped, rich
from ..theme import muted

DEBOUNCE_MS = 250
CTRL_U = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_U)
_SAME_FIELD = {
    field: re.compile(rf'(?<![^\s]){field}:(?:"[^"]*"|\S+)', re.IGNORECASE) for field in SINGLE_VALUED
}


class SyntaxPopup(QFrame):
    """A small popup listing the syntax and how the current search was read."""

    def __init__(self, parent: QWidget):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.label)

    def show_for(self, anchor: QWidget, read_as: list[str]) -> None:
        rows = "".join(
            f"<tr><td><code>{escape('  '.join(form.examples))}</code></td>"
            f"<td>&nbsp;&nbsp;{escape(form.meaning)}</td></tr>"
            for form in LANGUAGE
        )
        reading = "".join(f"<li>{escaped(line)}</li>" for line in read_as)
        self.label.setText(
            "<b>How your search was read</b>"
            f"<ul style='margin-top:2px'>{reading}</ul>"
            f"<b>Search syntax</b><table cellspacing='0' cellpadding='2'>{rows}</table>"
            f"<p style='color:{muted()}'>Words are found in any form (“tasered” finds “taser”). "
            f"A search uses at most {MAX_TERMS} words and filters, each once. "
            "Ctrl+F or Ctrl+L to search, Escape to clear.</p>"
        )
        self.adjustSize()
        bottom_left = anchor.mapToGlobal(anchor.rect().bottomLeft())
        self.move(bottom_left)
        self.show()


class SearchBar(QWidget):
    """Emits `searched(text)` a moment after typing stops, or at once on Enter."""

    searched = Signal(str)
    save_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName("search")
        self.edit.setAccessibleName("Search cases")
        self.edit.setClearButtonEnabled(True)
        self.edit.setPlaceholderText(
            'Search cases: words, "a phrase", force:kent, year:2015..2018  (Ctrl+F; ↓ recent searches)'
        )
        self.edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        # Recent searches drop down on the Down key, never while typing: a popup that opens by
        # itself takes the next click (on a column heading, say) to close it.
        self.recent = ShownStrings(self)
        self.completer = QCompleter(self.recent, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setWidget(self.edit)
        self.completer.activated.connect(self.set_text)
        self.edit.installEventFilter(self)
        self.help_button = QToolButton()
        self.help_button.setIcon(icon("help"))
        self.help_button.setAccessibleName("Search syntax")
        self.help_button.setToolTip(rich("Search syntax, and how this search was read (F1)"))
        self.save_button = QToolButton()
        self.save_button.setText("Save search…")
        self.save_button.setToolTip(rich("Save this search under a name; it appears in the filter panel"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.help_button)
        layout.addWidget(self.save_button)

        self.read_as: list[str] = ["Every case in the library."]
        self.popup = SyntaxPopup(self)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self.edit.textEdited.connect(lambda _: self._timer.start())
        self.edit.returnPressed.connect(self._emit)
        self.edit.textChanged.connect(self._cleared_by_button)
        self.help_button.clicked.connect(self.show_help)
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.text()))
        self._last = ""

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        """Replace the search and run it now."""
        self.edit.setText(text)
        self._emit()

    def set_recent(self, items: list[str]) -> None:
        self.recent.setStringList(items)

    def focus(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def show_recent(self) -> None:
        """The recent searches holding what is typed (all of them if none does)."""
        self.completer.setCompletionPrefix(self.text())
        if not self.completer.completionCount():
            self.completer.setCompletionPrefix("")
        if self.completer.completionCount():
            self.completer.complete()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.edit:
            return super().eventFilter(watched, event)
        popup = self.completer.popup()
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and not (popup and popup.isVisible())
        ):
            self.show_recent()
            return True
        # Qt's X11 line-edit keys give Ctrl+U to "delete to the start of the line": the
        # window's Ctrl+U (Show original text) must win.
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.ShortcutOverride
            and event.keyCombination() == CTRL_U
        ):
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    def show_help(self) -> None:
        self.popup.show_for(self.edit, self.read_as)

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Cancel) or event.key() == Qt.Key.Key_Escape:
            self.clear()
            return
        super().keyPressEvent(event)

    def clear(self) -> None:
        if self.edit.text():
            self.edit.clear()
            self._emit()

    def toggle_term(self, term: str) -> None:
        """Add a filter term to the search, or take it out if it is there. A case has one
        force, year and status: another value of those takes the place of the one there."""
        text = self.text()
        pattern = re.compile(r"(^|\s)" + re.escape(term) + r"(?=\s|$)")
        if pattern.search(text):
            text = " ".join(pattern.sub(" ", text).split())
        else:
            field = term.split(":", 1)[0]
            if field in SINGLE_VALUED:
                text = _SAME_FIELD[field].sub(" ", text)
            text = f"{' '.join(text.split())} {term}".strip()
        self.set_text(text)

    def _cleared_by_button(self, text: str) -> None:
        if not text and self._last:
            self._emit()

    def _emit(self) -> None:
        self._timer.stop()
        self._last = self.text()
        self.searched.emit(self._last)
