"""The detail pane: the case as text, with search hits highlighted and stepped through."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTextBrowser, QToolButton, QVBoxLayout, QWidget

from storage.records import Case

from .case_html import ORIGINAL_LINK, SCREEN_CSS, RenderOptions, render_case
from .icons import icon

HINT = "<p style='color:#6b7785'>{}</p>"
PLACEHOLDER = HINT.format("Select a case in the list to read it here.")
EMPTY_LIBRARY_HINT = HINT.format(
    "The case you open is shown here. The library has no cases yet: drag summary files "
    "onto the window, or use File › Import files… (Ctrl+I)."
)
NO_MATCH_HINT = HINT.format("No case matches the search. Press Escape to see every case.")


class CaseBrowser(QTextBrowser):
    """A text browser that never loads anything: not from the network, not from disk."""

    def loadResource(self, kind, url):
        return None


class DetailPane(QWidget):
    original_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.browser = CaseBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDefaultStyleSheet(SCREEN_CSS)
        self.browser.anchorClicked.connect(self._anchor)
        self.browser.setHtml(PLACEHOLDER)
        self.hit_label = QLabel()
        self.previous_button = QToolButton(icon=icon("previous"), toolTip="Previous hit (Shift+F3)")
        self.next_button = QToolButton(icon=icon("next"), toolTip="Next hit (F3)")
        self.previous_button.clicked.connect(self.previous_hit)
        self.next_button.clicked.connect(self.next_hit)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.hit_label, 1)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        self.case: Case | None = None
        self._highlights: dict[str, str] | None = None  # None: the search has no words
        self.hits = 0
        self.current = -1
        self._show_hit_bar()

    def show_case(
        self, case: Case | None, highlights: dict[str, str] | None = None, keep_place: bool = False
    ) -> None:
        """Show `case`; `highlights` are its fields with hit marks ({} if the words are not in
        it, None if the search has no words). `keep_place` keeps the reader where they were
        (the same case, shown again because the library changed)."""
        place = self.browser.verticalScrollBar().value()
        self.case = case
        self._highlights = highlights
        self.current = -1
        if case is None:
            self.hits = 0
            self.browser.setHtml(PLACEHOLDER)
        else:
            self._render()  # a new case is read from the top; F3 goes to the hits
            self.browser.verticalScrollBar().setValue(place if keep_place else 0)
        self._show_hit_bar()

    def _render(self) -> None:
        html, self.hits = render_case(self.case, RenderOptions(self._highlights, self.current))
        self.browser.setHtml(html)

    def go_to_hit(self, number: int) -> None:
        if not self.hits:
            return
        self.current = number % self.hits
        position = self.browser.verticalScrollBar().value()
        self._render()
        self.browser.verticalScrollBar().setValue(position)
        self.browser.scrollToAnchor(f"hit-{self.current}")
        self._show_hit_bar()

    def next_hit(self) -> None:
        self.go_to_hit(self.current + 1)

    def previous_hit(self) -> None:
        self.go_to_hit(self.current - 1)

    def _show_hit_bar(self) -> None:
        for widget in (self.hit_label, self.previous_button, self.next_button):
            widget.setVisible(self.case is not None and self._highlights is not None)
        if self.case is None:
            self.hit_label.setText("")
        elif self.hits and self.current < 0:
            self.hit_label.setText(f"{self.hits} hit{'s' if self.hits != 1 else ''} · F3 goes to the next")
        elif self.hits:
            self.hit_label.setText(f"Hit {self.current + 1} of {self.hits}")
        else:
            self.hit_label.setText("The words match this case’s tags or other fields, not its text")
        for button in (self.previous_button, self.next_button):
            button.setEnabled(self.hits > 0)

    def _anchor(self, url: QUrl) -> None:
        if url.toString() == ORIGINAL_LINK:
            self.original_requested.emit()

    def set_placeholder(self, html: str = PLACEHOLDER) -> None:
        self.case = None
        self.hits = 0
        self.browser.setHtml(html)
        self._show_hit_bar()
