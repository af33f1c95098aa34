"""The window's settings, declared once with their types and defaults.

Stored with QSettings in the platform's usual place, or as an INI file under
$CASEBOOK_HOME/settings when that is set (tests, portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8
MAX_RECENT_SEARCHES = 20

DEFAULTS: dict[str, Any] = {
    "window/geometry": QByteArray(),
    "window/state": QByteArray(),
    "window/splitter": QByteArray(),
    "window/detail_splitter": QByteArray(),
    "window/columns": QByteArray(),
    "library/last": "",
    "library/recent": [],
    "search/recent": [],
    "search/sort": "relevance",
    "search/descending": True,
    "filters/open": ["status", "outcome", "force", "saved"],
    "detail/zoom": 0,  # steps of Ctrl+= / Ctrl+- in the detail pane
    "reviewer/name": "",
    "output/folder": "",  # where the last PDF, CSV or report was saved
    "print/include_notes": False,
    "print/page_size": "A4",
    "report/title": "",
    "report/include_notes": False,
    "welcome/shown": False,
}


def qsettings() -> QSettings:
    home = os.environ.get("CASEBOOK_HOME")
    if home:
        return QSettings(str(Path(home) / "settings" / "casebook.ini"), QSettings.Format.IniFormat)
    return QSettings("Casebook", "Casebook")


class Settings:
    """Typed access to the keys in DEFAULTS."""

    def __init__(self) -> None:
        self._store = qsettings()

    def get(self, key: str):
        default = DEFAULTS[key]
        value = self._store.value(key, default)
        if isinstance(default, bool):
            return value in (True, "true", "1", 1)
        if isinstance(default, list):
            if value in (None, ""):
                return []
            return [str(v) for v in (value if isinstance(value, list) else [value])]
        if isinstance(default, QByteArray):
            return value if isinstance(value, QByteArray) else QByteArray()
        return type(default)(value) if value is not None else default

    def set(self, key: str, value) -> None:
        if key not in DEFAULTS:
            raise KeyError(key)
        self._store.setValue(key, value)

    def push(self, key: str, value: str, limit: int) -> list[str]:
        """Put `value` first in a most-recent-first list setting."""
        items = [value, *(v for v in self.get(key) if v != value)][:limit]
        self.set(key, items)
        return items

    def sync(self) -> None:
        self._store.sync()
