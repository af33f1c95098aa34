"""Every dated event of a library held in memory as arrays, for the `event:` filter and the
timeline across cases (storage/patterns/timeline.py).

Like the column store (storage/searching/columns.py), the arrays are read once and again only when the
library's content changes: finding the cases with an event in March 2019 among 100,000 is
then array work of a millisecond or two.
"""

from __future__ import annotations

import sqlite3
import weakref
from datetime import date

import numpy as np

from .columns import Columns

# One row of four comma-separated lists (one string each, parsed by numpy): three times quicker
# than a row per event. SQLite works out the day numbers: julianday(d) - 1721424.5 = d's ordinal.
_LOAD_SQL = (
    "SELECT group_concat(case_id), group_concat(CAST(julianday(first_day) - 1721424.5 AS INTEGER)),"
    " group_concat(CAST(julianday(last_day) - 1721424.5 AS INTEGER)),"
    " group_concat(CASE precision WHEN 'day' THEN 0 WHEN 'month' THEN 1 ELSE 2 END) FROM events"
)
PRECISION_CODES = {"day": 0, "month": 1, "year": 2}
_FIRST_DAY = np.datetime64("0001-01-01", "D")  # ordinal 1


class EventColumns:
    """One entry per event: its case, the first and last day of the period its date names
    (date ordinals), its precision, its year, and its month (year * 12 + month - 1; -1 for a
    date that gives a year alone)."""

    def __init__(self) -> None:
        self.state: tuple[object, ...] = ()
        self.case = np.zeros(0, np.int64)
        self.first = np.zeros(0, np.int32)
        self.last = np.zeros(0, np.int32)
        self.precision = np.zeros(0, np.int8)
        self.year = np.zeros(0, np.int32)
        self.month = np.zeros(0, np.int32)

    def refresh(self, conn: sqlite3.Connection) -> None:
        """Read the events again if cases were added, replaced or removed since the last look."""
        state = conn.execute(
            "SELECT (SELECT value FROM meta WHERE key = 'content_gen'),"
            " (SELECT value FROM meta WHERE key = 'deleted'), (SELECT max(rowid) FROM events)"
        ).fetchone()
        if state == self.state:
            return
        lists = conn.execute(_LOAD_SQL).fetchone()
        case, first, last, precision = (
            np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64) for text in lists
        )
        self.case = case
        self.first, self.last = first.astype(np.int32), last.astype(np.int32)
        self.precision = precision.astype(np.int8)
        days = _FIRST_DAY + (self.first.astype(np.int64) - 1).astype("timedelta64[D]")
        months = days.astype("datetime64[M]").astype(np.int64) + 1970 * 12
        self.year = (months // 12).astype(np.int32)
        self.month = np.where(self.precision < PRECISION_CODES["year"], months, -1).astype(np.int32)
        self.state = state

    def of_cases(self, cols: Columns, mask: np.ndarray) -> np.ndarray:
        """Which events belong to the cases in `mask` (a case mask of `cols`)."""
        selected = np.zeros(len(self.case), bool)
        inside = self.case < len(mask)
        selected[inside] = mask[self.case[inside]]
        return selected

    def cases_between(self, cols: Columns, low: date, high: date) -> np.ndarray:
        """The cases with an event whose date lies wholly within `low`..`high`: `event:2019-03`
        is the events in March 2019, not "2019" (which may or may not be March)."""
        inside = (self.first >= low.toordinal()) & (self.last <= high.toordinal())
        return cols.mask_of_ids(self.case[inside])


_STORES: weakref.WeakKeyDictionary[Columns, EventColumns] = weakref.WeakKeyDictionary()


def event_columns(conn: sqlite3.Connection, cols: Columns) -> EventColumns:
    """The events of the library `cols` belongs to, brought up to date (read on first use)."""
    store = _STORES.get(cols)
    if store is None:
        store = _STORES[cols] = EventColumns()
    store.refresh(conn)
    return store
