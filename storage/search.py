"""Running a search: words through FTS5, filters, facets and order from the column store.

All the text terms of a query go to FTS5 as one quoted expression, and the
matching case ids come back in a single string (one row, not one per match:
100,000 matches cost ~20 ms this way, ~40 ms as rows). Everything else is
array work on `Columns`.

Ranking by relevance (bm25) costs one to two microseconds per matching case, so
every match is ranked only when the words match at most `RANK_LIMIT` cases. A
broader search ranks just the cases with the words in their title, tags or notes
(`HEAD_COLUMNS`, the best candidates for the first page) and lists the rest
after them, newest first; when even those are too many, everything is newest
first. The result says which was done.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .columns import FINDING_BITS, STATUS_CODES, Columns
from .decoding import HIT_END, HIT_START
from .findings import FINDINGS
from .library import Library
from .query import AnyOf, Filter, Query, Text, fts_string, parse
from .schema import FTS_COLUMNS, FTS_TABLE

log = logging.getLogger(__name__)

RANK_LIMIT = 5_000
MAX_HITS = 50_000
"""Hits listed for one case (the detail pane steps through these); a case has more only when a
word is in most of its sentences, and the pane says so."""
HIT_FIELDS = ("title", "narrative", "recommendations")
HEAD_COLUMNS = ("title", "tags", "notes")
SORTS = ("relevance", "published", "incident", "reference", "title", "force", "status", "tags")
# bm25 weight per FTS column: a word in the title or reference counts most.
_WEIGHTS = {"title": 4.0, "reference": 4.0, "subject": 2.0, "notes": 2.0, "tags": 2.0}
_BM25 = f"bm25({FTS_TABLE}, {', '.join(str(_WEIGHTS.get(c, 1.0)) for c in FTS_COLUMNS)})"
_YEAR_RANGE = re.compile(r"^(\d{4})?\s*(?:\.\.|–|-)\s*(\d{4})?$")


@dataclass
class SearchResult:
    query: Query
    ids: np.ndarray
    facets: dict[str, list[tuple[str, int]]]
    sort: str
    descending: bool
    reviewed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.ids)

    def explain(self) -> list[str]:
        return self.query.explain() + self.notes


def columns(lib: Library) -> Columns:
    """The library's column store, brought up to date."""
    if lib._columns is None:
        lib._columns = Columns()
    lib._columns.refresh(lib.conn)
    return lib._columns


def search(
    lib: Library,
    text: str | Query,
    sort: str = "relevance",
    descending: bool = True,
    with_facets: bool = True,
) -> SearchResult:
    """Find the cases matching `text`, ordered by `sort`. Never raises on odd input."""
    query = text if isinstance(text, Query) else parse(text)
    cols = columns(lib)
    run = _Run(lib.conn, cols)
    mask, rank_expression = run.evaluate(query)
    notes = run.notes
    if sort not in SORTS:
        sort = "relevance"
    ids = None
    if sort == "relevance":
        if rank_expression is None:
            sort, descending = "published", True
        else:
            ids = run.ranked(rank_expression, mask)
            if ids is None:
                sort, descending = "published", True
    if ids is None:
        order = cols.order(lib.conn, sort, descending)
        ids = order[mask[order]]
    facets = cols.facets(ids) if with_facets else {}
    reviewed = int(np.count_nonzero(cols.status[ids] == STATUS_CODES["reviewed"]))
    return SearchResult(query, ids, facets, sort, descending, reviewed, notes)


class _Run:
    """One evaluation of a query against the full-text index and the columns."""

    def __init__(self, conn: sqlite3.Connection, cols: Columns):
        self.conn, self.cols = conn, cols
        self.notes: list[str] = []
        self._fts_count = 0

    def evaluate(self, query: Query) -> tuple[np.ndarray, str | None]:
        """The mask of matching cases, and the FTS expression to rank them by (if any)."""
        mask = self.cols.all()
        positive = [e for t in query.terms if not t.negated and (e := _fts_of(t))]
        negative = [e for t in query.terms if t.negated and (e := _fts_of(t))]
        rank_expression = None
        if positive:
            rank_expression = " AND ".join(f"({e})" for e in positive)
            expression = rank_expression
            if negative:
                expression = f"({rank_expression}) NOT ({' OR '.join(f'({e})' for e in negative)})"
            matched = self.fts_ids(expression)
            self._fts_count = len(matched)
            mask &= self.cols.mask_of_ids(matched)
        elif negative:
            mask &= ~self.cols.mask_of_ids(self.fts_ids(" OR ".join(f"({e})" for e in negative)))
        for term in query.terms:
            if _fts_of(term):
                continue
            matched = self.term_mask(term)
            mask &= ~matched if term.negated else matched
        return mask, rank_expression

    def fts_ids(self, expression: str) -> np.ndarray:
        try:
            joined = self.conn.execute(
                f"SELECT group_concat(rowid) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?",
                (expression,),
            ).fetchone()[0]
        except sqlite3.OperationalError:
            log.warning("full-text search failed for %r", expression, exc_info=True)
            return np.zeros(0, np.int64)
        if not joined:
            return np.zeros(0, np.int64)
        return np.fromstring(joined, dtype=np.int64, sep=",")

    def term_mask(self, term) -> np.ndarray:
        if isinstance(term, Text):
            return self.cols.mask_of_ids(self.fts_ids(fts_string(term)))
        if isinstance(term, Filter):
            return self.filter_mask(term)
        mask = self.cols.none()
        for part in term.terms:
            matched = self.term_mask(part)
            mask |= (~matched & self.cols.exists) if part.negated else matched
        return mask

    def filter_mask(self, f: Filter) -> np.ndarray:
        cols, value = self.cols, f.value
        if f.field == "force":
            return cols.forces_matching(value)
        if f.field == "tag":
            return cols.tags_matching(value)
        if f.field == "status":
            return cols.status_matching(value)
        if f.field == "outcome":
            bits = _finding_bits(value)
            if not bits:
                self.notes.append(
                    f"outcome:{value} matches no finding; try "
                    + ", ".join(f.search_words[0] for f in FINDINGS)
                    + "."
                )
            return cols.findings_matching(bits)
        if f.field == "year":
            years = _year_range(value)
            if years is None:
                self.notes.append(f"year:{value} is not a year such as 2016 or 2015..2018.")
                return cols.none()
            return cols.years_between(*years)
        if f.field == "published":
            days = _date_range(value)
            if days is None:
                self.notes.append(f"published:{value} is not a date such as 2019, 2019-03 or 2018..2019.")
                return cols.none()
            return cols.published_between(*days)
        if f.field == "batch":
            if not value.isdigit():
                self.notes.append(f"batch:{value} is not an import number.")
                return cols.none()
            return cols.batch_is(int(value))
        return self.reference_mask(value)

    def reference_mask(self, value: str) -> np.ndarray:
        prefix = "".join(ch for ch in value if ch.isdigit() or ch == "/")
        if not prefix:
            self.notes.append(f"ref:{value} is not an IOPC reference such as 2016/070829.")
            return self.cols.none()
        ids = [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM cases WHERE reference >= ? AND reference < ?", (prefix, prefix + "\x7f")
            )
        ]
        return self.cols.mask_of_ids(np.array(ids, dtype=np.int64))

    def ranked(self, expression: str, mask: np.ndarray) -> np.ndarray | None:
        """Matching ids best first, or None when they are too many to rank quickly."""
        count = self._fts_count
        if count <= RANK_LIMIT:
            return self._best_then_rest(expression, mask)
        head = f"{{{' '.join(HEAD_COLUMNS)}}} : ({expression})"
        in_head = int(np.count_nonzero(self.cols.mask_of_ids(self.fts_ids(head)) & mask))
        if 0 < in_head <= RANK_LIMIT:
            self.notes.append(
                f"The words are in {count:,} cases, too many to rank them all by relevance quickly, so "
                "cases with the words in the title, tags or notes come first, best first, then the "
                "rest, newest first."
            )
            return self._best_then_rest(head, mask)
        self.notes.append(
            f"The words match {count:,} cases, too many to rank by relevance "
            "quickly, so the newest are shown first. Add words or filters to rank by relevance."
        )
        return None

    def _best_then_rest(self, expression: str, mask: np.ndarray) -> np.ndarray:
        """The cases in `mask` that match `expression`, by bm25; then the rest of `mask`,
        newest first (those matched through a filter in an OR, or outside the head columns)."""
        cursor = self.conn.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY {_BM25}", (expression,)
        )
        ranked = np.fromiter((r[0] for r in cursor), np.int64)
        ranked = ranked[ranked < len(mask)]
        best = ranked[mask[ranked]]
        rest = mask.copy()
        rest[best] = False
        if rest.any():
            order = self.cols.order(self.conn, "published", True)
            best = np.concatenate([best, order[rest[order]]])
        return best


def _fts_of(term) -> str | None:
    """The FTS expression for a text term or an OR of plain text terms; None otherwise."""
    if isinstance(term, Text):
        return fts_string(term)
    if isinstance(term, AnyOf) and all(isinstance(t, Text) and not t.negated for t in term.terms):
        return " OR ".join(fts_string(t) for t in term.terms)
    return None


def _finding_bits(value: str) -> int:
    wanted = value.casefold().replace("_", "-")
    bits = 0
    for f in FINDINGS:
        words = (f.label.replace("_", "-"), *f.search_words)
        if any(w.startswith(wanted) for w in words):
            bits |= FINDING_BITS[f.label]
    return bits


def _year_range(value: str) -> tuple[int, int] | None:
    value = value.strip()
    if re.fullmatch(r"\d{4}", value):
        return int(value), int(value)
    m = _YEAR_RANGE.match(value)
    if not m or not (m.group(1) or m.group(2)):
        return None
    low, high = int(m.group(1) or 1), int(m.group(2) or 9999)
    return (low, high) if low <= high else (high, low)


def _day_span(text: str, last: bool) -> date | None:
    """First (or last) day of '2019', '2019-03' or '2019-03-08'."""
    parts = text.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            return date(int(parts[0]), 12, 31) if last else date(int(parts[0]), 1, 1)
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            if last:
                nxt = date(year + month // 12, month % 12 + 1, 1)
                return date.fromordinal(nxt.toordinal() - 1)
            return date(year, month, 1)
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
    return None


def _date_range(value: str) -> tuple[date, date] | None:
    low_text, dots, high_text = value.strip().partition("..")
    if not dots:
        high_text = low_text
    low = _day_span(low_text.strip(), last=False) if low_text.strip() else date(1, 1, 1)
    high = _day_span(high_text.strip(), last=True) if high_text.strip() else date(9999, 12, 31)
    if low is None or high is None:
        return None
    return (low, high) if low <= high else (high, low)


@dataclass
class CaseHits:
    """Where a search's words are in one case: (start, end) in each field's text, in order.

    At most `MAX_HITS` are listed; `total` counts them all."""

    spans: dict[str, list[tuple[int, int]]]
    total: int

    @property
    def listed(self) -> int:
        return sum(len(s) for s in self.spans.values())


def case_hits(lib: Library, case_id: int, query: Query, fields=HIT_FIELDS, limit: int = MAX_HITS) -> CaseHits:
    """The hits of `query`'s words in `fields` of a case (none when it has no words)."""
    terms = query.text_terms()
    if not terms:
        return CaseHits({}, 0)
    expression = " OR ".join(fts_string(t) for t in terms)
    calls = ", ".join(
        f"highlight({FTS_TABLE}, {FTS_COLUMNS.index(c)}, '{HIT_START}', '{HIT_END}')" for c in fields
    )
    try:
        row = lib.conn.execute(
            f"SELECT {calls} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? AND rowid = ?",
            (expression, case_id),
        ).fetchone()
    except sqlite3.OperationalError:
        log.warning("highlighting failed for %r", expression, exc_info=True)
        return CaseHits({}, 0)
    spans: dict[str, list[tuple[int, int]]] = {}
    total = 0
    for name, marked in zip(fields, row or (None,) * len(fields), strict=True):
        spans[name] = _marked_spans(marked or "", limit - sum(len(s) for s in spans.values()))
        total += (marked or "").count(HIT_START)
    return CaseHits(spans, total)


def _marked_spans(marked: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of the first `limit` stretches between hit marks, in the text without them."""
    spans: list[tuple[int, int]] = []
    start = marked.find(HIT_START)
    while start >= 0 and len(spans) < limit:
        end = marked.find(HIT_END, start)
        if end < 0:
            break
        removed = 2 * len(spans)
        spans.append((start - removed, end - removed - 1))
        start = marked.find(HIT_START, end)
    return spans


def snippets(lib: Library, ids: list[int], query: Query, mark=("[", "]")) -> dict[int, str]:
    """A short extract around the hits of each case (for lists and the command line)."""
    terms = query.text_terms()
    if not terms or not ids:
        return {}
    expression = " OR ".join(fts_string(t) for t in terms)
    placeholders = ", ".join("?" * len(ids))
    try:
        rows = lib.conn.execute(
            f"SELECT rowid, snippet({FTS_TABLE}, -1, ?, ?, '…', 16) FROM {FTS_TABLE}"
            f" WHERE {FTS_TABLE} MATCH ? AND rowid IN ({placeholders})",
            (*mark, expression, *ids),
        ).fetchall()
    except sqlite3.OperationalError:
        return {}
    return dict(rows)
