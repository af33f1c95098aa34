"""The results of the search: the case list, the filter panel and the counts.

The search in the bar runs on the session's reader; a newer search supersedes an older
one. When the session says the library changed, the same search runs again, and the
reviewer's selection and current case stay where they were.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from storage.errors import Cancelled, IndexDamaged
from storage.keeping.library import Library
from storage.records import CaseRow
from storage.searching.search import SORTS, SearchResult, search

from ..formatting import plural
from ..safe_text import plain_label, rich, shown
from ..session.operations import Changes, DeleteSavedSearch, SaveSearch
from ..session.session import Session
from ..settings import MAX_RECENT_SEARCHES, Settings
from . import empty_states
from .case_model import CASE_ID, COLUMNS, TITLE_COLUMN, CaseTable, CaseTableModel
from .filter_panel import FilterPanel
from .search_bar import SearchBar

log = logging.getLogger(__name__)


class Results(QObject):
    """Builds and runs the search bar, the filter panel, the case list and the counts."""

    finished = Signal(object, bool)  # the SearchResult now shown, and whether it was a refresh
    current_changed = Signal(object)  # the id of the case to show, or None
    index_damaged = Signal(object)  # IndexDamaged: searches cannot be answered
    failed = Signal(object)  # any other error of a search

    def __init__(self, session: Session, settings: Settings, parent: QWidget):
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.result: SearchResult | None = None
        self.result_text = ""  # the search `result` is of, as typed
        self.sort_key, self.sort_descending = settings.get("search/sort"), settings.get("search/descending")
        self._seq = 0

        self.search_bar = SearchBar()
        self.search_bar.searched.connect(self.run_search)
        self.search_bar.save_requested.connect(self.save_search)
        self.search_bar.set_recent(settings.get("search/recent"))

        self.facets = FilterPanel()
        self.facets.setObjectName("filters")
        self.facets.setAccessibleName("Filters")
        self.facets.set_open(settings.get("filters/open"))
        self.facets.term_toggled.connect(self.search_bar.toggle_term)
        self.facets.saved_chosen.connect(self.search_bar.set_text)
        self.facets.saved_deleted.connect(
            lambda name: session.write(DeleteSavedSearch(name), "deleting the search")
        )

        self.model = CaseTableModel(self._rows, self)
        self.table = self._build_table(parent)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.empty_library = empty_states.EmptyLibrary(parent)
        self.no_results = empty_states.NoResults(parent)
        self.no_results.clear_clicked.connect(self.search_bar.clear)
        for page in (self.empty_library, self.no_results):
            self.list_stack.addWidget(page)
        self.count_label = plain_label()
        self.count_label.setObjectName("count")
        self.note_label = plain_label()

        session.opened.connect(self._opened)
        session.closed.connect(lambda: self.model.set_ids(self.model.ids[:0]))
        session.changed.connect(self._changed)

    def _build_table(self, parent: QWidget) -> CaseTable:
        table = CaseTable()
        table.setObjectName("cases")
        table.setAccessibleName("Cases")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setSortingEnabled(True)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setShowGrid(False)
        table.setTabKeyNavigation(False)
        vertical = table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(parent.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        self.default_columns(table)
        table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        return table

    @staticmethod
    def default_columns(table: CaseTable) -> None:
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        for column, (_, _, width) in enumerate(COLUMNS):
            if width is None:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, width)

    def restore_columns(self, state) -> None:
        header = self.table.horizontalHeader()
        restored = header.restoreState(state)
        if restored and header.sectionResizeMode(TITLE_COLUMN) != QHeaderView.ResizeMode.Stretch:
            self.default_columns(self.table)  # saved by a version whose columns did not fit
        # Enabling sorting and restoring the header both "sort" once: listen only from now on.
        self.model.sort_requested.connect(self.sort_by)

    # ----- the library --------------------------------------------------------------

    @property
    def lib(self) -> Library | None:
        return self.session.lib

    def _rows(self, ids: list[int]) -> list[CaseRow]:
        return self.lib.rows(ids) if self.lib else []

    def _opened(self, lib: Library) -> None:
        """Another library: its whole list, whatever the last one was searched for."""
        self.facets.set_saved(lib.saved_searches())
        self.search_bar.set_text("")

    def _changed(self, changes: Changes) -> None:
        if changes.saved_searches and self.lib is not None:
            self.facets.set_saved(self.lib.saved_searches())
        if changes.cases or changes.review:
            self.model.reload(None if changes.ids is None else list(changes.ids))
            self.run_search(refresh=True)

    # ----- searching ----------------------------------------------------------------

    def run_search(self, text: str | None = None, refresh: bool = False) -> None:
        """Run the search (by default the one in the bar). `refresh`: the same search again
        because the library changed; the selection and the reader's place are kept."""
        text = self.search_bar.text() if text is None else text
        self._seq += 1
        seq, sort, descending = self._seq, self.sort_key, self.sort_descending

        def superseded() -> bool:
            return seq != self._seq

        def run(lib: Library) -> SearchResult | None:
            if superseded():
                return None  # a newer search is waiting: skip this one
            return search(lib, text, sort=sort, descending=descending, cancelled=superseded)

        self.session.read(run, lambda result: self._show(seq, text, result, refresh), self._search_failed)

    def _search_failed(self, error: Exception) -> None:
        if isinstance(error, Cancelled):  # a newer search took its place
            return
        (self.index_damaged if isinstance(error, IndexDamaged) else self.failed).emit(error)

    def _show(self, seq: int, text: str, result: SearchResult | None, refresh: bool) -> None:
        if result is None or seq != self._seq:
            return
        keep, keep_row = self.current_case_id(), self.table.currentIndex().row()
        selected = self.selected_ids() if refresh else []
        self.result, self.result_text = result, text
        if self.session.watch is not None:
            self.session.watch.shown(result.library_state)
        self.model.set_ids(result.ids)
        self.facets.set_facets(result.facets, text)
        self.search_bar.read_as = result.explain()
        self._show_sort(result)
        total = self.lib.case_count() if self.lib else 0
        page = self.table if result.total else (self.empty_library if total == 0 else self.no_results)
        self.list_stack.setCurrentWidget(page)
        if not result.total and total:
            self.no_results.show_for(text, result.explain())
        self.count_label.setText(self._count_text(result, total))
        self.note_label.setText(shown(" ".join(result.notes)))
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and keep is not None and result.total:
            row = min(max(keep_row, 0), result.total - 1)  # the case left this search: go to the next
        if row >= 0:
            self.select_row(row)
            if len(selected) > 1:
                self._select_ids(selected)
        else:
            self.table.selectionModel().clear()  # so a click on the row focus made current shows it
            self.current_changed.emit(None)
        self.finished.emit(result, refresh)

    @staticmethod
    def _count_text(result: SearchResult, total: int) -> str:
        if not result.query.terms:
            return f"{plural(total, 'case')} · reviewed {result.reviewed:,} of {total:,}"
        return (
            f"{plural(result.total, 'case')} of {total:,} · "
            f"reviewed {result.reviewed:,} of {result.total:,} in this search"
        )

    def _show_sort(self, result: SearchResult) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        keys = [c[0] for c in COLUMNS]
        if result.sort in keys:
            order = Qt.SortOrder.DescendingOrder if result.descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(keys.index(result.sort), order)
        else:
            header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        header.blockSignals(False)
        header.viewport().update()

    def sort_by(self, key: str, descending: bool) -> None:
        if key in SORTS:
            self.sort_key, self.sort_descending = key, descending
            self.settings.set("search/sort", key)
            self.settings.set("search/descending", descending)
            self.run_search()

    def remember_search(self) -> None:
        text = self.search_bar.text().strip()
        if text:
            self.search_bar.set_recent(self.settings.push("search/recent", text, MAX_RECENT_SEARCHES))

    def save_search(self, text: str) -> None:
        parent = self.table.window()
        if not text.strip():
            QMessageBox.information(parent, "Save search", "Type a search first, then save it under a name.")
            return
        name, ok = QInputDialog.getText(parent, "Save search", rich(f"Name for the search “{text}”:"))
        if ok and name.strip():
            self.session.write(SaveSearch(name, text), "saving the search")

    # ----- the current case and the selection ---------------------------------------

    def current_case_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(CASE_ID) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        """The selected cases, or the current one when none is selected."""
        rows = self.table.selectionModel().selectedRows()
        ids = [self.model.id_at(i.row()) for i in rows]
        current = self.current_case_id()
        return [i for i in ids if i is not None] or ([current] if current is not None else [])

    def listed_ids(self) -> list[int]:
        return [int(i) for i in self.model.ids]

    def shown_search(self) -> tuple[str, list[str]]:
        """The search whose cases are listed, as typed and as read."""
        return self.result_text, self.result.explain() if self.result else []

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        moves = self.table.currentIndex().row() != row  # Qt says so; else it is said here
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        if not moves:
            self._current_row_changed(index)

    def _select_ids(self, ids: list[int]) -> None:
        """Add the rows of `ids` that are in the list to the selection (the current row stays)."""
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for case_id in ids:
            row = self.model.row_of(case_id)
            if row >= 0:
                self.table.selectionModel().select(self.model.index(row, 0), flags)

    def _current_row_changed(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        self.current_changed.emit(index.data(CASE_ID) if index.isValid() else None)
