"""Per-case values held in memory for filters, facet counts and sort orders.

Counting a facet over 100,000 full-text matches in SQL takes 30–170 ms; over
these numpy arrays it is a bincount of well under a millisecond. Arrays are
indexed by case id. They are refreshed from the library's change counters
(`meta.rev`, `meta.content_gen`, `meta.deleted`): normally only the rows written
since the last look are read again.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np

from ..keeping.library import Library, split_tags
from ..keeping.schema import change_state, sound
from ..reading.findings import FINDINGS
from ..records import STATUSES

FINDING_BITS = {f.label: 1 << i for i, f in enumerate(FINDINGS)}
STATUS_CODES = {s: i for i, s in enumerate(STATUSES)}

# How the text sort keys order cases in SQL; empty values always sort last. The other keys
# (ARRAY_SORT_KEYS) are sorted here, from the arrays, in a few milliseconds.
SORT_KEYS = {
    "reference": "reference",
    "title": "title COLLATE NOCASE",
    "tags": "nullif(tags, '') COLLATE NOCASE",
}
ARRAY_SORT_KEYS = ("published", "incident", "force", "status")
REVIEW_SORT_KEYS = {"status", "tags"}
"""Orders that change when review fields change; the rest change only with content."""

_ROW_SQL = (
    f"SELECT id, {sound('force')}, coalesce({sound('incident_start')}, {sound('incident_date')}),"
    f" {sound('published')}, {sound('status')}, {sound('findings')}, {sound('batch_id')}, {sound('tags')}"
    " FROM cases"
)


# Cached: a library of 100,000 cases holds a few thousand distinct dates and outcome sets.
@functools.lru_cache(maxsize=65536)
def _ordinal(iso: str | None) -> int:
    return date.fromisoformat(iso[:10]).toordinal() if iso else 0


@functools.lru_cache(maxsize=4096)
def _finding_bits(findings: str) -> int:
    return sum(FINDING_BITS.get(f, 0) for f in findings.split())


class Columns:
    """In-memory columns of one library, kept in step with it by `refresh`."""

    def __init__(self) -> None:
        self.state = (-1, -1, -1)  # (rev, content_gen, deleted) last seen
        self.size = 0
        self.exists = np.zeros(0, bool)
        self.force = np.zeros(0, np.int32)  # code into force_names; 0 = no force
        self.year = np.zeros(0, np.int32)  # incident year; 0 = unknown
        self.incident = np.zeros(0, np.int32)  # incident (or first full) date ordinal; 0 = unknown
        self.published = np.zeros(0, np.int32)  # date ordinal; 0 = unknown
        self.status = np.zeros(0, np.int8)
        self.findings = np.zeros(0, np.int32)  # bits of FINDING_BITS
        self.batch = np.zeros(0, np.int32)
        self.tag_case = np.zeros(0, np.int32)  # (case, tag) pairs
        self.tag_code = np.zeros(0, np.int32)
        self.force_names: list[str] = [""]
        self.tag_names: list[str] = []
        self._force_codes: dict[str, int] = {"": 0}
        self._tag_codes: dict[str, int] = {}
        self._orders: dict[tuple[str, bool], np.ndarray] = {}

    # ----- keeping in step ---------------------------------------------------------

    def refresh(self, conn: sqlite3.Connection) -> None:
        state = change_state(conn)
        if state == self.state:
            return
        _, content_gen, deleted = state
        if deleted != self.state[2]:
            self.__init__()  # type: ignore[misc]  # start again from empty columns (no subclasses)
            rows = conn.execute(_ROW_SQL).fetchall()
        else:
            rows = conn.execute(_ROW_SQL + " WHERE rev > ?", (self.state[0],)).fetchall()
        self._apply(rows)
        if content_gen != self.state[1]:
            self._orders.clear()
        else:
            for key in [k for k in self._orders if k[0] in REVIEW_SORT_KEYS]:
                del self._orders[key]
        self.state = state

    def _grow(self, size: int) -> None:
        if size <= self.size:
            return
        size = max(size, int(self.size * 1.25) + 1024)
        for name in ("exists", "force", "year", "incident", "published", "status", "findings", "batch"):
            old = getattr(self, name)
            new = np.zeros(size, old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)
        self.size = size

    def _apply(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        self._grow(max(r[0] for r in rows) + 1)
        ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        self.exists[ids] = True
        self.force[ids] = [self._code(self._force_codes, self.force_names, r[1] or "") for r in rows]
        self.year[ids] = [int(r[2][:4]) if r[2] else 0 for r in rows]
        self.incident[ids] = [_ordinal(r[2]) for r in rows]
        self.published[ids] = [_ordinal(r[3]) for r in rows]
        self.status[ids] = [STATUS_CODES.get(r[4], 0) for r in rows]
        self.findings[ids] = [_finding_bits(r[5]) for r in rows]
        self.batch[ids] = [r[6] or 0 for r in rows]
        keep = ~np.isin(self.tag_case, ids)
        new_case, new_code = [], []
        for r in rows:
            for tag in split_tags(r[7]) if r[7] else ():
                new_case.append(r[0])
                new_code.append(self._code(self._tag_codes, self.tag_names, tag))
        self.tag_case = np.concatenate([self.tag_case[keep], np.array(new_case, np.int32)])
        self.tag_code = np.concatenate([self.tag_code[keep], np.array(new_code, np.int32)])

    @staticmethod
    def _code(codes: dict[str, int], names: list[str], value: str) -> int:
        code = codes.get(value)
        if code is None:
            code = codes[value] = len(names)
            names.append(value)
        return code

    # ----- masks for filters ---------------------------------------------------------

    def all(self) -> np.ndarray:
        return self.exists.copy()

    def none(self) -> np.ndarray:
        return np.zeros(self.size, bool)

    def mask_of_ids(self, ids: np.ndarray) -> np.ndarray:
        mask = self.none()
        ids = ids[ids < self.size]
        mask[ids] = True
        return mask & self.exists

    def forces_matching(self, text: str) -> np.ndarray:
        hit = _names_matching(self.force_names, text)
        return hit[self.force] & self.exists

    def tags_matching(self, text: str) -> np.ndarray:
        if not len(self.tag_code):
            return self.none()
        hit = _names_matching(self.tag_names, text)
        return self.mask_of_ids(self.tag_case[hit[self.tag_code]])

    def status_matching(self, text: str) -> np.ndarray:
        wanted = text.casefold().replace(" ", "_").replace("-", "_")
        codes = [i for s, i in STATUS_CODES.items() if s.startswith(wanted) or s.replace("_", "") == wanted]
        return np.isin(self.status, codes) & self.exists

    def findings_matching(self, bits: int) -> np.ndarray:
        return (self.findings & bits).astype(bool) & self.exists

    def years_between(self, low: int, high: int) -> np.ndarray:
        return (self.year >= low) & (self.year <= high) & self.exists

    def published_between(self, low: date, high: date) -> np.ndarray:
        return (self.published >= low.toordinal()) & (self.published <= high.toordinal())

    def batch_is(self, batch_id: int) -> np.ndarray:
        return np.equal(self.batch, batch_id) & self.exists

    # ----- facets and orders ---------------------------------------------------------

    def facets(self, ids: np.ndarray) -> dict[str, list[tuple[str, int]]]:
        """Counts per force, year, outcome, status and tag among `ids`, largest first."""
        out: dict[str, list[tuple[str, int]]] = {}
        forces = np.bincount(self.force[ids], minlength=len(self.force_names))
        out["force"] = _ranked((self.force_names[i], int(n)) for i, n in enumerate(forces) if n and i)
        years = np.bincount(self.year[ids]) if len(ids) else np.zeros(0, int)
        out["year"] = [(str(y), int(n)) for y, n in reversed(list(enumerate(years))) if n and y]
        statuses = np.bincount(self.status[ids], minlength=len(STATUSES))
        out["status"] = [(s, int(statuses[i])) for i, s in enumerate(STATUSES)]
        found = self.findings[ids]
        out["outcome"] = _ranked(
            (label, int(np.count_nonzero(found & bit))) for label, bit in FINDING_BITS.items()
        )
        if len(self.tag_code):
            selected = self.mask_of_ids(ids)[self.tag_case]
            counts = np.bincount(self.tag_code[selected], minlength=len(self.tag_names))
            out["tag"] = _ranked((self.tag_names[i], int(n)) for i, n in enumerate(counts) if n)
        else:
            out["tag"] = []
        return out

    def order(self, conn: sqlite3.Connection, key: str, descending: bool) -> np.ndarray:
        """Every case id in `key` order (empty values last either way), cached until changed."""
        cached = self._orders.get((key, descending))
        if cached is None:
            if key in ARRAY_SORT_KEYS:
                cached = self._array_order(key, descending)
            else:
                expr = SORT_KEYS[key]
                direction = "DESC" if descending else "ASC"
                cursor = conn.execute(
                    f"SELECT id FROM cases ORDER BY ({expr}) IS NULL, {expr} {direction}, id {direction}"
                )
                cached = np.fromiter((r[0] for r in cursor), np.int64)
            self._orders[(key, descending)] = cached
        return cached

    def _array_order(self, key: str, descending: bool) -> np.ndarray:
        """The ids sorted by one of `ARRAY_SORT_KEYS`, then by id; 0 (unknown) always last."""
        ids = np.flatnonzero(self.exists)
        if key == "force":
            names = self.force_names
            rank = np.zeros(len(names), np.int64)
            rank[sorted(range(1, len(names)), key=lambda i: names[i].casefold())] = np.arange(1, len(names))
            values = rank[self.force[ids]]
        elif key == "status":
            values = self.status[ids].astype(np.int64) + 1
        else:
            values = getattr(self, key)[ids].astype(np.int64)
        sign = -1 if descending else 1
        return ids[np.lexsort((sign * ids, sign * values, values == 0))]


def _names_matching(names: list[str], text: str) -> np.ndarray:
    """Which `names` `text` means: the one it equals (ignoring case), else all that contain it.

    So a facet's force:"Kent Police" is that force alone, and force:kent every Kent force.
    """
    wanted = text.casefold()
    folded = [n.casefold() for n in names]
    if wanted in folded:
        return np.array([bool(n) and n == wanted for n in folded])
    return np.array([bool(n) and wanted in n for n in folded])


def _ranked(pairs: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted((p for p in pairs if p[1]), key=lambda p: (-p[1], p[0].casefold()))


def columns(lib: Library) -> Columns:
    """The library's column store, brought up to date."""
    cols = lib._columns
    if not isinstance(cols, Columns):
        cols = lib._columns = Columns()
    cols.refresh(lib.conn)
    return cols
