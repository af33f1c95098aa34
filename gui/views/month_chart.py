"""A bar chart of counts by month, painted: one bar a month from the first to the last, the
years marked under them. Hovering a bar tells its figures; clicking it (or the arrow keys)
chooses it.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ..safe_text import rich

BAR = QColor("#5b7fa6")
CHOSEN = QColor("#ff9f1c")
MIN_BAR = 5
"""Pixels a month takes at least: past that the chart grows wider than its place and scrolls."""
MARGIN = 6


class MonthChart(QWidget):
    chosen = Signal(int)  # the index of the bar chosen

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.labels: list[str] = []  # "2019-03" for each bar
        self.values: list[int] = []
        self.tips: list[str] = []
        self.current = -1
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Events by month")

    def set_bars(self, labels: list[str], values: list[int], tips: list[str], current: int = -1) -> None:
        self.labels, self.values, self.tips, self.current = labels, values, tips, current
        self.setMinimumWidth(len(labels) * MIN_BAR + 2 * MARGIN)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(max(300, len(self.labels) * 8), 140)

    def minimumSizeHint(self) -> QSize:
        return QSize(len(self.labels) * MIN_BAR + 2 * MARGIN, 90)

    def _bar_width(self) -> float:
        return (self.width() - 2 * MARGIN) / max(1, len(self.values))

    def bar_at(self, x: float) -> int:
        """The bar under `x`, or -1."""
        index = int((x - MARGIN) // self._bar_width())
        return index if 0 <= index < len(self.values) and x >= MARGIN else -1

    def bar_centre(self, index: int) -> float:
        return MARGIN + (index + 0.5) * self._bar_width()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        if not self.values:
            return
        text_height = self.fontMetrics().height()
        bottom = self.height() - text_height - 6
        top = 4
        highest = max(self.values) or 1
        width = self._bar_width()
        gap = 1 if width >= 4 else 0
        for index, value in enumerate(self.values):
            height = (bottom - top) * value / highest
            if value and height < 2:
                height = 2
            colour = CHOSEN if index == self.current else BAR
            painter.fillRect(QRectF(MARGIN + index * width, bottom - height, width - gap, height), colour)
        self._paint_years(painter, bottom, width)
        painter.drawText(MARGIN + 2, top + self.fontMetrics().ascent(), f"{highest:,}")  # the scale

    def _paint_years(self, painter: QPainter, bottom: float, width: float) -> None:
        """A tick and the year under each January (every few years when a year is narrow)."""
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.drawLine(MARGIN, int(bottom), self.width() - MARGIN, int(bottom))
        label_width = self.fontMetrics().horizontalAdvance("2000") + 8
        every = 1
        while every * 12 * width < label_width:
            every = {1: 2, 2: 5}.get(every, every * 2)
        for index, label in enumerate(self.labels):
            year, month = label[:4], label[5:]
            if month != "01" and index != 0:
                continue
            if int(year) % every and index != 0:
                continue
            x = MARGIN + index * width
            painter.drawLine(int(x), int(bottom), int(x), int(bottom) + 4)
            if index == 0 and month != "01" and len(self.labels) > 12 and 12 - int(month) < 6:
                continue  # the first year's label would run into the next
            painter.drawText(int(x) + 2, int(bottom) + self.fontMetrics().ascent() + 4, year)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.bar_at(event.position().x())
        if index >= 0:
            QToolTip.showText(event.globalPosition().toPoint(), rich(self.tips[index]), self)
        else:
            QToolTip.hideText()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.bar_at(event.position().x())
        if index >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self.choose(index)

    def keyPressEvent(self, event) -> None:
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(event.key())
        if step and self.values:
            self.choose(min(max(self.current + step, 0), len(self.values) - 1))
        else:
            super().keyPressEvent(event)

    def choose(self, index: int) -> None:
        self.current = index
        self.update()
        self.chosen.emit(index)
