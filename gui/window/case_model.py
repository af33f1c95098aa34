"""The case list: a table model over the ordered ids of a search, with a lazy row cache.

The model holds only the result's ids (a numpy array: 100,000 ids are 800 KB).
Rows are read from the library a page at a time when the view first asks for
them, and the least recently used pages are dropped. A row's cells are made the
first time it is painted and kept with it: every repaint asks for them again.
Sorting is not done here: a header click asks the window to search again in the
new order.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QTableView

from storage.records import CaseRow

from ..formatting import short_date, status_label
from ..icons import status_icon
from ..safe_text import cell_text, rich

# (sort key, header, default width); the title takes the width the others leave.
COLUMNS = (
    ("reference", "Reference", 92),
    ("title", "Title", None),
    ("force", "Force", 116),
    ("incident", "Incident", 108),
    ("published", "Published", 88),
    ("status", "Status", 100),
    ("tags", "Tags", 72),
)
TITLE_COLUMN = 1
STATUS_COLUMN = 5
BOLD_COLUMNS = (TITLE_COLUMN, STATUS_COLUMN)  # of a flagged case
CASE_ID = Qt.ItemDataRole.UserRole + 1
_DISPLAY, _TOOLTIP, _DECORATION, _FONT = (
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.FontRole,
    )
)
_ROLES_SHOWN = frozenset((_DISPLAY, _TOOLTIP, _DECORATION, _FONT))


class _Row:
    """A row of the list, and its cells' texts once they were shown."""

    __slots__ = ("case", "texts")

    def __init__(self, case: CaseRow):
        self.case = case
        self.texts: tuple[str, ...] | None = None


class CaseTableModel(QAbstractTableModel):
    sort_requested = Signal(str, bool)  # sort key, descending

    PAGE = 100
    MAX_PAGES = 50

    def __init__(self, fetch_rows: Callable[[list[int]], list[CaseRow]], parent=None):
        super().__init__(parent)
        self._fetch = fetch_rows
        self._ids = np.zeros(0, np.int64)
        self._pages: OrderedDict[int, dict[int, _Row]] = OrderedDict()
        self._bold = QFont()
        self._bold.setBold(True)

    # ----- contents ------------------------------------------------------------------

    def set_ids(self, ids: np.ndarray) -> None:
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    @property
    def ids(self) -> np.ndarray:
        return self._ids

    def id_at(self, row: int) -> int | None:
        return int(self._ids[row]) if 0 <= row < len(self._ids) else None

    def row_of(self, case_id: int) -> int:
        found = np.flatnonzero(self._ids == case_id)
        return int(found[0]) if len(found) else -1

    def case_row(self, row: int) -> CaseRow | None:
        shown = self._row(row)
        return shown.case if shown else None

    def _row(self, row: int) -> _Row | None:
        page_no = row // self.PAGE
        page = self._pages.get(page_no)
        if page is None:
            start = page_no * self.PAGE
            ids = [int(i) for i in self._ids[start : start + self.PAGE]]
            page = {r.id: _Row(r) for r in self._fetch(ids)}
            self._pages[page_no] = page
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(int(self._ids[row]))

    def reload(self, case_ids: Iterable[int] | None = None) -> None:
        """Forget cached rows (of `case_ids`, or all) and repaint them."""
        if case_ids is None:
            self._pages.clear()
        else:
            wanted = set(case_ids)
            for page_no, page in list(self._pages.items()):
                if wanted & page.keys():
                    del self._pages[page_no]
        if len(self._ids):
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def patch(self, case_ids: Iterable[int], **changes) -> None:
        """Show a change at once, before the library has written it."""
        wanted = set(case_ids)
        for page in self._pages.values():
            for case_id in wanted & page.keys():
                page[case_id] = _Row(replace(page[case_id].case, **changes))
        self.reload([])

    # ----- Qt model interface ----------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # Asked for seven roles of every cell at every paint: those not shown are answered first,
        # and a row's texts are made once.
        if role not in _ROLES_SHOWN:
            return self.id_at(index.row()) if role == CASE_ID and index.isValid() else None
        shown = self._row(index.row()) if index.isValid() else None
        if shown is None:
            return "…" if role == _DISPLAY and index.isValid() else None
        column, case = index.column(), shown.case
        if role == _DISPLAY:
            if shown.texts is None:
                shown.texts = tuple(cell_text(self._text(case, key)) for key, _, _ in COLUMNS)
            return shown.texts[column]
        if role == _DECORATION:
            return status_icon(case.status) if column == STATUS_COLUMN else None
        if role == _FONT:
            return self._bold if column in BOLD_COLUMNS and case.status == "flagged" else None
        key = COLUMNS[column][0]  # the tooltip: the title in full, with the force and month
        text = case.title if key == "title" else self._text(case, key)
        if key == "title" and case.warnings:
            return rich(f"{text}\n({case.warnings} import note{'s' if case.warnings != 1 else ''})")
        return rich(text) or None

    @staticmethod
    def _text(row: CaseRow, key: str) -> str:
        if key == "published":
            return short_date(row.published)
        if key == "status":
            return status_label(row.status)
        if key == "tags":
            return ", ".join(row.tags)
        if key == "title":
            return row.subject or row.title
        return getattr(row, key) or ""

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_requested.emit(COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder)


class CaseTable(QTableView):
    """The list view. Rows are whole cases, so Home and End go to the first and last case."""

    def focusInEvent(self, event) -> None:
        """Tabbing in makes the first row current, which opens its case: select it too, so the
        open case's row is the highlighted one (Qt leaves it unselected). A current row the
        reviewer unselected (Ctrl+click) stays so: selected again, a later Ctrl+click would add it."""
        had_current = self.currentIndex().isValid()
        super().focusInEvent(event)
        current, selection = self.currentIndex(), self.selectionModel()
        if not had_current and current.isValid() and not selection.hasSelection():
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            selection.select(current, flags)

    def moveCursor(self, action, modifiers):
        cursor = QAbstractItemView.CursorAction
        if action == cursor.MoveHome:
            return self.model().index(0, self.currentIndex().column())
        if action == cursor.MoveEnd:
            return self.model().index(self.model().rowCount() - 1, self.currentIndex().column())
        return super().moveCursor(action, modifiers)
