"""Text from files, libraries and typing, made safe for every Qt place that shows it.

Qt guesses the format of a string in tooltips (item-model tooltips included), in
labels and message boxes left at `AutoText`, and in dialogs that make their own
labels (QInputDialog, QProgressDialog): when `Qt.mightBeRichText` finds a known tag
on the first line, the string is rendered as HTML, and an `<img>` in it is loaded
from disk (a FIFO hangs the window, /dev/zero aborts it). Nothing here guesses:

- `shown(text)`: the text to show as plain text (labels set to `PlainText` with
  `plain_label`, status-bar messages, list cells with `cell_text`; window titles with
  `window_title` and menu entries with `menu_text`, kept on one line). Bidi overrides
  and isolates, which would reverse what follows them, and characters that have no
  place in shown text (controls, noncharacters) become U+FFFD, visibly, one character
  for one, so positions in the text stay where they were.
- `escaped(text)`: `shown` text escaped for our own HTML (the detail pane, print,
  labels that mix our markup with case text).
- `rich(text)`: a complete rich-text string that shows `text` literally; for every
  place whose format cannot be set (tooltips, QInputDialog labels). Qt always reads
  it as rich text (it starts with a paragraph tag), so nothing in `text` is ever
  read as markup.
- `message(...)`: a message box whose text is plain; `ShownStrings`: a list model
  (for completers) that shows its strings as `shown` text.
"""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

_UNSHOWABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # control characters (tab and line feed are text)
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates
    "\ufdd0-\ufdef\ufffe\uffff]"  # noncharacters (Qt uses some inside its documents)
)
REPLACEMENT = "\ufffd"
_LINE_BREAKING = re.compile("[\t\n\u2028\u2029]")
"""What `shown` keeps but a one-line place (a window title, a menu entry) cannot show."""
TIP_CHARS = 2000
"""A tooltip shows at most this much: a tooltip is a glance, and laying out megabytes would stall."""
CELL_CHARS = 1000
"""A list cell shows at most this much (a copied library may hold a title of any length)."""


def shown(text: str | None) -> str:
    """`text` fit to show as plain text: the same length, nothing that reorders or hides."""
    text = text or ""
    return _UNSHOWABLE.sub(REPLACEMENT, text) if _UNSHOWABLE.search(text) else text


def cell_text(text: str | None) -> str:
    """`shown` text for a list cell or a tree item, at most CELL_CHARS of it."""
    text = text or ""
    return shown(text if len(text) <= CELL_CHARS else text[:CELL_CHARS] + "…")


def escaped(text: str | None) -> str:
    """`shown` text, escaped for HTML we build."""
    return escape(shown(text))


def rich(text: str | None, limit: int = TIP_CHARS) -> str:
    """Rich text that shows `text` literally (line breaks kept), for tooltips and labels Qt reads
    as it guesses; at most `limit` characters of it."""
    text = text or ""
    if len(text) > limit:
        text = text[:limit] + "…"
    return f"<p style='white-space:pre-wrap'>{escaped(text)}</p>" if text else ""


class ShownStrings(QStringListModel):
    """A list of strings (for a completer) shown as `shown` text, completed as they are."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        value = super().data(index, role)
        return shown(value) if role == Qt.ItemDataRole.DisplayRole else value


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that never reads its text as markup."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(shown(text))
    return label


def _one_line(text: str | None) -> str:
    """`shown` text on one line: a line break or tab (a file may be named with one) becomes
    U+FFFD too."""
    return _LINE_BREAKING.sub(REPLACEMENT, shown(text))


def window_title(text: str) -> str:
    """A window title: `shown` on one line, and a "[*]" in it kept as written (Qt takes it for the
    modified-document mark and "[*][*]" for a literal one)."""
    return _one_line(text).replace("[*]", "[*][*]")


def menu_text(text: str) -> str:
    """A menu entry: `shown` on one line, with "&" kept (Qt takes a single one for a shortcut mark)."""
    return _one_line(text).replace("&", "&&")


def message(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    informative: str = "",
    *,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
) -> QMessageBox.StandardButton:
    """Show a message box whose texts are plain; return the button chosen."""
    box = make_message(parent, icon, title, text, informative, buttons=buttons, default=default)
    return QMessageBox.StandardButton(box.exec())


def make_message(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    informative: str = "",
    *,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
    default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
) -> QMessageBox:
    """A message box with plain texts, not yet shown, for buttons of one's own."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowTitle(window_title(title))
    box.setText(shown(text))
    if informative:
        box.setInformativeText(shown(informative))
    box.setStandardButtons(buttons)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return box
