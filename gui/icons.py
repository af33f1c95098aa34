"""Icons from resources/icons: the application icon and line icons for actions."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

import resources

from .theme import is_dark

LINE = b"#3b4a5a"
"""The one colour the action icons are drawn in; on a dark palette, drawn in a light one."""
LINE_ON_DARK = b"#d7dde4"

STATUS_ICONS = {"new": "new", "in_review": "in-review", "reviewed": "reviewed", "flagged": "flag"}


@cache
def icon(name: str) -> QIcon:
    """An action icon by name (resources/icons/actions/NAME.svg); empty if there is none."""
    path = resources.path("icons", "actions", f"{name}.svg")
    if not path.exists():
        return QIcon()
    if not is_dark():
        return QIcon(str(path))
    renderer = QSvgRenderer(QByteArray(path.read_bytes().replace(LINE, LINE_ON_DARK)))
    result = QIcon()
    for size in (16, 20, 24, 32, 48):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result


@cache
def app_icon() -> QIcon:
    result = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        path = resources.path("icons", f"casebook-{size}.png")
        if path.exists():
            result.addFile(str(path))
    svg = resources.path("icons", "casebook.svg")
    if result.isNull() and svg.exists():
        result = QIcon(str(svg))
    return result


def status_icon(status: str) -> QIcon:
    return icon(STATUS_ICONS.get(status, "new"))
