"""Similar cases: under the open case, the ten cases most like it, each with a line saying why.

Found on the session's reader (storage/searching/similar.py, tens of milliseconds at 100,000
cases), a moment after a case is opened: moving through the list quickly, only the last
case's are looked for, and a search's own figures (the statistics tab) go first. A click opens the
case: selected in the list when the search shows it, else in the detail pane by itself.
"More like this" runs `like:REF` as a search, which lists the same cases.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from storage.keeping.library import Library
from storage.records import CaseRow
from storage.searching.similar import SimilarCase, similar_cases

from ..formatting import short_date
from ..safe_text import cell_text, escaped, plain_label, rich
from ..session.operations import Changes
from ..session.session import Session
from ..theme import muted
from ..window.case_view import CaseView
from ..window.results import Results

CASE_ID = Qt.ItemDataRole.UserRole + 1
WAIT_MS = 120
"""How long a case stays open before its similar cases are looked for."""


def like_term(row: CaseRow) -> str:
    """The search for cases like `row`: by reference, or by id when it has none."""
    return f"like:{row.reference or row.id}"


def item_text(row: CaseRow, similar: SimilarCase) -> str:
    """The item as plain text (what screen readers and copying get)."""
    return f"{row.title}\n{where_when(row)}\n{similar.reason()}"


def where_when(row: CaseRow) -> str:
    when = short_date(row.published) if row.published else "(no date)"
    return f"{row.force or 'No force'} · published {when}"


def item_label(row: CaseRow, similar: SimilarCase) -> QLabel:
    """The item as the eye sees it: the title in bold, where and when in grey, then why."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # clicks go to the list
    label.setContentsMargins(4, 3, 4, 3)
    label.setText(
        f"<b>{escaped(cell_text(row.title))}</b><br><span style='color:{muted()}'>{escaped(where_when(row))}"
        f"</span><br>{escaped(similar.reason())}"
    )
    return label


class SimilarCases(QWidget):
    """The list of cases like the open one."""

    updated = Signal(object)  # the id of the case whose similar cases are shown (None: none)

    def __init__(self, session: Session, results: Results, cases: CaseView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("similar")
        self.session, self.results, self.cases = session, results, cases
        self.case_id: int | None = None
        self.found: list[tuple[SimilarCase, CaseRow]] = []
        self._listed: int | None = None  # the case whose similar cases `found` are
        self._seq = 0
        self.heading = plain_label("Similar cases")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.more_button = QPushButton("More like this")
        self.more_button.setObjectName("more-like-this")
        self.more_button.setToolTip(rich("List the cases most like this one as a search (like:…)"))
        self.more_button.clicked.connect(lambda: self.more_like_this(self.case_id))
        self.list = QListWidget()
        self.list.setObjectName("similar-list")
        self.list.setAccessibleName("Similar cases")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        self._wait = QTimer(self, singleShot=True, interval=WAIT_MS)
        self._wait.timeout.connect(lambda: self._find(self.case_id))
        results.current_changed.connect(self.show_for)
        session.opened.connect(lambda _: self.show_for(None))
        session.changed.connect(self._changed)
        self._show_empty("Open a case to see the cases most like it.")

    def show_for(self, case_id: int | None) -> None:
        """Find and list the cases like `case_id` (None: clear the list)."""
        self.case_id = case_id
        self._seq += 1
        self.more_button.setEnabled(case_id is not None)
        if case_id is None:
            self._wait.stop()
            self._show_empty("Open a case to see the cases most like it.")
            return
        self._wait.start()

    def _find(self, case_id: int | None) -> None:
        if case_id is None or case_id == self._listed:
            return  # they do not depend on the search: one that keeps their case open keeps them
        seq = self._seq

        def find(lib: Library) -> list[tuple[SimilarCase, CaseRow]] | None:
            if seq != self._seq:
                return None  # another case was opened meanwhile
            found = similar_cases(lib, case_id)
            rows = {row.id: row for row in lib.rows([s.case_id for s in found])}
            return [(s, rows[s.case_id]) for s in found if s.case_id in rows]

        self.session.read(find, lambda found: self._show(seq, case_id, found))

    def _show(self, seq: int, case_id: int, found) -> None:
        if found is None or seq != self._seq:
            return
        self.found = found
        self.list.clear()
        for similar, row in found:
            item = QListWidgetItem(cell_text(item_text(row, similar)))
            item.setForeground(Qt.GlobalColor.transparent)  # the label on top shows it
            item.setData(CASE_ID, row.id)
            item.setToolTip(rich(f"{row.title}\n\n{similar.reason()}\n\nClick to open this case"))
            self.list.addItem(item)
            self.list.setItemWidget(item, item_label(row, similar))
        self._fit()
        if not found:
            self._show_empty("No case in the library is much like this one.")
        self._listed = case_id
        self.updated.emit(case_id)

    def _fit(self) -> None:
        """Each item as tall as its label at the list's width."""
        width = self.list.viewport().width()
        for index in range(self.list.count()):
            item = self.list.item(index)
            label = self.list.itemWidget(item)
            if label is not None:
                item.setSizeHint(QSize(width, label.heightForWidth(width)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _show_empty(self, text: str) -> None:
        self.found, self._listed = [], None
        self.list.clear()
        hint = QListWidgetItem(text)
        hint.setFlags(Qt.ItemFlag.NoItemFlags)
        self.list.addItem(hint)

    def _changed(self, changes: Changes) -> None:
        if changes.cases and self.case_id is not None:
            self._listed = None
            self.show_for(self.case_id)

    def _clicked(self, item: QListWidgetItem) -> None:
        case_id = item.data(CASE_ID)
        if case_id is not None:
            self.open_case(case_id)

    def open_case(self, case_id: int) -> None:
        row = self.results.model.row_of(case_id)
        if row >= 0:
            self.results.select_row(row)  # the list's current case: shown, and its similar listed
        else:
            self.cases.show_case(case_id)
            self.show_for(case_id)

    def more_like_this(self, case_id: int | None = None) -> None:
        """Search for the cases like `case_id` (by default the one open)."""
        case_id = self.case_id if case_id is None else case_id
        lib = self.session.lib
        rows = lib.rows([case_id]) if lib is not None and case_id is not None else []
        if rows:
            self.results.search_bar.set_text(like_term(rows[0]))
