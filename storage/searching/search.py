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

import calendar
import json
import logging
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..errors import Cancelled, IndexDamaged, problem
from ..keeping.library import Library
from ..keeping.schema import FTS_COLUMNS, FTS_TABLE, FTS_TOKENIZER
from ..reading.decoding import HIT_END, HIT_START, ascii_digits
from ..reading.findings import FINDINGS
from .columns import FINDING_BITS, STATUS_CODES, Columns, columns
from .event_columns import event_columns
from .query import AnyOf, Filter, Query, Term, Text, fts_string, parse
from .similar import LIMIT, similar_cases

log = logging.getLogger(__name__)

RANK_LIMIT = 5_000
PROGRESS_STEPS = 100
"""SQLite steps between two looks at whether a search was cancelled or is over its budget."""
FTS_BUDGET_S = 0.07
"""The full-text index's share of one search. Only hostile searches need more: a phrase made of
words in nearly every sentence ("the the the …": 0.8 s at 100,000 cases), or word starts such as
"the*" that stand for dozens of the commonest words (0.1-0.3 s). Such a search is stopped and
says so, and a ranking that would take longer falls back to newest first. (The commonest
single word takes 20 ms at 100,000 cases.) SQLite can stop a statement only between its steps:
the words a word start stands for are gathered before the first step, hence WORD_START_USES."""
WORD_START_USES = 3_000_000
"""How many uses of indexed words the word starts of one search may stand for. FTS5 gathers all
the words a start stands for before SQLite can stop it, at ~25 ns a use: "the*" stands for 62
words used 6.4 million times at 100,000 cases (150 ms), "tha*" for 1.5 million (42 ms), while a
start that stands for one word ("and*") is read as it goes. A search over this is stopped before
it starts, as the budget would have stopped it, without the wait. Read from the word counts the
library keeps (`term_counts`), so a small library lets "the*" through."""
MAX_HITS = 50_000
"""Hits listed for one case (the detail pane steps through these); a case has more only when a
word is in most of its sentences, and the pane says so."""
HIT_FIELDS = ("title", "narrative", "recommendations")
HEAD_COLUMNS = ("title", "tags", "notes")
SORTS = ("relevance", "published", "incident", "reference", "title", "force", "status", "tags")
# bm25 weight per FTS column: a word in the title or reference counts most.
_WEIGHTS = {"title": 4.0, "reference": 4.0, "subject": 2.0, "notes": 2.0, "tags": 2.0}
_BM25 = f"bm25({FTS_TABLE}, {', '.join(str(_WEIGHTS.get(c, 1.0)) for c in FTS_COLUMNS)})"
_YEAR_RANGE = re.compile(r"^([0-9]{4})?\s*(?:\.\.|–|-)\s*([0-9]{4})?$")
_DAY = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$")
"""Dates in filters, with ASCII digits only: "2019", "2019-03", "2019-03-08"."""


@dataclass
class SearchResult:
    query: Query
    ids: np.ndarray
    facets: dict[str, list[tuple[str, int]]]
    sort: str
    descending: bool
    reviewed: int = 0
    notes: list[str] = field(default_factory=list)
    library_state: tuple[int, ...] = ()  # the library's change counters the search saw

    @property
    def total(self) -> int:
        return len(self.ids)

    def explain(self) -> list[str]:
        return self.query.explain() + self.notes


def search(
    lib: Library,
    text: str | Query,
    sort: str = "relevance",
    descending: bool = True,
    with_facets: bool = True,
    cancelled: Callable[[], bool] | None = None,
    budget: float = FTS_BUDGET_S,
) -> SearchResult:
    """Find the cases matching `text`, ordered by `sort`. Never raises on odd input.

    `cancelled()` is asked between the steps of a search and every hundred steps of SQLite's
    work: once true (a newer search has replaced this one), it stops with `Cancelled`. The
    full-text index gets `budget` seconds of the search (see FTS_BUDGET_S)."""
    cancelled = cancelled or (lambda: False)
    query = text if isinstance(text, Query) else parse(text)
    cols = columns(lib)
    run = _Run(lib, cols, cancelled, budget)
    try:
        mask, rank_expression = run.evaluate(query)
    except _TooSlow:
        note = (
            f"The search was stopped: the index would need more than {budget * 1000:.0f} ms for "
            "it (a phrase made of words found in nearly every sentence, or a short word start such as "
            "“the*”). Add a rarer word, or more letters before the *."
        )
        nothing = np.zeros(0, np.int64)
        return SearchResult(query, nothing, cols.facets(nothing), "published", True, 0, [note])
    if cancelled():
        raise Cancelled
    notes = run.notes
    if sort not in SORTS:
        sort = "relevance"
    ids = None
    if sort == "relevance":
        if rank_expression is None and run.like_order is not None:
            ids = run.like_order[mask[run.like_order]]
        elif rank_expression is None:
            sort, descending = "published", True
        else:
            ids = run.ranked(rank_expression, mask)
            if ids is None:
                sort, descending = "published", True
    if ids is None:
        order = cols.order(lib.conn, sort, descending)
        ids = order[mask[order]]
    if cancelled():
        raise Cancelled
    facets = run.facets(ids) if with_facets else {}
    reviewed = int(np.count_nonzero(cols.status[ids] == STATUS_CODES["reviewed"]))
    return SearchResult(query, ids, facets, sort, descending, reviewed, notes, cols.state)


SINGLE_VALUED = ("force", "year", "status")
"""Facet groups where a case has one value: choosing another value replaces the chosen one."""


class _TooSlow(Exception):
    """The full-text index needed more than its share of a search."""


class _Run:
    """One evaluation of a query against the full-text index and the columns."""

    def __init__(self, lib: Library, cols: Columns, cancelled: Callable[[], bool], budget: float):
        self.lib, self.conn, self.cols, self.cancelled = lib, lib.conn, cols, cancelled
        self.deadline = time.perf_counter() + budget
        self.notes: list[str] = []
        self.like_order: np.ndarray | None = None  # the cases of a like: filter, most similar first
        self._fts_count = 0
        self._words_left_out = False  # a negated word: the head's NOT sees the head columns only
        self.text_mask = cols.all()  # the cases the words allow
        self.term_masks: list[tuple[Term, np.ndarray]] = []  # each other term, and its cases

    def full_text(self, sql: str, parameters: tuple[object, ...]) -> list[tuple[Any, ...]]:
        """The rows of a full-text statement, which stops (`Cancelled`, `_TooSlow`) as soon as the
        search is cancelled or the index has had its share of the search's time."""
        if self._stop():
            raise Cancelled if self.cancelled() else _TooSlow
        self.conn.set_progress_handler(self._stop, PROGRESS_STEPS)
        try:
            return self.conn.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as e:
            if str(e) == "interrupted":
                raise (Cancelled if self.cancelled() else _TooSlow) from None
            return _full_text_failed(self.lib, e, parameters)
        finally:
            self.conn.set_progress_handler(None, 0)

    def _stop(self) -> bool:
        return self.cancelled() or time.perf_counter() > self.deadline

    def evaluate(self, query: Query) -> tuple[np.ndarray, str | None]:
        """The mask of matching cases, and the FTS expression to rank them by (if any)."""
        if self._word_start_uses(query.terms) > WORD_START_USES:
            raise _TooSlow
        mask = self.cols.all()
        positive = [e for t in query.terms if not t.negated and (e := _fts_of(t))]
        negative = [e for t in query.terms if t.negated and (e := _fts_of(t))]
        self._words_left_out = bool(negative)
        expression = None
        if positive:
            expression = " AND ".join(f"({e})" for e in positive)
            if negative:  # ranked with the words left out too: the matches are all there is to rank
                expression = f"({expression}) NOT ({' OR '.join(f'({e})' for e in negative)})"
            matched = self.fts_ids(expression)
            self._fts_count = len(matched)
            mask &= self.cols.mask_of_ids(matched)
        elif negative:
            mask &= ~self.cols.mask_of_ids(self.fts_ids(" OR ".join(f"({e})" for e in negative)))
        self.text_mask = mask.copy()
        for term in query.terms:
            if _fts_of(term):
                continue
            matched = self.term_mask(term)
            self.term_masks.append((term, matched))
            mask &= ~matched if term.negated else matched
        return mask, expression

    def _word_start_uses(self, terms: Iterable[Term]) -> int:
        """The uses of the indexed words that the word starts among `terms` stand for, counting
        only starts that stand for more than one word."""
        total = 0
        for term in terms:
            if isinstance(term, AnyOf):
                total += self._word_start_uses(term.terms)
            elif isinstance(term, Text) and term.kind == "prefix":
                start = term.value.lower()
                try:
                    words, uses = self.conn.execute(
                        "SELECT count(*), coalesce(sum(uses), 0) FROM term_counts"
                        " WHERE term >= ? AND term < ?",
                        (start, start + "\U0010ffff"),
                    ).fetchone()
                except sqlite3.OperationalError as e:
                    if "no such table" not in str(e):
                        raise
                    return 0  # a library older than the word counts, read where it cannot be upgraded
                total += uses if words > 1 else 0
        return total

    def facets(self, ids: np.ndarray) -> dict[str, list[tuple[str, int]]]:
        """The facet counts of `ids`; a group whose own value is chosen (force:kent) is
        counted as if it were not, so the panel still shows the other forces to switch to."""
        facets = self.cols.facets(ids)
        chosen = {t.field for t, _ in self.term_masks if isinstance(t, Filter) and not t.negated}
        for group in chosen & set(SINGLE_VALUED):
            wider = self.text_mask.copy()
            for term, matched in self.term_masks:
                if not (isinstance(term, Filter) and not term.negated and term.field == group):
                    wider &= ~matched if term.negated else matched
            facets[group] = self.cols.facets(np.flatnonzero(wider))[group]
        return facets

    def fts_ids(self, expression: str, limit: int | None = None) -> np.ndarray:
        """The ids of the cases matching `expression`; the first `limit` of them if given."""
        rows = self.full_text(
            f"SELECT group_concat(rowid) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? "
            "LIMIT ?)",
            (expression, -1 if limit is None else limit),  # -1: no limit
        )
        joined = rows[0][0] if rows else None
        if not joined:
            return np.zeros(0, np.int64)
        return np.fromstring(joined, dtype=np.int64, sep=",")

    def term_mask(self, term: Term) -> np.ndarray:
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
        cols, value = self.cols, ascii_digits(f.value)
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
        if f.field == "like":
            return self.like_mask(value)
        if f.field == "event":
            days = _date_range(value)
            if days is None:
                self.notes.append(f"event:{value} is not a date such as 2019, 2019-03 or 2018..2019.")
                return cols.none()
            return event_columns(self.conn, cols).cases_between(cols, *days)
        if f.field == "batch":
            if not re.fullmatch("[0-9]{1,9}", value):
                self.notes.append(f"batch:{value} is not an import number.")
                return cols.none()
            return cols.batch_is(int(value))
        return self.reference_mask(value)

    def like_mask(self, value: str) -> np.ndarray:

        case = self.lib.find_case(value)
        if case is None:
            self.notes.append(f"like:{value} names no case; give an IOPC reference or a case number.")
            return self.cols.none()
        found = np.array([s.case_id for s in similar_cases(self.lib, case.id)], np.int64)
        self.notes.append(f"like:{value}: the {LIMIT} cases most like “{case.title}”.")
        if self.like_order is None:
            self.like_order = found
        return self.cols.mask_of_ids(found)

    def reference_mask(self, value: str) -> np.ndarray:
        prefix = "".join(ch for ch in value if ch in "0123456789/")
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
        try:
            if count <= RANK_LIMIT:
                return self._best_then_rest(expression, mask)
            head = f"{{{' '.join(HEAD_COLUMNS)}}} : ({expression})"
            # With no filter and no word left out, every case the head matches is in `mask`:
            # RANK_LIMIT + 1 of them settle it, and a word in nearly every title ("police") is
            # not read to its end. ("police -custody" in the head leaves out only titles etc.
            # with custody: some of its first cases are not in `mask`.)
            enough = None if self.term_masks or self._words_left_out else RANK_LIMIT + 1
            in_head = int(np.count_nonzero(self.cols.mask_of_ids(self.fts_ids(head, enough)) & mask))
            if 0 < in_head <= RANK_LIMIT:
                ranked = self._best_then_rest(head, mask)
                self.notes.append(
                    f"The words are in {count:,} cases, too many to rank them all by relevance quickly, "
                    "so cases with the words in the title, tags or notes come first, best first, then "
                    "the rest, newest first."
                )
                return ranked
        except _TooSlow:
            self.notes.append("Ranking by relevance took too long, so the newest cases are shown first.")
            return None
        self.notes.append(
            f"The words match {count:,} cases, too many to rank by relevance "
            "quickly, so the newest are shown first. Add words or filters to rank by relevance."
        )
        return None

    def _best_then_rest(self, expression: str, mask: np.ndarray) -> np.ndarray:
        """The cases in `mask` that match `expression`, by bm25; then the rest of `mask`,
        newest first (those matched through a filter in an OR, or outside the head columns)."""
        rows = self.full_text(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY {_BM25}", (expression,)
        )
        ranked = np.array([r[0] for r in rows], np.int64)
        ranked = ranked[ranked < len(mask)]
        best: np.ndarray = ranked[mask[ranked]]
        rest = mask.copy()
        rest[best] = False
        if rest.any():
            order = self.cols.order(self.conn, "published", True)
            best = np.concatenate([best, order[rest[order]]])
        return best


def _fts_of(term: Term) -> str | None:
    """The FTS expression for a text term or an OR of plain text terms; None otherwise."""
    if isinstance(term, Text):
        return fts_string(term)
    if isinstance(term, AnyOf):
        texts = [t for t in term.terms if isinstance(t, Text) and not t.negated]
        if len(texts) == len(term.terms):
            return " OR ".join(fts_string(t) for t in texts)
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
    if re.fullmatch("[0-9]{4}", value):
        return int(value), int(value)
    m = _YEAR_RANGE.match(value)
    if not m or not (m.group(1) or m.group(2)):
        return None
    low, high = int(m.group(1) or 1), int(m.group(2) or 9999)
    return (low, high) if low <= high else (high, low)


def _day_span(text: str, last: bool) -> date | None:
    """First (or last) day of '2019', '2019-03' or '2019-03-08'."""
    m = _DAY.match(text)
    if m is None or int(m[1]) == 0:
        return None
    year, month, day = int(m[1]), int(m[2] or (12 if last else 1)), int(m[3] or 0)
    try:
        if day:
            return date(year, month, day)
        if last:
            return date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, 1)
    except ValueError:
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

    At most `MAX_HITS` are listed; `more` says there are others after them."""

    spans: dict[str, list[tuple[int, int]]]
    more: bool = False

    @property
    def listed(self) -> int:
        return sum(len(s) for s in self.spans.values())


def case_hits(
    lib: Library, case_id: int, query: Query, fields: tuple[str, ...] = HIT_FIELDS, limit: int = MAX_HITS
) -> CaseHits:
    """The hits of `query`'s words in `fields` of a case (none when it has no words)."""
    terms = query.text_terms()
    row = lib.conn.execute(f"SELECT {', '.join(fields)} FROM cases WHERE id = ?", (case_id,)).fetchone()
    hits = CaseHits({name: [] for name in fields})
    if not terms or row is None:
        return hits
    with _Pieces(zip(fields, row, strict=True)) as pieces:
        for (name, start), marked in pieces.highlighted(_expression(terms)):
            if hits.listed == limit:  # the pieces after are not even marked
                hits.more = True
                break
            spans = _marked_spans(marked, limit - hits.listed)
            hits.more = len(spans) < marked.count(HIT_START)
            hits.spans[name].extend((start + a, start + b) for a, b in spans)
    return hits


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


SNIPPET_FIELDS = ("title", "narrative", "recommendations", "notes", "tags")


def snippets(
    lib: Library, ids: list[int], query: Query, mark: tuple[str, str] = ("[", "]")
) -> dict[int, str]:
    """A short extract around the hits of each case (for lists and the command line)."""
    terms = query.text_terms()
    if not terms or not ids:
        return {}
    rows = lib.conn.execute(
        f"SELECT id, {', '.join(SNIPPET_FIELDS)} FROM cases WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps([int(i) for i in ids]),),
    )
    texts = (
        ((row[0], name), text) for row in rows for name, text in zip(SNIPPET_FIELDS, row[1:], strict=True)
    )
    with _Pieces(texts) as pieces:
        return {key[0]: extract for (key, _), extract in pieces.snippets(_expression(terms), mark).items()}


def _expression(terms: list[Text]) -> str:
    return " OR ".join(fts_string(t) for t in terms)


PIECE = 16_384
"""Text is searched for hits in pieces of at most this many characters. FTS5's highlight() and
snippet() copy all they have written at every hit they add: a 5 MB narrative with 30,000 hits
took 4 s in one piece, and 0.1 s in pieces (with indexing them)."""


class _Pieces:
    """Texts cut into pieces at paragraph breaks, in an in-memory full-text table with the
    library's tokenizer, so that hits are found with the library's own rules. Each text is
    known by a key, such as (case id, field)."""

    def __init__(self, texts: Iterable[tuple[Any, str | None]]) -> None:
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute(f"CREATE VIRTUAL TABLE pieces USING fts5(text, tokenize='{FTS_TOKENIZER}')")
        self.where: list[tuple[Any, int]] = []  # by rowid: (key, where the piece starts in its text)
        rows: list[tuple[int, str]] = []
        for key, text in texts:
            for start, piece in _cut(text or ""):
                rows.append((len(self.where), piece))
                self.where.append((key, start))
        self.conn.executemany("INSERT INTO pieces(rowid, text) VALUES (?, ?)", rows)

    def __enter__(self) -> _Pieces:
        return self

    def __exit__(self, *_: object) -> None:
        self.conn.close()

    def highlighted(self, expression: str) -> Iterator[tuple[tuple[Any, int], str]]:
        """((key, start), the piece with its hits marked) for each piece with hits, in order,
        each marked only when it is asked for."""
        yield from self._select(
            "SELECT rowid, highlight(pieces, 0, ?, ?) FROM pieces WHERE pieces MATCH ? ORDER BY rowid",
            (HIT_START, HIT_END, expression),
        )

    def snippets(self, expression: str, mark: tuple[str, str]) -> dict[tuple[Any, int], str]:
        """{(key, start): an extract} of the best piece of each key's first part (the case of a
        (case id, field) key): snippet() weighs every hit of a piece, so only those are asked."""
        best: dict[object, int] = {}
        for rowid, _ in self._select(
            "SELECT rowid, NULL FROM pieces WHERE pieces MATCH ? ORDER BY rank", (expression,), keyed=False
        ):
            best.setdefault(self.where[rowid][0][0], rowid)
        return dict(
            self._select(
                "SELECT rowid, snippet(pieces, 0, ?, ?, '…', 16) FROM pieces"
                " WHERE pieces MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
                (*mark, expression, json.dumps(list(best.values()))),
            )
        )

    def _select(
        self, sql: str, parameters: tuple[object, ...], keyed: bool = True
    ) -> Iterator[tuple[Any, str]]:
        try:
            for rowid, text in self.conn.execute(sql, parameters):
                yield (self.where[rowid] if keyed else rowid), text
        except sqlite3.OperationalError:
            log.warning("finding the hits failed for %r", parameters[-1], exc_info=True)


def _cut(text: str) -> list[tuple[int, str]]:
    """`text` in pieces of at most PIECE characters, cut after a blank line, else after a space."""
    pieces, start = [], 0
    while start < len(text):
        end = start + PIECE
        if end < len(text):
            cut = text.rfind("\n\n", start, end)
            cut = cut + 2 if cut > start else text.rfind(" ", start, end) + 1
            end = cut if cut > start else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _full_text_failed(
    lib: Library, e: sqlite3.DatabaseError, parameters: tuple[object, ...]
) -> list[tuple[Any, ...]]:
    """A query FTS5 cannot parse finds nothing (logged); a damaged index or a busy library
    raises a plain `LibraryError` instead of passing for no results."""
    code = (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF
    if code == sqlite3.SQLITE_ERROR:  # FTS5's syntax errors
        log.warning("full-text query not understood: %r", parameters, exc_info=True)
        return []
    if code == sqlite3.SQLITE_CORRUPT:
        log.error("the full-text index of %s is damaged: %s", lib.path, e)
        raise IndexDamaged(
            f"The search index of “{lib.path.name}” is damaged, so searches cannot be answered. "
            "The cases, notes and tags themselves are not affected.",
            "Repair it with File › Check and repair library… (or casebook-cli repair): it rebuilds "
            "the index from the cases.",
        ) from e
    raise problem(lib.path, e) from e
