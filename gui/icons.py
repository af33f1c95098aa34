"""Icons from resources/icons: the application icon and line icons for actions."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

import resources

STATUS_ICONS = {"new": "new", "in_review": "in-review", "reviewed": "reviewed", "flagged": "flag"}


@cache
def icon(name: str) -> QIcon:
    """An action icon by name (resources/icons/actions/NAME.svg); empty if there is none."""
    path = resources.path("icons", "actions", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


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
