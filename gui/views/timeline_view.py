"""The timeline of the results: the events of the cases in the list by month, the events of a
chosen month, and how long the cases took from incident to publication.

A tab beside the list. It follows the search and filters: when the results change (and the
view is shown) its figures are read again on the session's reader. Clicking a month lists its
events; "Filter to this month" adds `event:` for it to the search; double-clicking an event
opens its case. Both tables export to CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage.keeping.library import Library
from storage.patterns import timeline
from storage.records import CaseRow
from storage.searching.search import SearchResult

from ..dialogs import ask_save_path, show_error
from ..formatting import event_date, plural, spread
from ..safe_text import cell_text, plain_label, rich
from ..session.session import Session
from ..window.results import Results
from .month_chart import MonthChart

EVENTS_LISTED = 1000
"""Events of one month listed at most (the CSV of the months has every count)."""


@dataclass(frozen=True)
class MonthEvents:
    period: str
    events: list[tuple[timeline.PeriodEvent, CaseRow | None]]  # the first EVENTS_LISTED
    total: int


def month_events(lib: Library, ids: np.ndarray, period: str) -> MonthEvents:
    """The events of the cases `ids` in `period`, each with its case's list row."""
    found = timeline.events_in(lib, ids, period)
    listed = found[:EVENTS_LISTED]
    rows = {row.id: row for row in lib.rows(sorted({e.case_id for e in listed}))}
    return MonthEvents(period, [(e, rows.get(e.case_id)) for e in listed], len(found))


def all_months(months: list[timeline.PeriodCount]) -> list[str]:
    """Every month from the first to the last of `months` ("2019-03"), none left out."""
    if not months:
        return []
    first, last = (int(p[:4]) * 12 + int(p[5:]) - 1 for p in (months[0].period, months[-1].period))
    return [f"{code // 12:04d}-{code % 12 + 1:02d}" for code in range(first, last + 1)]


def month_name(period: str) -> str:
    return event_date(period, "month" if "-" in period else "year")


def duration(days: int) -> str:
    """'5 days', '7 months', '2 years 3 months'."""
    if days < 61:
        return plural(days, "day")
    months = round(days / 30.44)
    if months < 24:
        return plural(months, "month")
    years, left = divmod(months, 12)
    return plural(years, "year") + (f" {plural(left, 'month')}" if left else "")


class TimelineView(QWidget):
    message = Signal(str, int)  # something for the window's status bar, for so many ms
    figures_shown = Signal(object)  # the timeline.Overview now shown
    events_shown = Signal(object)  # the MonthEvents now listed

    def __init__(self, session: Session, results: Results, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("timeline")
        self.session, self.results = session, results
        self.overview: timeline.Overview | None = None
        self.periods: list[str] = []  # the chart's bars
        self.period = ""  # the month chosen
        self._ids = np.zeros(0, np.int64)  # the cases the figures are of
        self._stale = True
        self._seq = 0

        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.filter_button = QPushButton("Filter to this month")
        self.filter_button.setToolTip(
            rich("Add this month to the search: only the cases with an event in it")
        )
        self.filter_button.clicked.connect(self.filter_to_month)
        self.export_button = QToolButton()
        self.export_button.setText("Export CSV")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction("Events by month…").triggered.connect(lambda: self.export("months"))
        menu.addAction("Days from incident to publication, per case…").triggered.connect(
            lambda: self.export("lags")
        )
        self.export_button.setMenu(menu)

        self.chart = MonthChart()
        self.chart.chosen.connect(self._month_chosen)
        self.chart_area = QScrollArea()
        self.chart_area.setWidget(self.chart)
        self.chart_area.setWidgetResizable(True)
        self.chart_area.setAccessibleName("Events by month")
        self.chart_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.years_label = plain_label()
        self.years_label.setWordWrap(True)

        self.events_label = plain_label("Click a month to list its events.")
        self.events = QTreeWidget()
        self.events.setObjectName("timeline-events")
        self.events.setAccessibleName("Events of the month")
        self.events.setHeaderLabels(["Date", "Reference", "Case", "Words"])
        self.events.setRootIsDecorated(False)
        self.events.setUniformRowHeights(True)
        self.events.itemActivated.connect(self._open_case)
        header = self.events.header()
        header.setStretchLastSection(False)
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(3, 110)

        self.lag_label = plain_label()
        self.lag_label.setWordWrap(True)
        self.lags = QTreeWidget()
        self.lags.setObjectName("timeline-lags")
        self.lags.setAccessibleName("Time from incident to publication")
        self.lags.setHeaderLabels(["Time to publication", "Cases", "Share"])
        self.lags.setRootIsDecorated(False)
        header = self.lags.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(_column(self.chart_area, self.years_label))
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(_column(self.events_label, self.events))
        tables.addWidget(_column(self.lag_label, self.lags))
        tables.setStretchFactor(0, 2)
        tables.setStretchFactor(1, 1)
        tables.setSizes([500, 250])
        self.splitter.addWidget(tables)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.filter_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self._show_month_buttons()

        results.finished.connect(lambda result, _refresh: self._search_shown(result))
        session.closed.connect(self._clear)

    # ----- following the results ----------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _search_shown(self, _result: SearchResult) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Read the figures of the cases in the list again."""
        result = self.results.result
        if result is None or self.session.lib is None:
            return
        self._stale = False
        self._seq += 1
        seq, ids = self._seq, result.ids
        self.session.read(lambda lib: timeline.overview(lib, ids), lambda found: self._show(seq, ids, found))

    def _clear(self) -> None:
        self.overview, self.periods, self.period = None, [], ""
        self.chart.set_bars([], [], [])
        self.summary.setText("")
        self.events.clear()
        self.lags.clear()
        self._stale = True

    def _show(self, seq: int, ids: np.ndarray, found: timeline.Overview) -> None:
        if seq != self._seq:
            return  # a newer search is being read
        self.overview, self._ids = found, ids
        counts = {p.period: p for p in found.timeline.months}
        self.periods = all_months(found.timeline.months)
        bars = [counts.get(p) for p in self.periods]
        tips = [
            f"{month_name(p)}: {plural(c.events, 'event')} in {plural(c.cases, 'case')}"
            if c
            else f"{month_name(p)}: none"
            for p, c in zip(self.periods, bars, strict=True)
        ]
        at_end = (
            self.chart_area.horizontalScrollBar().value() >= self.chart_area.horizontalScrollBar().maximum()
        )
        self.chart.set_bars(
            self.periods, [c.events if c else 0 for c in bars], tips, self.periods.index(self.period)
            if self.period in self.periods else -1,
        )  # fmt: skip
        if at_end:  # the latest months are the ones most often looked for
            self.chart_area.horizontalScrollBar().setValue(self.chart_area.horizontalScrollBar().maximum())
        self.summary.setText(self._summary_text(found))
        years = found.timeline.years
        self.years_label.setText(
            "Dates that give only a year: " + ", ".join(f"{p.period} ({p.events:,})" for p in years)
            if years
            else ""
        )
        self._show_lags(found)
        if self.period and (self.period in counts or self.period in {p.period for p in years}):
            self._read_events(self.period)
        else:
            self.period = ""
            self.events.clear()
            self.events_label.setText("Click a month to list its events.")
        self._show_month_buttons()
        self.figures_shown.emit(found)

    @staticmethod
    def _summary_text(found: timeline.Overview) -> str:
        if not found.cases:
            return "No cases in the list."
        events = sum(p.events for p in found.timeline.months + found.timeline.years)
        dated = found.cases - found.timeline.undated_cases
        if not events:
            return f"None of the {plural(found.cases, 'case')} in the list has a dated event."
        return (
            f"{plural(events, 'dated event')} in {dated:,} of the {plural(found.cases, 'case')} in the list, "
            f"by the month they happened."
        )

    def _show_lags(self, found: timeline.Overview) -> None:
        self.lags.clear()
        if found.quartiles is None:
            self.lag_label.setText("No case in the list has both an incident and a publication date.")
            return
        low, median, high = found.quartiles
        self.lag_label.setText(
            f"From incident to publication ({plural(found.lag_cases, 'case')} with both dates): "
            f"{duration(median)} at the median; half took {spread(duration(low), duration(high))}."
        )
        rows = [(name, count) for (_, _, name), count in zip(timeline.LAG_BINS, found.lag_bins, strict=True)]
        if found.early:
            rows.append(("published before the incident date", found.early))
        for name, count in rows:
            item = QTreeWidgetItem([name, f"{count:,}", f"{count / found.lag_cases:.0%}"])
            for column in (1, 2):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.lags.addTopLevelItem(item)

    # ----- a month ------------------------------------------------------------------

    def choose_month(self, period: str) -> None:
        """List the events of `period` ("2019-03"), as a click on its bar does."""
        if period in self.periods:
            self.chart.choose(self.periods.index(period))

    def _month_chosen(self, index: int) -> None:
        self.period = self.periods[index]
        self._show_month_buttons()
        self._read_events(self.period)

    def _read_events(self, period: str) -> None:
        ids, seq = self._ids, self._seq
        self.events_label.setText(f"Events of {month_name(period)}: reading…")
        self.session.read(
            lambda lib: month_events(lib, ids, period), lambda found: self._show_events(seq, found)
        )

    def _show_events(self, seq: int, found: MonthEvents) -> None:
        if found.period != self.period or seq != self._seq:
            return  # another month was chosen, or the search changed
        self.events.clear()
        items = []
        for event, row in found.events:
            when = event_date(event.date, event.precision)
            reference, title = (row.reference or "", row.title) if row else ("", "")
            item = QTreeWidgetItem([when, cell_text(reference), cell_text(title), cell_text(event.text)])
            item.setData(0, Qt.ItemDataRole.UserRole, event.case_id)
            item.setToolTip(2, rich(title))
            items.append(item)
        self.events.addTopLevelItems(items)
        if not found.total:
            listed = "none"
        elif found.total > len(items):
            listed = f"{found.total:,}, the first {len(items):,} listed"
        else:
            listed = f"{found.total:,} (double-click one to open its case)"
        self.events_label.setText(f"Events of {month_name(found.period)}: {listed}")
        self.events_shown.emit(found)

    def _open_case(self, item: QTreeWidgetItem) -> None:
        case_id = item.data(0, Qt.ItemDataRole.UserRole)
        row = self.results.model.row_of(case_id)
        if row >= 0:
            self.results.select_row(row)

    def filter_to_month(self) -> None:
        if self.period:
            self.results.search_bar.toggle_term(f"event:{self.period}")

    def _show_month_buttons(self) -> None:
        self.filter_button.setEnabled(bool(self.period))
        self.filter_button.setText(
            f"Filter to {month_name(self.period)}" if self.period else "Filter to this month"
        )

    # ----- export -------------------------------------------------------------------

    def export(self, kind: str) -> None:
        """Write the months (or each case's days to publication) of the cases in the list as CSV."""
        if self.session.lib is None or self.results.result is None:
            return
        ids = self.results.result.ids
        suggested = Path.home() / f"timeline-{kind}-{date.today().isoformat()}.csv"
        path = ask_save_path(
            self,
            "Export the timeline",
            suggested,
            "CSV (opens in a spreadsheet) (*.csv)",
            ".csv",
            self.session.path,
        )
        if path is None:
            return
        write = timeline.write_months_csv if kind == "months" else timeline.write_lags_csv
        self.session.read(
            lambda lib: write(lib, ids, path),
            lambda rows: self.message.emit(f"{plural(rows, 'row')} written to {path}", 10_000),
            lambda error: show_error(self, error, "writing the file"),
        )


def _column(*widgets: QWidget) -> QWidget:
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, (QScrollArea, QTreeWidget)) else 0)
    return column
