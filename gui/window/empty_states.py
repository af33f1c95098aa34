"""What the list area shows when there is nothing to list: a new library, or no matches."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from ..icons import app_icon, icon
from ..safe_text import escaped
from ..theme import muted

COLUMN_WIDTH = 520


def _centred(*items) -> QVBoxLayout:
    """`items` in a column at most COLUMN_WIDTH wide, in the middle of the page.

    Word-wrapped labels fill the column rather than being added with an alignment:
    a layout gives an aligned word-wrapped label the height of its text at the
    page's full width, and the label, drawn narrower, is clipped. Other widgets
    (a picture, a button) keep their own width, centred.
    """
    column = QWidget()
    column.setMaximumWidth(COLUMN_WIDTH)
    column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    inner = QVBoxLayout(column)
    inner.setContentsMargins(0, 0, 0, 0)
    for item in items:
        if isinstance(item, QLabel) and item.wordWrap():
            inner.addWidget(item)
        elif isinstance(item, QWidget):
            inner.addWidget(item, 0, Qt.AlignmentFlag.AlignHCenter)
        else:
            inner.addLayout(item)
    row = QHBoxLayout()  # the spacers only take what the column leaves
    row.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum))
    row.addWidget(column)
    row.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum))
    layout = QVBoxLayout()
    layout.addStretch(2)
    layout.addLayout(row)
    layout.addStretch(3)
    return layout


def _label(html: str, size: int = 0) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(html)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if size:
        font = label.font()
        font.setPointSize(font.pointSize() + size)
        label.setFont(font)
    return label


class EmptyLibrary(QWidget):
    import_clicked = Signal()
    samples_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("empty-library")
        picture = QLabel()
        picture.setPixmap(app_icon().pixmap(96, 96))
        self.title = title = _label("<b>Your library is empty</b>", 4)
        text = _label(
            "Drag summary files or whole folders onto this window to import them, "
            "or choose them with <b>Import files…</b>. Each text file holds one case."
        )
        import_button = QPushButton(icon("import"), "Import files…")
        import_button.setObjectName("empty-import")
        samples_button = QPushButton(icon("samples"), "Load sample cases")
        samples_button.setObjectName("empty-samples")
        import_button.clicked.connect(self.import_clicked)
        samples_button.clicked.connect(self.samples_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(import_button)
        buttons.addWidget(samples_button)
        buttons.addStretch(1)
        self.setLayout(_centred(picture, title, text, buttons))

    def set_welcome(self, first_run: bool) -> None:
        self.title.setText("<b>Welcome to Casebook</b>" if first_run else "<b>Your library is empty</b>")


class NoResults(QWidget):
    clear_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("no-results")
        self.title = _label("", 3)
        self.reading = _label("")
        button = QPushButton(icon("clear"), "Clear the search")
        button.clicked.connect(self.clear_clicked)
        self.setLayout(_centred(self.title, self.reading, button))

    def show_for(self, text: str, read_as: list[str]) -> None:
        self.title.setText(f"<b>No cases match “{escaped(text.strip())}”</b>")
        lines = "<br>".join(escaped(line) for line in read_as)
        self.reading.setText(f"<span style='color:{muted()}'>Your search was read as:<br>{lines}</span>")
