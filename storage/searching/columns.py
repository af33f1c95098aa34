"""Per-case values held in memory for filters, facet counts and sort orders.

Counting a facet over 100,000 full-text matches in SQL takes 30–170 ms; over
these numpy arrays it is a bincount of well under a millisecond. Arrays are
indexed by case id. They are refreshed from the library's change counters
(`meta.rev`, `meta.content_gen`, `meta.deleted`): normally only the rows written
since the last look are read again.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import numpy as np

from ..keeping.library import Library
from ..keeping.schema import SORTED_BY_INDEX, change_state, sound
from ..reading.findings import FINDINGS
from ..records import STATUSES

FINDING_BITS = {f.label: 1 << i for i, f in enumerate(FINDINGS)}
STATUS_CODES = {s: i for i, s in enumerate(STATUSES)}

# How the text sort keys order the cases that have a value, in SQL, through an index (the cases
# without come last). The other keys (ARRAY_SORT_KEYS) are sorted here, from the arrays.
SORT_KEYS = {"reference": "reference", **SORTED_BY_INDEX}
ARRAY_SORT_KEYS = ("published", "incident", "force", "status")
REVIEW_SORT_KEYS = {"status", "tags"}
"""Orders that change when review fields change; the rest change only with content."""
_DATES = ("incident_start", "incident_date", "published")

_VALUES = (
    "id", sound("force"), *(f"CASE WHEN typeof({c}) = 'text' THEN {c} END" for c in _DATES),
    sound("status"), sound("findings"), sound("batch_id"), sound("tags"),
)  # fmt: skip
"""What the store holds of a case. The dates are checked by `_ordinal`, once per distinct value."""
_READ_SQL = (
    f"SELECT {', '.join(f'json_group_array(v{i})' for i in range(len(_VALUES)))} FROM "
    f"(SELECT {', '.join(f'{v} AS v{i}' for i, v in enumerate(_VALUES))} FROM cases WHERE {{where}})"
)
"""Each value of the cases matching `where` as one JSON array a column: SQLite builds the
arrays without the GIL, and a column is then converted once per distinct value, where a
Python tuple a case took twice as long and held the window's first search back."""
_ORDINAL_1970 = date(1970, 1, 1).toordinal()
_IDS_AT_ONCE = 10_000
"""Cases read at a time when reading the whole library: all 100,000 at once held ~40 MB."""


# Cached: a library of 100,000 cases holds a few thousand distinct dates and outcome sets.
@functools.lru_cache(maxsize=65536)
def _ordinal(value: object) -> int:
    """The ordinal of a day stored as "YYYY-MM-DD"; 0 for none, or for a malformed value, which
    reads as none (the rule of schema.VALUE_RULES for date columns)."""
    if not isinstance(value, str) or len(value) != 10:
        return 0
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return 0
    return day.toordinal() if day.isoformat() == value else 0


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
        self.batch = np.zeros(0, np.int64)
        self.tag_case = np.zeros(0, np.int64)  # (case, tag) pairs
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
            after: int | None = -1  # the ids are read in slices from the lowest: they may have gaps
            while after is not None:
                after = self._read(conn, f"id > ? ORDER BY id LIMIT {_IDS_AT_ONCE}", (after,))
        else:
            self._read(conn, "rev > ?", (self.state[0],))
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

    def _read(self, conn: sqlite3.Connection, where: str, args: tuple[int, ...]) -> int | None:
        """Read the cases matching `where`; the last id read, None if there were none."""
        arrays = conn.execute(_READ_SQL.format(where=where), args).fetchone()
        case_ids, force, start, day, published, status, findings, batch, tags = map(json.loads, arrays)
        if not case_ids:
            return None
        ids = np.array(case_ids, np.int64)
        self._grow(int(ids.max()) + 1)
        self.exists[ids] = True
        self.force[ids] = _per_value(force, self._force_code)
        incident = _per_value(start, _ordinal)
        incident = np.where(incident > 0, incident, _per_value(day, _ordinal))
        self.incident[ids] = incident
        years = (incident - _ORDINAL_1970).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int32)
        self.year[ids] = np.where(incident > 0, years + 1970, 0)
        self.published[ids] = _per_value(published, _ordinal)
        self.status[ids] = _per_value(status, lambda s: STATUS_CODES.get(s, 0))
        self.findings[ids] = _per_value(findings, _finding_bits)
        self.batch[ids] = _per_value(batch, lambda b: b or 0)
        self._read_tags(ids, tags)
        return int(ids.max())

    def _read_tags(self, ids: np.ndarray, tags: list[str]) -> None:
        """The (case, tag) pairs of `ids` from each case's tags (one a line, as `split_tags` reads
        them): the lines of every distinct value are split and coded at once."""
        distinct, which = _distinct(tags)
        lines = "\n".join(distinct).split("\n")
        codes = _per_value(lines, lambda tag: self._code(self._tag_codes, self.tag_names, tag) if tag else -1)
        per_value = np.array([v.count("\n") + 1 for v in distinct], np.int64)
        first = np.cumsum(per_value) - per_value
        counts = per_value[which]  # each case's lines, in turn: its value's run of `lines`
        within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        case_codes = codes[np.repeat(first[which], counts) + within]
        tagged = case_codes >= 0
        keep = ~self.mask_of_ids(ids)[self.tag_case]
        self.tag_case = np.concatenate([self.tag_case[keep], np.repeat(ids, counts)[tagged]])
        self.tag_code = np.concatenate([self.tag_code[keep], case_codes[tagged].astype(np.int32)])

    def _force_code(self, name: str | None) -> int:
        return self._code(self._force_codes, self.force_names, name or "")

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
                cached = self._text_order(conn, key, descending)
            self._orders[(key, descending)] = cached
        return cached

    def _text_order(self, conn: sqlite3.Connection, key: str, descending: bool) -> np.ndarray:
        """The ids with a value for `key` in its order, then by id; then the ids without one.
        Read from the key's index: sorting in SQL read every row of the cases (0.94 s for the
        titles of 100,000) and sorted them again."""
        direction = "DESC" if descending else "ASC"
        cursor = conn.execute(
            f"SELECT id FROM cases WHERE {key} != '' ORDER BY {SORT_KEYS[key]} {direction}, id {direction}"
        )
        filled = np.fromiter((r[0] for r in cursor), np.int64)
        empty = np.setdiff1d(np.flatnonzero(self.exists), filled, assume_unique=True)
        return np.concatenate([filled, empty[::-1] if descending else empty])

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


def _distinct(values: list[Any]) -> tuple[list[Any], np.ndarray]:
    """The distinct `values` in order of first appearance, and the position of each value among them."""
    distinct = list(dict.fromkeys(values))
    position = {v: i for i, v in enumerate(distinct)}
    return distinct, np.fromiter(map(position.__getitem__, values), np.int64, len(values))


def _per_value(values: list[Any], convert: Callable[[Any], int]) -> np.ndarray:
    """`convert` of each of `values`, called once per distinct value (a library of 100,000 cases
    holds a few thousand distinct dates, a few dozen forces)."""
    distinct, which = _distinct(values)
    converted: np.ndarray = np.array([convert(v) for v in distinct], np.int64)[which]
    return converted


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
