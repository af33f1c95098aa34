"""Similar cases: for one case, the cases most like it, each with a short reason.

How a case is described (its *profile*), after Lucene's MoreLikeThis:

- the words of its title (counted twice: it names the incident; its subject is the title's
  start, so it is not counted again), its narrative and recommendations up to `OPENING`
  characters each (the whole of most summaries: what happened, then what the investigation
  found, where words such as "call handler" or "pursuit policy" say what kind of case it
  was), and its tags;
- cut into the words of the full-text index (the same tokenizer, so "tasered" is "taser");
- leaving out words that say where or when rather than what: numbers, month names, the words
  of every force name in the library and their initials (GMP, SYP), and common English words;
- each word weighted by tf-idf times its *burstiness* (uses per case that holds it, Church
  and Gale): words about an incident come in bursts ("collision" three times in a case),
  generic ones spread thinly. Words held by one case only, or by all, carry nothing.

Similarity is the cosine of two profiles. To stay fast in a large library, the cases compared
in full are a pool: those holding the query's `KEY_TERMS` most telling words, best first
by the weight of the words they share (one full-text look-up per word). The pool is then
scored again against the query moved towards its `FEEDBACK` most similar cases (Rocchio's
pseudo-relevance feedback), so that what the nearest cases have in common counts too. The
reason given is still the words the two cases share.

Measured by tests/test_similar.py on the 60 development cases and their topics: precision at
5 of 0.81 (0.75 before the longer profile, the title counted twice and the feedback) against
0.62 for a plain tf-idf cosine over all words (random choice: 0.29); on the two halves of
those cases, each ranked against all 60, 0.77 and 0.85 (were 0.76 and 0.74).

How many cases hold each word comes from the index (fts5vocab) and is kept in `term_counts`,
refreshed after an import when the library has grown or shrunk by a tenth since the last
count (1.6 s at 100,000 cases): reading it per word from the index costs milliseconds per
common word.
"""

from __future__ import annotations

import calendar
import json
import math
import re
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..keeping.derived import index_vocabulary
from ..keeping.library import Library, split_tags
from ..keeping.schema import FTS_TABLE, FTS_TOKENIZER
from .columns import columns

LIMIT = 10
OPENING = 2000
"""Characters of the narrative (and of the recommendations) that describe a case: the whole of
most summaries (the development ones run to 1,900); a longer one goes on into how it was
investigated, and reading it all would cost time in the pool (measured on the 3,800-character
synthetic cases: 15 ms more a look-up at 10,000 cases)."""
HEAD_WEIGHT = 2
KEY_TERMS = 12
KEY_SHARE = 0.05
"""Key terms are held by at most this share of the cases (or `POOL` cases): a word most cases
use picks no pool, and reading its cases from the index is the slowest part at 100,000."""
POOL = 40
"""Cases compared in full: the best by shared key terms."""
FEEDBACK = 3
FEEDBACK_WEIGHT = 0.5
"""The query is moved towards its `FEEDBACK` most similar cases in the pool by this share of
their mean profile, and the pool scored again (Rocchio's pseudo-relevance feedback): the words
those cases hold, and the query lacks, count too: a case that says "crash" comes nearer those
that say "collision" when its nearest cases say both."""
_POSTING_COLUMNS = "{narrative recommendations title subject tags}"
_WORD = re.compile(r"[^\W_]+")
# Short function words; what is left of a summary after them and the filters is its content.
_STOP_TEXT = """a about after all also an and any are as at be been before being but by can could did do
    does for from had has have he her him his how i if in into is it its may me might more most
    my no not of on once one or other our out over she should so some such than that the their
    them then there these they this those through to two under up upon us was we were what when
    where which while who whom why will with would you your"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_MONTHS = frozenset(m.lower() for m in (*calendar.month_name[1:], *calendar.month_abbr[1:]))


_Profile = dict[str, float]  # index word -> weight, unit length
_Scored = tuple[float, int, dict[str, float]]  # (score, case id, weight of each shared word)


@dataclass(frozen=True)
class SimilarCase:
    """One case like the one asked about, and why."""

    case_id: int
    score: float
    words: tuple[str, ...]  # the most telling words both cases use
    same_force: str | None
    same_findings: tuple[str, ...]
    same_kind: tuple[str, ...]  # IOPC theme tags both pages carry ("Custody and detention")

    def reason(self) -> str:
        parts = []
        if self.words:
            parts.append("shared words: " + ", ".join(self.words))
        if self.same_kind:
            parts.append("same kind of incident: " + "; ".join(self.same_kind))
        if self.same_findings:
            parts.append("same findings: " + ", ".join(f.replace("_", " ") for f in self.same_findings))
        if self.same_force:
            parts.append("same force: " + self.same_force)
        text = "; ".join(parts) or "little in common."
        return text[0].upper() + text[1:]


# ----- profiles -------------------------------------------------------------------------

_local = threading.local()
_STEM_CACHE = 200_000
"""Words whose index form is remembered (per thread): a large library's vocabulary."""


def _stems(words: set[str] | frozenset[str]) -> dict[str, str]:
    """A mapping that gives each of `words` (lower case) as the full-text index holds it
    ("tasered" -> "taser"), from the index's own tokenizer; remembered, so a word is cut once
    per thread. (The mapping holds other words too.)"""
    known = getattr(_local, "stems", None)
    if known is None or len(known) > _STEM_CACHE:
        known = _local.stems = {}
    new = sorted(words - known.keys())
    if new:
        conn = getattr(_local, "conn", None)
        if conn is None:
            conn = _local.conn = sqlite3.connect(":memory:", isolation_level=None)
            conn.execute(f"CREATE VIRTUAL TABLE word USING fts5(w, tokenize = '{FTS_TOKENIZER}')")
            conn.execute("CREATE VIRTUAL TABLE word_stem USING fts5vocab(word, instance)")
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO word(rowid, w) VALUES (?, ?)", enumerate(new, 1))
        for doc, term in conn.execute("SELECT doc, term FROM word_stem"):
            known[new[doc - 1]] = term
        conn.execute("DELETE FROM word")
        conn.execute("COMMIT")
        for word in new:
            known.setdefault(word, "")
    return known


def _written_words(row: tuple[str | None, ...]) -> Counter[str]:
    """The words of a case's profile as written (lower case); the title's count double."""
    title, narrative, recommendations, tags = row
    head = _WORD.findall((title or "").lower())
    body = _WORD.findall(
        "\n".join((_opening(narrative), _opening(recommendations), " ".join(split_tags(tags)))).lower()
    )
    words = Counter(body)
    for word in head:
        words[word] += HEAD_WEIGHT
    return words


def _opening(text: str | None) -> str:
    text = text or ""
    if len(text) <= OPENING:
        return text
    cut = text.rfind(" ", 0, OPENING)
    return text[: cut if cut > 0 else OPENING]


def _index_words(written: Counter[str]) -> Counter[str]:
    """Written words counted as the index's words."""
    stems = _stems(set(written))
    counted: Counter[str] = Counter()
    for word, n in written.items():
        if stems[word]:
            counted[stems[word]] += n
    return counted


@dataclass
class _Context:
    """What profiles are weighted with: the library's word counts and the words left out."""

    cases: int
    counts: dict[str, tuple[int, int]]  # term -> (cases holding it, uses)
    left_out: frozenset[str]
    telling: dict[str, float] = field(default_factory=dict)  # term -> idf times burstiness, once

    def weights(self, words: Counter[str]) -> dict[str, float]:
        """The weighted, unit-length profile of counted words."""
        out: dict[str, float] = {}
        for term, n in words.items():
            telling = self.telling.get(term)
            if telling is None:
                telling = self.telling[term] = self._telling(term)
            if telling:
                out[term] = (1 + math.log(n)) * telling
        norm = math.sqrt(sum(w * w for w in out.values())) or 1.0
        return {t: w / norm for t, w in out.items()}

    def _telling(self, term: str) -> float:
        held, uses = self.counts.get(term, (0, 0))
        if held < 2 or held >= self.cases or term in self.left_out or not term.isalpha():
            return 0.0
        return math.log(self.cases / held) * (uses / held)


def _left_out(lib: Library) -> frozenset[str]:
    """Stop words, month names, and the words and initials of every force name in the library."""
    names = [n for n in columns(lib).force_names if n]
    words = {w.lower() for n in names for w in _WORD.findall(n)}
    initials = {"".join(w[0] for w in _WORD.findall(n) if w[0].isupper()).lower() for n in names}
    raw = STOP_WORDS | _MONTHS | words | initials
    # The same words as the index cuts them ("police" is "polic").
    stems = _stems(raw)
    return frozenset(raw | {stems[w] for w in raw})


# ----- word counts ----------------------------------------------------------------------


def _counts(lib: Library, terms: set[str]) -> dict[str, tuple[int, int]]:
    if not lib.conn.execute("SELECT value FROM meta WHERE key = 'term_counts_cases'").fetchone()[0]:
        return _counts_from_index(lib.conn, terms)  # never counted: no import since schema 4
    rows = lib.conn.execute(
        "SELECT term, cases, uses FROM term_counts WHERE term IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(terms)),),
    )
    return {t: (n, u) for t, n, u in rows}


def _counts_from_index(conn: sqlite3.Connection, terms: set[str]) -> dict[str, tuple[int, int]]:
    """Word counts read from the index itself: milliseconds for each common word."""
    index_vocabulary(conn)
    return {
        t: (n, u)
        for t in terms
        for _, n, u in conn.execute("SELECT term, doc, cnt FROM temp.index_words WHERE term = ?", (t,))
    }


# ----- finding them ---------------------------------------------------------------------

_PROFILE_SQL = "SELECT id, title, narrative, recommendations, source_tags FROM cases"


def similar_cases(lib: Library, case_id: int, limit: int = LIMIT) -> list[SimilarCase]:
    """The `limit` cases most like `case_id`, most similar first (none if it is not there)."""
    row = lib.conn.execute(f"{_PROFILE_SQL} WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        return []
    written = _written_words(row[1:])
    words = _index_words(written)
    cases = lib.case_count()
    context = _Context(cases, _counts(lib, set(words)), _left_out(lib))
    query = context.weights(words)
    surface = _surface(written)
    pool = _pool(lib, case_id, query, context, surface)
    rows = lib.conn.execute(
        f"{_PROFILE_SQL} WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(pool),)
    ).fetchall()
    others = {r[0]: _index_words(_written_words(r[1:])) for r in rows}
    missing = set().union(*others.values()) - set(context.counts) if others else set()
    context.counts.update(_counts(lib, missing))
    profiles = {other: context.weights(counted) for other, counted in others.items()}
    first = _ranked(query, profiles, query)
    moved = _moved(query, [profiles[s[1]] for s in first[:FEEDBACK]])
    return _explain(lib, case_id, surface, _ranked(query, profiles, moved)[:limit])


def _ranked(query: _Profile, profiles: dict[int, _Profile], by: _Profile) -> list[_Scored]:
    """The cases that share a word with `query`, most like the profile `by` first, each with
    the words it shares with the query (the reason given)."""
    scored: list[_Scored] = []
    for other, profile in profiles.items():
        shared = {t: query[t] * profile[t] for t in query.keys() & profile.keys()}
        if shared:
            scored.append((sum(profile[t] * by[t] for t in by.keys() & profile.keys()), other, shared))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return scored


def _moved(query: _Profile, nearest: list[_Profile]) -> _Profile:
    """The query profile moved towards its nearest cases' (Rocchio's feedback), unit length."""
    moved = dict(query)
    for profile in nearest:
        for t, w in profile.items():
            moved[t] = moved.get(t, 0.0) + FEEDBACK_WEIGHT * w / len(nearest)
    norm = math.sqrt(sum(w * w for w in moved.values())) or 1.0
    return {t: w / norm for t, w in moved.items()}


def _surface(written: Counter[str]) -> dict[str, str]:
    """Each index word as the case writes it most often ("custody" for "custodi")."""
    stems = _stems(set(written))
    surface: dict[str, str] = {}
    for word in sorted(written, key=lambda w: -written[w]):
        surface.setdefault(stems[word], word)
    return surface


def _pool(
    lib: Library, case_id: int, query: dict[str, float], context: _Context, surface: dict[str, str]
) -> list[int]:
    """The cases holding the query's most telling words, best first by the weight they share.
    Each word is looked up as the case wrote it (letters and digits only, quoted): the index
    cuts it as it cut the case."""
    most = max(POOL, KEY_SHARE * context.cases)
    telling = [t for t in query if context.counts[t][0] <= most]
    key_terms = sorted(telling, key=lambda t: -query[t])[:KEY_TERMS]
    cols = columns(lib)
    score = np.zeros(cols.size, np.float64)
    for term in key_terms:
        joined = lib.conn.execute(
            f"SELECT group_concat(rowid) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?",
            (f'{_POSTING_COLUMNS} : "{surface[term]}"',),
        ).fetchone()[0]
        if joined:
            ids = np.fromstring(joined, dtype=np.int64, sep=",")
            score[ids[ids < cols.size]] += query[term]
    score[case_id] = 0
    held = np.flatnonzero(score)
    best = held[np.argsort(-score[held], kind="stable")[:POOL]]
    return [int(i) for i in best]


def _explain(lib: Library, case_id: int, surface: dict[str, str], scored: list[_Scored]) -> list[SimilarCase]:
    if not scored:
        return []
    ids = [case_id] + [s[1] for s in scored]
    info = {
        r[0]: (r[1], set(r[2].split()), set(split_tags(r[3])))
        for r in lib.conn.execute(
            "SELECT id, force, findings, source_tags FROM cases WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
    }
    force, findings, tags = info[case_id]
    forces = {n.casefold() for n in columns(lib).force_names if n}
    themes = {t for t in tags if t.casefold() not in forces}
    out = []
    for score, other, shared in scored:
        o_force, o_findings, o_tags = info[other]
        top = sorted(shared, key=lambda t: -shared[t])[:5]
        out.append(
            SimilarCase(
                case_id=other,
                score=round(score, 4),
                words=tuple(surface.get(t, t) for t in top),
                same_force=force if force and force == o_force else None,
                same_findings=tuple(sorted(findings & o_findings)),
                same_kind=tuple(sorted(themes & o_tags)),
            )
        )
    return out
