"""Colours taken from the window's palette, so that a dark or high-contrast system theme
shows everything readable: no text colour is fixed where the background is the system's."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication


def _palette(palette: QPalette | None) -> QPalette:
    return palette if palette is not None else QApplication.palette()


def is_dark(palette: QPalette | None = None) -> bool:
    return _palette(palette).color(QPalette.ColorRole.Base).lightness() < 128


def muted(palette: QPalette | None = None) -> str:
    """Secondary text (labels, hints): the palette's placeholder colour, as #rrggbb."""
    return _palette(palette).color(QPalette.ColorRole.PlaceholderText).name()
