"""What the list area shows when there is nothing to list: a new library, or no matches."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .icons import app_icon, icon


def _centred(*widgets) -> QVBoxLayout:
    layout = QVBoxLayout()
    layout.addStretch(2)
    for w in widgets:
        if isinstance(w, QWidget):
            layout.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
        else:
            layout.addLayout(w)
    layout.addStretch(3)
    return layout


def _label(html: str, size: int = 0) -> QLabel:
    label = QLabel(html)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setMaximumWidth(520)
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
        self.title.setText(f"<b>No cases match “{escape(text.strip())}”</b>")
        lines = "<br>".join(escape(line) for line in read_as)
        self.reading.setText(f"<span style='color:#5d6d7e'>Your search was read as:<br>{lines}</span>")
