"""Statistics of the current search: a tab beside the case list.

The figures (storage/patterns/stats.py) are counted on the session's reader each time the
results show a search, so they always describe what the list shows; a change to the
library runs the search again (Results), and the figures follow. While the tab is hidden
nothing is counted: it catches up when shown. Only the charts in sight are redrawn for a
search; the others when they come into sight, or go to a file or to paper (charts.py). A
bar clicked adds its filter to the search bar, as the filter panel's values do.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from storage.keeping.library import Library
from storage.patterns.stats import Lag, Statistics, statistics
from storage.searching.search import SearchResult

from ..dialogs import ask_save_path, show_error
from ..formatting import finding_title, plural, spread, status_label
from ..safe_text import plain_label
from ..session.session import Session
from ..window.filter_panel import term_for
from ..window.results import Results
from .charts import Bar, CountChart
from .stats_print import statistics_document, write_statistics_pdf

CHARTS = (
    # key, title, the table's first heading, bars across
    ("year", "Cases by incident year", "Incident year", False),
    ("force", "Cases by force", "Force", True),
    ("finding", "Cases by finding", "Finding", True),
    ("status", "Cases by review status", "Review status", True),
    ("tag", "Cases by tag", "Tag", True),
    ("lag", "Time from incident to publication", "Time taken", False),
)
CLICK_HINT = "Click a bar to add its filter to the search; click it again to take it out."
TWO_COLUMNS_FROM = 1200
"""The view's width (pixels) from which the charts stand two abreast."""
EXPORT_KINDS = {
    "png": ("PNG picture (*.png)", ".png"),
    "svg": ("SVG drawing (*.svg)", ".svg"),
    "csv": ("CSV (opens in a spreadsheet) (*.csv)", ".csv"),
}


def span(days: float) -> str:
    """A number of days as a reader says it: '45 days', '7 months', '2.5 years'."""
    if days < 61:
        return plural(round(days), "day")
    if days < 730:
        return plural(round(days / 30.44), "month")
    return f"{days / 365.25:.1f} years"


def lag_note(lag: Lag) -> str:
    if lag.median is None or lag.quartiles is None or lag.shortest is None or lag.longest is None:
        parts = ["No case in this search has both an incident and a publication date."]
    else:
        low, high = lag.quartiles
        parts = [
            f"Median {span(lag.median)}; the middle half took {spread(span(low), span(high))} "
            f"({plural(lag.count, 'case')} with both dates; shortest {span(lag.shortest)}, "
            f"longest {span(lag.longest)})."
        ]
    if lag.undated:
        parts.append(f"{plural(lag.undated, 'case')} without one of the dates.")
    if lag.published_first:
        parts.append(f"{plural(lag.published_first, 'case')} published before the incident date, left out.")
    return " ".join(parts)


def bars_of(figures: Statistics) -> dict[str, tuple[list[Bar], str]]:
    """Each chart's bars and the note under it."""

    def counted(n: int, what: str) -> str:
        return f"{plural(n, 'case')} {what}." if n else ""

    forces = [Bar(name, n, term_for("force", name)) for name, n in figures.by_force]
    if figures.other_forces:
        forces.append(Bar("Other forces", figures.other_forces))
    tags = [Bar(tag, n, term_for("tag", tag)) for tag, n in figures.by_tag]
    lag = figures.publication_lag
    if figures.other_tags:
        tags.append(Bar("Other tags", figures.other_tags))
    return {
        "year": (
            [Bar(year, n, f"year:{year}") for year, n in figures.by_incident_year],
            counted(figures.no_incident_year, "without an incident year"),
        ),
        "force": (forces, counted(figures.no_force, "without a force")),
        "finding": (
            [Bar(finding_title(label), n, term_for("outcome", label)) for label, n in figures.by_finding],
            counted(figures.no_finding, "with no finding recognised") + " A case can have several findings.",
        ),
        "status": (
            [Bar(status_label(s), n, term_for("status", s)) for s, n in figures.by_status],
            "",
        ),
        "tag": (tags, counted(figures.untagged, "without a tag") + " A case can have several tags."),
        "lag": ([Bar(label, n) for label, n in lag.bands], lag_note(lag)),
    }


def summary_text(figures: Statistics, search_text: str) -> str:
    reviewed = f"{figures.reviewed / figures.total:.0%}" if figures.total else "0%"
    what = f"The search “{search_text.strip()}”" if search_text.strip() else "The whole library"
    return f"{what}: {plural(figures.total, 'case')}, {figures.reviewed:,} reviewed so far ({reviewed})."


class StatsView(QWidget):
    """Charts of the cases the list shows, each with its table, export, print and PDF."""

    term_clicked = Signal(str)  # a bar's filter, to toggle in the search bar
    updated = Signal(object)  # the Statistics now shown

    def __init__(self, session: Session, results: Results, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("statistics")
        self.session = session
        self.search_bar = results.search_bar
        self.figures: Statistics | None = None
        self.search_text = ""
        self._result: SearchResult | None = None
        self._stale = False
        self._seq = 0
        self.summary = plain_label()
        self.summary.setObjectName("statistics-summary")
        self.summary.setWordWrap(True)
        self.print_button = QPushButton("Print…")
        self.pdf_button = QPushButton("Export to PDF…")
        self.print_button.clicked.connect(self.print_charts)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.charts: dict[str, CountChart] = {}
        for key, title, heading, across in CHARTS:
            chart = CountChart(key, title, heading, across)
            chart.term_clicked.connect(self.term_clicked)
            chart.export_requested.connect(lambda kind, c=chart: self.export_chart(c, kind))
            self.charts[key] = chart
        self.grid = QGridLayout()
        self._columns = 0
        self._arrange(1)
        inner = QWidget()
        inner.setLayout(self.grid)
        self.scroll_area = QScrollArea()
        self.scroll_area.setAccessibleName("Charts of this search")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(inner)
        for watched in (self.scroll_area.viewport(), inner, *self.charts.values()):
            watched.installEventFilter(self)  # moved, scrolled or resized: a chart may come into sight
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.print_button)
        top.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)
        session.closed.connect(self._closed)
        results.finished.connect(lambda result, _refresh: self.search_shown(result, self.search_bar.text()))
        self.term_clicked.connect(self.search_bar.toggle_term)

    # ----- keeping up with the search -----------------------------------------------

    def search_shown(self, result: SearchResult, search_text: str) -> None:
        """The list now shows `result`: count it now if the view is seen, else when it is."""
        self._result, self.search_text, self._stale = result, search_text, True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        result = self._result
        if result is None:
            return
        self._stale = False
        self._seq += 1
        seq, text = self._seq, self.search_text

        def count(lib: Library) -> Statistics | None:
            return statistics(lib, result) if seq == self._seq else None  # else a newer search is waiting

        self.session.read(count, lambda figures: self._show(seq, text, figures))

    def _show(self, seq: int, text: str, figures: Statistics | None) -> None:
        if figures is None or seq != self._seq:
            return  # a newer search is being counted
        self.figures = figures
        self.summary.setText(f"{summary_text(figures, text)} {CLICK_HINT}")
        for key, (bars, note) in bars_of(figures).items():
            self.charts[key].set_bars(bars, figures.total, note.strip())  # drawn if on screen
        self.updated.emit(figures)

    def _closed(self) -> None:
        self._result, self.figures, self._stale = None, None, False
        self._seq += 1
        self.summary.setText("")
        for chart in self.charts.values():
            chart.set_bars([], 0)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        self._catch_up()

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Type.Move, QEvent.Type.Resize):
            self._catch_up()
        return False

    def _catch_up(self) -> None:
        """Charts given figures out of sight draw them as they come into sight."""
        for chart in self.charts.values():
            chart.catch_up()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange(2 if self.width() >= TWO_COLUMNS_FROM else 1)

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for index, chart in enumerate(self.charts.values()):
            self.grid.removeWidget(chart)
            self.grid.addWidget(chart, index // columns, index % columns)

    # ----- files and paper ----------------------------------------------------------

    def export_chart(self, chart: CountChart, kind: str) -> None:
        file_filter, suffix = EXPORT_KINDS[kind]
        what = "figures" if kind == "csv" else "chart"
        suggested = Path.home() / f"{chart.key}{suffix}"
        path = ask_save_path(
            self, f"Save the {what}: {chart.title}", suggested, file_filter, suffix, self.session.path
        )
        if path is None:
            return
        try:
            chart.save(kind, path)
        except OSError as e:
            show_error(self, e, f"saving the {what}")

    def document(self, figures: Statistics) -> QTextDocument:
        return statistics_document(summary_text(figures, self.search_text), list(self.charts.values()))

    def print_charts(self) -> None:
        figures = self.figures
        if figures is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName("Casebook: statistics")
        preview = QPrintPreviewDialog(printer, self.window())
        preview.setWindowTitle("Print preview")
        preview.resize(1000, 900)
        document = self.document(figures)
        preview.paintRequested.connect(lambda device: document.print_(device))
        preview.exec()

    def export_pdf(self) -> None:
        figures = self.figures
        if figures is None:
            return
        path = ask_save_path(
            self, "Export the statistics to PDF", Path.home() / "statistics.pdf", "PDF (*.pdf)", ".pdf",
            self.session.path,
        )  # fmt: skip
        if path is not None:
            try:
                write_statistics_pdf(path, self.document(figures))
            except OSError as e:
                show_error(self, e, "writing the PDF")
