"""The window gives back what a library used when another one is opened, and what a search
showed when the next one is shown: counted in objects, not in time or bytes."""

from __future__ import annotations

import gc
import sqlite3
from collections import Counter

import pytest
from conftest import REAL, SEEDS
from gui_helpers import close_window, open_window, wait_search
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from shiboken6 import Shiboken

from gui.window.case_model import _Row as ListRow
from storage.keeping.importing import import_paths
from storage.keeping.library import Library


def census(window) -> Counter:
    """Live Qt objects and items wrapped for Python, objects of Casebook's own types (but its
    plain records), SQLite connections, and the Qt objects under the window."""
    counts = Counter(
        {
            "QObjects under the window": len(window.findChildren(QObject)),
            "widgets": len(QApplication.allWidgets()),
        }
    )  # first: listing them wraps them for Python, and the wrappers live as long as the objects
    gc.collect()
    wrapped = (Shiboken.Object, sqlite3.Connection)
    counts.update(
        type(o).__qualname__
        for o in gc.get_objects()
        if isinstance(o, wrapped) or (_module(o).startswith(("gui", "storage")) and not _record(o))
    )
    return counts


def _module(o) -> str:
    return str(type(o).__module__)  # (for some types of other libraries, not a string)


def _record(o) -> bool:
    """Plain records (rows, cases), and the list's rows that hold them with their cells' texts,
    live in caches of bounded size: how many depends on the moment."""
    return _module(o) == "storage.records" or isinstance(o, ListRow)


def grown(before: Counter, after: Counter) -> dict[str, int]:
    """What there is more of, beyond a few (Qt keeps a timer or an animation here and there):
    something kept at every step of twenty or more shows well above that."""
    return {k: after[k] - before[k] for k in after if after[k] - before[k] > 5}


@pytest.fixture
def two_libraries(tmp_path):
    paths = []
    for name, folders in (("one", [REAL]), ("two", [REAL, SEEDS])):
        lib = Library.open(tmp_path / f"{name}.casebook", create=True)
        import_paths(lib, [str(f) for f in folders])
        lib.close()
        paths.append(lib.path)
    return paths


def test_opening_one_library_after_another_releases_what_the_last_used(qtbot, two_libraries):
    window = open_window(qtbot, two_libraries[0])

    def open_in_turn(times: int) -> None:
        for i in range(times):
            wait_search(qtbot, window, lambda i=i: window.open_library(two_libraries[i % 2]))
            window.select_row(0)
            qtbot.waitUntil(lambda: not window.session.reader.busy and not window.session.writer.busy)

    open_in_turn(4)  # Qt and PySide make some of their types and caches once, on first use
    before = census(window)
    open_in_turn(20)
    assert grown(before, census(window)) == {}
    close_window(qtbot, window)


def test_searching_again_and_again_releases_what_each_search_showed(qtbot, two_libraries):
    window = open_window(qtbot, two_libraries[1])

    def search_in_turn(times: int) -> None:
        for i in range(times):
            text = ("custody", "taser OR police", "force:kent", "")[i % 4]
            wait_search(qtbot, window, lambda text=text: window.search_bar.set_text(text))
            window.select_row(0)
            window.detail.next_hit()

    search_in_turn(8)
    before = census(window)
    search_in_turn(40)
    assert grown(before, census(window)) == {}
    close_window(qtbot, window)
