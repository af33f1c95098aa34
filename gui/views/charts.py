"""One chart of counts and its figures as a table: a bar clicked filters the search, and the
chart exports to PNG and SVG, its table to CSV.

Qt Charts (docs/CHARTS.md) draws every label, title and legend as rich text, and loads the
images an `<img>` names from disk: each text goes in `escaped`. Category labels must also be
unique (a category axis merges equal ones), so a repeated label gets a number.
"""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QStackedWidget,
    QTableView,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from storage.export import safe_cell

from ..list_model import ListTableModel
from ..safe_text import cell_text, escaped, plain_label, rich
from ..theme import muted

LABEL_CHARS = 26
"""A category label is cut to this length on the chart (the table shows it whole)."""
BAR_COLOUR = QColor("#3f6e9e")
EXPORT_SIZE = QSize(900, 520)
"""The size of an exported picture, in points, whatever the chart's size on screen."""


@dataclass(frozen=True)
class Bar:
    """One bar: the label shown, its count, and the search term it stands for (None: a bar
    no filter can select, such as "other forces")."""

    label: str
    count: int
    term: str | None = None


def short(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def category_labels(labels: list[str]) -> list[str]:
    """The labels as the chart's axis shows them: cut short, escaped, each one different."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        text = escaped(short(label))
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return out


def count_axis(largest: int) -> tuple[int, int]:
    """The top of an axis of counts up to `largest`, and its number of ticks: at most five
    steps of 1, 2 or 5 × 10ⁿ cases, so that every tick is a whole number."""
    step = next(s * 10**n for n in itertools.count() for s in (1, 2, 5) if largest <= 5 * s * 10**n)
    top = max(1, math.ceil(largest / step)) * step
    return top, top // step + 1


class BarsModel(ListTableModel):
    """The figures of a chart, for the eye and for screen readers."""

    HEADERS = ("", "Cases", "Share")

    def __init__(self, heading: str, parent=None):
        super().__init__([], parent)
        self.HEADERS = (heading, "Cases", "Share")
        self.total = 0

    def set_bars(self, bars: list[Bar], total: int) -> None:
        self.beginResetModel()
        self.files, self.total = bars, total
        self.endResetModel()

    def share(self, bar: Bar) -> str:
        return f"{bar.count / self.total:.0%}" if self.total else ""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        bar = self.files[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text((bar.label, f"{bar.count:,}", self.share(bar))[index.column()])
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class CountChart(QWidget):
    """A titled bar chart with a table of the same figures and an export menu."""

    term_clicked = Signal(str)
    export_requested = Signal(str)  # "png", "svg" or "csv"

    def __init__(self, key: str, title: str, heading: str, horizontal: bool, parent=None):
        super().__init__(parent)
        self.setObjectName(f"chart-{key}")
        self.key, self.title, self.horizontal = key, title, horizontal
        self.bars: list[Bar] = []
        self.shown: list[Bar] = []  # the bars in the order the series holds them
        self.note = ""
        self._stale = False  # figures set that the chart does not show yet
        self.chart = QChart()
        self.chart.legend().hide()
        self.chart.setMargins(self.chart.margins() * 0)
        self.chart.setBackgroundRoundness(0)
        self.view = QChartView(self.chart)
        self.view.setObjectName(f"chart-view-{key}")
        self.view.setAccessibleName(f"{title}: chart (Table shows its figures)")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(220)
        self.model = BarsModel(heading, self)
        self.table = QTableView()
        self.table.setObjectName(f"chart-table-{key}")
        self.table.setAccessibleName(f"{title}: figures")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.table)

        self.heading = plain_label(title)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.note_label = plain_label()
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(f"color: {muted()}")
        self.table_button = QToolButton()
        self.table_button.setText("Table")
        self.table_button.setCheckable(True)
        self.table_button.setObjectName(f"chart-show-table-{key}")
        self.table_button.setToolTip(rich("Show the figures as a table instead of a chart"))
        self.table_button.toggled.connect(self._show_table)
        self.export_button = QToolButton()
        self.export_button.setText("Export")
        self.export_button.setObjectName(f"chart-export-{key}")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction("Chart as PNG picture…", lambda: self.export_requested.emit("png"))
        menu.addAction("Chart as SVG drawing…", lambda: self.export_requested.emit("svg"))
        menu.addAction("Figures as CSV…", lambda: self.export_requested.emit("csv"))
        self.export_button.setMenu(menu)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.table_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.note_label)
        self._build_series()

    # ----- the figures --------------------------------------------------------------

    def _build_series(self) -> None:
        """The one series and two axes, made once: each search changes their values (a chart
        rebuilt for every search kept what it removed)."""
        self.bar_set = QBarSet("Cases")
        self.bar_set.setColor(BAR_COLOUR)
        self.bar_set.clicked.connect(self._clicked)
        self.bar_set.hovered.connect(self._hovered)
        self.series = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        self.series.setBarWidth(0.7)
        self.series.append(self.bar_set)
        self.chart.addSeries(self.series)
        self.categories = QBarCategoryAxis()
        self.categories.setTruncateLabels(False)  # cut to LABEL_CHARS already; Qt would leave "…" alone
        self.categories.setGridLineVisible(False)
        self.values = QValueAxis()
        self.values.setLabelFormat("%d")
        across, up = Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft
        self.chart.addAxis(self.categories, up if self.horizontal else across)
        self.chart.addAxis(self.values, across if self.horizontal else up)
        self.series.attachAxis(self.categories)
        self.series.attachAxis(self.values)

    def set_bars(self, bars: list[Bar], total: int, note: str = "") -> None:
        """Show `bars` (in display order, first on top or on the left) out of `total` cases.

        The table, the note and the chart's height change at once; the chart itself is
        redrawn now if it is on screen, else when it comes into sight (`catch_up`) or is
        exported or printed (`paint`): a search redraws only the charts in sight."""
        if (bars, total, note) == (self.bars, self.model.total, self.note):
            return  # the same figures: nothing to redraw
        self.bars, self.note = bars, note
        self.model.set_bars(bars, total)
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))
        if self.horizontal:
            self.view.setMinimumHeight(max(160, 30 + 22 * len(bars)))
        self._stale = True
        self.catch_up()

    def on_screen(self) -> bool:
        return not self.view.viewport().visibleRegion().isEmpty()

    def catch_up(self) -> None:
        """Draw the figures set while the chart was out of sight, if it is now in sight."""
        if self._stale and self.on_screen():
            self._draw()

    def _draw(self) -> None:
        self._stale = False
        self.shown = list(reversed(self.bars)) if self.horizontal else list(self.bars)  # the first bar on top
        self.bar_set.remove(0, self.bar_set.count())
        self.bar_set.append([b.count for b in self.shown])
        labels = category_labels([b.label for b in self.shown])
        if labels != self.categories.categories():  # setting the same ones lays them out again
            self.categories.setCategories(labels)
        top, ticks = count_axis(max([b.count for b in self.bars] + [1]))
        self.values.setTickCount(ticks)  # each a no-op when unchanged
        self.values.setRange(0, top)

    def _show_table(self, on: bool) -> None:
        self.stack.setCurrentIndex(1 if on else 0)
        self.catch_up()

    def tip(self, bar: Bar) -> str:
        share = self.model.share(bar)
        text = f"{bar.label}: {bar.count:,} case{'s' if bar.count != 1 else ''}"
        text += f" ({share} of this search)" if share else ""
        if bar.term:
            return f"{text}\nClick to search {bar.term}; click again to clear it"
        return text

    def _clicked(self, index: int) -> None:
        if 0 <= index < len(self.shown) and self.shown[index].term:
            self.term_clicked.emit(self.shown[index].term)

    def _hovered(self, on: bool, index: int) -> None:
        if on and 0 <= index < len(self.shown):
            QToolTip.showText(QCursor.pos(), rich(self.tip(self.shown[index])), self.view)
        else:
            QToolTip.hideText()

    def bar_centre(self, index: int):
        """Where bar `index` (of `bars`, in their order) is drawn, in the view's coordinates."""
        series = self.series
        position = len(self.bars) - 1 - index if self.horizontal else index
        value = self.bars[index].count / 2
        at = QPointF(value, position) if self.horizontal else QPointF(position, value)
        return self.view.mapFromScene(self.chart.mapToPosition(at, series))

    # ----- pictures and files -------------------------------------------------------

    def paint(self, painter: QPainter, target: QRectF) -> None:
        """Draw the chart into `target` (print, PDF, pictures): laid out at the export size."""
        if self._stale:
            self._draw()
        self.chart.resize(EXPORT_SIZE.toSizeF())
        self.chart.scene().setSceneRect(QRectF(0, 0, EXPORT_SIZE.width(), EXPORT_SIZE.height()))
        self.chart.scene().render(painter, target, QRectF(0, 0, EXPORT_SIZE.width(), EXPORT_SIZE.height()))
        size = self.view.viewport().size()  # back to the size the view gives it on screen
        self.chart.resize(size.toSizeF())
        self.chart.scene().setSceneRect(QRectF(0, 0, size.width(), size.height()))

    def picture(self) -> QImage:
        """The chart at the export size, drawn at twice the resolution."""
        image = QImage(EXPORT_SIZE * 2, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        image.setDevicePixelRatio(2)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRectF(0, 0, EXPORT_SIZE.width(), EXPORT_SIZE.height()))
        painter.end()
        return image

    def save_png(self, path: Path) -> None:
        if not self.picture().save(str(path)):  # PNG, by the name (ask_save_path gives it .png)
            raise OSError(f"The picture could not be written to {path}")

    def save_svg(self, path: Path) -> None:
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(EXPORT_SIZE)
        generator.setViewBox(QRect(0, 0, EXPORT_SIZE.width(), EXPORT_SIZE.height()))
        generator.setTitle(escaped(self.title))
        generator.setDescription("Casebook")
        painter = QPainter()
        if not painter.begin(generator):
            raise OSError(f"The drawing could not be written to {path}")
        self.paint(painter, QRectF(0, 0, EXPORT_SIZE.width(), EXPORT_SIZE.height()))
        painter.end()

    def save_csv(self, path: Path) -> None:
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([self.model.HEADERS[0], "cases", "share"])
            for bar in self.bars:
                writer.writerow([safe_cell(bar.label), bar.count, self.model.share(bar)])

    def save(self, kind: str, path: Path) -> None:
        {"png": self.save_png, "svg": self.save_svg, "csv": self.save_csv}[kind](path)
