"""The chronology across a set of cases (the current search and filters): how many events
fall in each month, which events those are, and how long each case took from incident to
publication. Array work on the event columns (storage/searching/event_columns.py) and the column store.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..keeping.library import Library
from ..searching.columns import columns
from ..searching.event_columns import event_columns


@dataclass(frozen=True)
class PeriodCount:
    """Events dated in one month ("2019-03"), or in one year given alone ("2019")."""

    period: str
    events: int
    cases: int


@dataclass(frozen=True)
class Timeline:
    """The events of a set of cases: by month (day and month dates), and by year for dates that
    give only a year ("in 2015", "summer 2018"), each in time order; and how many of the cases
    have no dated event at all."""

    months: list[PeriodCount]
    years: list[PeriodCount]
    undated_cases: int


def events_by_month(lib: Library, ids: Sequence[int] | np.ndarray) -> Timeline:
    """Count the events of the cases `ids` by month."""
    cols = columns(lib)
    events = event_columns(lib.conn, cols)
    mask = cols.mask_of_ids(np.asarray(ids, dtype=np.int64))
    selected = events.of_cases(cols, mask)
    cases, month, year = events.case[selected], events.month[selected], events.year[selected]
    dated = month >= 0
    months = [
        PeriodCount(f"{code // 12:04d}-{code % 12 + 1:02d}", n, c)
        for code, n, c in _counts(month[dated], cases[dated])
    ]
    years = [PeriodCount(f"{y:04d}", n, c) for y, n, c in _counts(year[~dated], cases[~dated])]
    with_events = int(np.count_nonzero(np.bincount(cases))) if len(cases) else 0
    return Timeline(months, years, int(np.count_nonzero(mask)) - with_events)


def _counts(keys: np.ndarray, cases: np.ndarray) -> list[tuple[int, int, int]]:
    """(key, events, distinct cases) for each key, in key order. Events come in case order (as
    stored), so (case, key) pairs are nearly sorted: a stable sort of them is a quick merge."""
    if not len(keys):
        return []
    low = int(keys.min())
    offsets = (keys - low).astype(np.int64)
    events = np.bincount(offsets)
    pairs = np.sort(cases.astype(np.int64) * (int(offsets.max()) + 1) + offsets, kind="stable")
    first_of_pair = np.ones(len(pairs), bool)
    first_of_pair[1:] = pairs[1:] != pairs[:-1]
    distinct = np.bincount(pairs[first_of_pair] % (int(offsets.max()) + 1), minlength=len(events))
    return [(low + int(k), int(events[k]), int(distinct[k])) for k in np.flatnonzero(events)]


@dataclass(frozen=True)
class PeriodEvent:
    """One event of one case, as listed under a month of the timeline."""

    case_id: int
    date: str
    precision: str
    text: str


def events_in(lib: Library, ids: Sequence[int] | np.ndarray, period: str) -> list[PeriodEvent]:
    """The events of the cases `ids` in one period of `events_by_month`: a month ("2019-03":
    its day and month dates) or a year given alone ("2019": its year-only dates), in date order."""
    cols = columns(lib)
    events = event_columns(lib.conn, cols)
    selected = events.of_cases(cols, cols.mask_of_ids(np.asarray(ids, dtype=np.int64)))
    parts = period.split("-")
    try:
        if len(parts) == 2:
            selected &= events.month == int(parts[0]) * 12 + int(parts[1]) - 1
        else:
            selected &= (events.month < 0) & (events.year == int(parts[0]))
    except ValueError:
        return []  # not a period of the timeline
    case_ids = sorted(set(events.case[selected].tolist()))
    if not case_ids:
        return []
    rows = lib.conn.execute(
        "SELECT case_id, date, precision, text FROM events WHERE case_id IN (SELECT value FROM json_each(?))"
        " ORDER BY first_day, case_id, seq",
        (json.dumps(case_ids),),
    )
    return [PeriodEvent(*row) for row in rows if _in(period, row[1], row[2])]


def _in(period: str, iso: str, precision: str) -> bool:
    """Whether a date at `precision` is one `events_by_month` counts under `period`."""
    if "-" in period:
        return iso == period or iso.startswith(period + "-")
    return precision == "year" and iso == period


@dataclass(frozen=True)
class PublicationLag:
    """Days from incident to publication per case: `ids[i]` took `days[i]` days. The incident
    is the start of the title's incident period (or the first full date of the narrative when
    the title gives none), as the `year:` filter and the incident sort read it."""

    ids: np.ndarray
    days: np.ndarray

    def quartiles(self) -> tuple[int, int, int] | None:
        if not len(self.days):
            return None
        q1, median, q3 = np.percentile(self.days, [25, 50, 75])
        return int(q1), int(median), int(q3)


def publication_lag(lib: Library, ids: Sequence[int] | np.ndarray) -> PublicationLag:
    """How long each of the cases `ids` took to be published; cases without an incident or a
    publication date are left out."""
    cols = columns(lib)
    chosen = np.asarray(ids, dtype=np.int64)
    chosen = chosen[(chosen >= 0) & (chosen < cols.size)]
    chosen = chosen[cols.exists[chosen] & (cols.incident[chosen] > 0) & (cols.published[chosen] > 0)]
    days = cols.published[chosen].astype(np.int64) - cols.incident[chosen]
    return PublicationLag(chosen, days)
