"""The detail pane: the case as text, with search hits highlighted and stepped through, and the
sentences a timeline entry or a finding points to marked when it is clicked.

The case is laid out once, and again only when what it shows changed: a new search
changes only the hits. Hits are marked on top of it as extra selections, and only those
on screen and near it: a selection costs a text cursor, and tens of thousands of them
would take seconds to make and slow every repaint. So F3 moves the current hit and
scrolls, and nothing is laid out again.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from PySide6.QtCore import QEvent, QPoint, QUrl, Signal
from PySide6.QtGui import QColor, QImage, QPalette, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from storage.records import Case
from storage.searching.search import CaseHits

from ..formatting import finding_title
from ..icons import icon
from ..output.case_html import (
    CORRECT_LINK,
    EVENT_LINK,
    FINDING_LINK,
    ORIGINAL_LINK,
    render_case,
    screen_css,
    text_positions,
    timeline,
)
from ..safe_text import rich
from ..theme import is_dark, muted

HINT = "<p class='hint'>{}</p>"
PLACEHOLDER = HINT.format("Select a case in the list to read it here.")
EMPTY_LIBRARY_HINT = HINT.format(
    "The case you open is shown here. The library has no cases yet: drag summary files "
    "onto the window, or use File › Import files… (Ctrl+I)."
)
NO_MATCH_HINT = HINT.format("No case matches the search. Press Escape to see every case.")
HIT_COLOUR = QColor("#ffe58a")
CURRENT_COLOUR = QColor("#ff9f1c")
MARK_COLOUR = QColor("#c9e0ff")  # a sentence a timeline entry or a finding pointed to
MAX_ZOOM = 12
MARKED_AT_ONCE = 1000
"""Hits marked at one time, from the top of the screen down: more than a screen holds."""


def document_spans(paragraphs: list[tuple[int, int, int]], spans) -> list[tuple[int, int]]:
    """Spans of one field (sorted (start, end) pairs) as positions in the document, given where
    the field's paragraphs were laid out (`text_positions`); a span is cut at its block's end."""
    found: list[tuple[int, int]] = []
    i = 0
    for start, end in spans:
        while i < len(paragraphs) and start >= paragraphs[i][0] + paragraphs[i][2]:
            i += 1
        if i == len(paragraphs):
            break
        text_start, position, length = paragraphs[i]
        if start >= text_start:
            found.append(
                (position + start - text_start, position + min(end, text_start + length) - text_start)
            )
    return found


def document_hits(positions: dict[str, list[tuple[int, int, int]]], hits: CaseHits) -> list[tuple[int, int]]:
    """The hits as (start, end) positions in the document `render_case` laid out (whose fields
    are at `positions`, from `text_positions`), in order."""
    return [
        span
        for name, paragraphs in positions.items()
        for span in document_spans(paragraphs, hits.spans.get(name, ()))
    ]


class CaseBrowser(QTextBrowser):
    """A text browser that never loads anything: not from the network, not from disk.

    (Case text is escaped, so it holds no images; and were there one, given no image, Qt
    would read the file itself: it gets an empty one.)"""

    resized = Signal()

    def loadResource(self, kind, url):
        return (
            QImage(1, 1, QImage.Format.Format_ARGB32)
            if kind == QTextDocument.ResourceType.ImageResource
            else None
        )

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.resized.emit()


class DetailPane(QWidget):
    original_requested = Signal()
    correct_requested = Signal()  # the reviewer asked to correct the findings of the case
    said = Signal(str)  # something to tell the reviewer in passing

    def __init__(self, parent=None):
        super().__init__(parent)
        self.browser = CaseBrowser()
        self.browser.setAccessibleName("Case text")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self._style()
        self.browser.anchorClicked.connect(self._anchor)
        self._html = ""  # what the browser shows
        self._positions: dict[str, list[tuple[int, int, int]]] | None = None  # its fields, once asked
        self._shown_marks: list[tuple[int, int, int]] | None = None  # the marks on it: (start, end, format)
        self._set_html(PLACEHOLDER)
        self.browser.verticalScrollBar().valueChanged.connect(self._mark)
        self.browser.resized.connect(self._mark)
        self.hit_label = QLabel()
        # Its text changes with every search: were the pane as wide as the text at least, the
        # panes beside it would change width as one types (and the case be laid out again).
        self.hit_label.setWordWrap(True)
        self.previous_button, self.next_button = QToolButton(), QToolButton()
        self.previous_button.setIcon(icon("previous"))
        self.previous_button.setToolTip(rich("Previous hit (Shift+F3)"))
        self.next_button.setIcon(icon("next"))
        self.next_button.setToolTip(rich("Next hit (F3)"))
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
        self._searched: CaseHits | None = None  # None: the search has no words
        self._hit_format, self._current_format = QTextCharFormat(), QTextCharFormat()
        self._mark_format = QTextCharFormat()
        for text_format, colour in (
            (self._hit_format, HIT_COLOUR),
            (self._current_format, CURRENT_COLOUR),
            (self._mark_format, MARK_COLOUR),
        ):
            text_format.setBackground(colour)
            text_format.setForeground(QColor("black"))  # readable on the marker on a dark palette too
        self.marked: list[tuple[int, int]] = []  # document spans of the sentences marked
        self._marked_for: tuple[str, int] = ("", -1)  # what the marks show, and which is on screen
        self.zoom_steps = 0
        self._starts: list[int] = []
        self._ends: list[int] = []
        self.current = -1
        self._show_hit_bar()

    @property
    def hits(self) -> int:
        """How many hits can be stepped through."""
        return len(self._starts)

    @property
    def more_hits(self) -> bool:
        """Whether the case has more hits than are listed."""
        return self._searched is not None and self._searched.more

    def hit_span(self, number: int) -> tuple[int, int]:
        """Where hit `number` is in the document."""
        return self._starts[number], self._ends[number]

    def show_case(self, case: Case | None, hits: CaseHits | None = None, keep_place: bool = False) -> None:
        """Show `case` with `hits` marked (None: the search has no words). `keep_place` keeps the
        reader where they were (the same case, shown again because the library changed)."""
        place = self.browser.verticalScrollBar().value()
        self.case = case
        self._searched = hits
        self.current = -1
        self._starts, self._ends = [], []
        self.marked, self._marked_for = [], ("", -1)
        if case is None:
            self._set_html(PLACEHOLDER)
        else:
            self._set_html(render_case(case))
            if hits is not None and hits.listed:
                found = document_hits(self._field_positions(), hits)
                self._starts = [start for start, _ in found]
                self._ends = [end for _, end in found]
            # a new case is read from the top; F3 goes to the hits
            self.browser.verticalScrollBar().setValue(place if keep_place else 0)
        self._mark()
        self._show_hit_bar()

    def _set_html(self, html: str) -> None:
        """Show `html`; the same again is not laid out again (only the cursor goes back to the
        start, as a new document's would be)."""
        if html == self._html:
            self.browser.setTextCursor(QTextCursor(self.browser.document()))
            return
        self._html, self._positions, self._shown_marks = html, None, None
        self.browser.setHtml(html)

    def _field_positions(self) -> dict[str, list[tuple[int, int, int]]]:
        """Where the case's fields are in the document (see `text_positions`)."""
        if self._positions is None:
            assert self.case is not None
            self._positions = text_positions(self.browser.document().toRawText(), self.case)
        return self._positions

    def go_to_hit(self, number: int) -> None:
        if not self.hits:
            return
        self.current = number % self.hits
        self._scroll_to(self._starts[self.current])
        self._mark()
        self._show_hit_bar()

    def _scroll_to(self, position: int) -> None:
        """Scroll so that `position` is a third of the way down the pane."""
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(position)
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()  # lays the case out down to there, so it can be scrolled to
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.value() + self.browser.cursorRect().top() - self.browser.viewport().height() // 3)

    def show_event(self, number: int) -> None:
        """Mark the sentence of timeline entry `number` in the text and scroll to it."""
        entries = timeline(self.case) if self.case is not None else []
        if 0 <= number < len(entries):
            self._mark_passages(
                f"event/{number}", [("narrative", entries[number].start, entries[number].end)]
            )

    def show_evidence(self, label: str) -> None:
        """Mark the sentences that gave finding `label`; each click again goes to the next."""
        if self.case is None:
            return
        passages = [(e.field, e.start, e.end) for e in self.case.evidence if e.label == label]
        if not passages:
            how = "a reviewer added it" if label in self.case.findings_added else "none was kept"
            self.said.emit(f"No sentence of the text is marked for “{finding_title(label)}”: {how}.")
            return
        self._mark_passages(f"finding/{label}", passages)
        if len(self.marked) > 1:
            self.said.emit(
                f"“{finding_title(label)}”: sentence {self._marked_for[1] + 1} of {len(self.marked)} "
                "that gave it (click it again for the next)."
            )

    def _mark_passages(self, what: str, passages: list[tuple[str, int, int]]) -> None:
        """Mark (field, start, end) passages and scroll to the first, or to the next when the
        same thing was clicked before."""
        if self.case is None:
            return
        positions = self._field_positions()
        marked = []
        for field in ("narrative", "recommendations"):
            spans = sorted((start, end) for f, start, end in passages if f == field)
            marked += document_spans(positions.get(field, []), spans)
        if not marked:
            return
        step = self._marked_for[1] + 1 if self._marked_for[0] == what else 0
        self.marked, self._marked_for = marked, (what, step % len(marked))
        self._scroll_to(marked[self._marked_for[1]][0])
        self._mark()

    def next_hit(self) -> None:
        self.go_to_hit(self.current + 1)

    def previous_hit(self) -> None:
        self.go_to_hit(self.current - 1)

    def _mark(self) -> None:
        """Mark the hits on screen, and those half a screen above and below it (and nothing
        again when those are marked already: the pane would be repainted for nothing)."""
        marks = [(start, end, self._mark_format) for start, end in self.marked]
        if self.hits:
            viewport = self.browser.viewport()
            margin = viewport.height() // 2
            top = self.browser.cursorForPosition(QPoint(0, -margin)).position()
            bottom = self.browser.cursorForPosition(
                QPoint(viewport.width(), viewport.height() + margin)
            ).position()
            first = bisect_left(self._ends, top)
            last = min(bisect_right(self._starts, bottom), first + MARKED_AT_ONCE)
            hit, current = self._hit_format, self._current_format
            marks += [
                (self._starts[n], self._ends[n], current if n == self.current else hit)
                for n in range(first, last)
            ]
        shown = [(start, end, id(text_format)) for start, end, text_format in marks]
        if shown == self._shown_marks:
            return
        self._shown_marks = shown
        selections = []
        document = self.browser.document()
        for start, end, text_format in marks:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(document)
            selection.cursor.setPosition(start)
            selection.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.format = text_format
            selections.append(selection)
        self.browser.setExtraSelections(selections)

    def _show_hit_bar(self) -> None:
        for widget in (self.hit_label, self.previous_button, self.next_button):
            widget.setVisible(self.case is not None and self._searched is not None)
        more = self.more_hits
        if self.case is None:
            text = ""
        elif not self.hits:
            text = "The words match this case’s tags or other fields, not its text"
        elif self.current < 0 and more:
            text = f"The first {self.hits:,} hits are marked (there are more) · F3 goes to the next"
        elif self.current < 0:
            text = f"{self.hits:,} hit{'s' if self.hits != 1 else ''} · F3 goes to the next"
        elif more:
            text = f"Hit {self.current + 1:,} of the first {self.hits:,} (there are more)"
        else:
            text = f"Hit {self.current + 1:,} of {self.hits:,}"
        self.hit_label.setText(text)
        for button in (self.previous_button, self.next_button):
            button.setEnabled(self.hits > 0)

    def _anchor(self, url: QUrl) -> None:
        link = url.toString()
        if link == ORIGINAL_LINK:
            self.original_requested.emit()
        elif link == CORRECT_LINK:
            self.correct_requested.emit()
        elif link.startswith(EVENT_LINK) and link[len(EVENT_LINK) :].isdigit():
            self.show_event(int(link[len(EVENT_LINK) :]))
        elif link.startswith(FINDING_LINK):
            self.show_evidence(link[len(FINDING_LINK) :])

    def _style(self) -> None:
        palette = self.palette()  # the browser gets the new palette after this pane
        warning = "#f0b44c" if is_dark(palette) else "#7a4b00"
        text = palette.color(QPalette.ColorRole.Text).name()
        self.browser.document().setDefaultStyleSheet(screen_css(text, muted(palette), warning))

    def changeEvent(self, event: QEvent) -> None:
        """The system's theme changed (light to dark, say): show the case in its colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style()
            self._html = ""  # laid out again in the new style
            if self.case is not None:
                self.show_case(self.case, self._searched, keep_place=True)

    def zoom(self, steps: int) -> None:
        """Text size in the pane: `steps` points larger (negative: smaller) than the default."""
        steps = max(-MAX_ZOOM, min(MAX_ZOOM, steps))
        self.browser.zoomOut(self.zoom_steps)  # back to the default first
        self.browser.zoomIn(steps)
        self.zoom_steps = steps

    def set_placeholder(self, html: str = PLACEHOLDER) -> None:
        self.case = None
        self._starts, self._ends = [], []
        self.marked, self._marked_for = [], ("", -1)
        self._set_html(html)
        self._mark()
        self._show_hit_bar()
