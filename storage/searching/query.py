"""The search language (written once, in syntax.py), parsed into a small tree, and
explained back in plain words.

Any input parses: an unbalanced quote, a stray AND or a lone * is read as
text, and the reading is explained. Text terms only ever reach FTS5 as quoted
strings (see `fts_string`), so no input can become FTS or SQL syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

FIELDS = ("force", "year", "published", "ref", "status", "tag", "outcome", "batch", "event", "like")
FIELD_ALIASES = {
    "reference": "ref", "tags": "tag", "finding": "outcome", "findings": "outcome", "events": "event",
    "dated": "event", "similar": "like",
}  # fmt: skip
MIN_PREFIX = 3
MAX_QUERY = 1000
"""Longer input is cut here: nobody types more, and a pasted page should not stall search."""
MAX_TERMS = 24
"""Words, phrases and filters used from one search (each part of an OR counts). Repeats are
searched once; beyond this many, more terms narrow nothing a reviewer could tell apart, and
every one costs time in the index."""
MAX_PHRASE_WORDS = 24
"""Words used from one phrase: enough for a sentence pasted from a case to find it."""

# A letter or digit: what the full-text tokenizer (unicode61) makes words of. Python's \w
# also matches "_", which the tokenizer takes for a space: a term of underscores finds no
# case, and ANDed with others it would empty the results.
_WORDISH = re.compile(r"[^\W_]")
_TOKEN = re.compile(r'\s*(?:(?P<quote>")|(?P<word>[^\s"]+))')


@dataclass(frozen=True)
class Text:
    """A word, phrase or prefix to find in the text."""

    value: str
    kind: str = "word"  # word | phrase | prefix
    negated: bool = False

    def describe(self) -> str:
        shown = f"“{self.value}”" if self.kind != "prefix" else f"words starting “{self.value}”"
        return shown


@dataclass(frozen=True)
class Filter:
    """A field filter such as force:kent."""

    field: str
    value: str
    negated: bool = False

    def describe(self) -> str:
        if self.field == "like":
            return f"the cases most like case {self.value} (most similar first)"
        if self.field == "event":
            return f"an event in the narrative dated {self.value}"
        return f"{self.field}: {self.value}"


@dataclass(frozen=True)
class AnyOf:
    """Terms joined by OR."""

    terms: tuple[Term, ...]
    negated: bool = False

    def describe(self) -> str:
        return " or ".join(t.describe() for t in self.terms)


Term = Text | Filter | AnyOf


@dataclass
class Query:
    """A parsed search: terms that must all hold, and notes on how the input was read."""

    terms: list[Term] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def text_terms(self) -> list[Text]:
        """Every positive text term, for ranking and highlighting."""
        found: list[Text] = []
        for term in self.terms:
            parts = term.terms if isinstance(term, AnyOf) else (term,)
            if not term.negated:
                found.extend(p for p in parts if isinstance(p, Text) and not p.negated)
        return found

    def explain(self) -> list[str]:
        """How the query was read, one line per kind of term."""
        lines = []
        required = [t.describe() for t in self.terms if not t.negated and not isinstance(t, Filter)]
        filters = [t.describe() for t in self.terms if not t.negated and isinstance(t, Filter)]
        excluded = [t.describe() for t in self.terms if t.negated]
        if required:
            lines.append("Must contain: " + "; and ".join(required))
        if filters:
            lines.append("Filters: " + "; ".join(filters))
        if excluded:
            lines.append("Excluding: " + "; ".join(excluded))
        if not lines:
            lines.append("Every case in the library.")
        return lines + self.notes


def fts_string(term: Text) -> str:
    """One text term as an FTS5 string: always quoted, so it is never syntax."""
    quoted = '"' + term.value.replace('"', '""') + '"'
    return quoted + " *" if term.kind == "prefix" else quoted


def _raw_tokens(text: str) -> list[tuple[str, str]]:
    """Split input into ('word', w) and ('phrase', p) tokens; an unclosed quote is text."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            break
        if m.group("quote"):
            close = text.find('"', m.end())
            if close == -1:
                tokens.append(("unclosed", text[m.end() :]))
                break
            tokens.append(("phrase", text[m.end() : close]))
            pos = close + 1
        else:
            tokens.append(("word", m.group("word")))
            pos = m.end()
    return tokens


def parse(text: str) -> Query:
    """Parse search input. Never raises."""
    query = Query()
    text = "".join(ch if ch.isprintable() else " " for ch in (text or ""))
    if len(text) > MAX_QUERY:
        text = _shortened(text)
        query.notes.append(f"The search was too long, so it was shortened to {MAX_QUERY:,} characters.")
    tokens = _raw_tokens(text)
    expanded: list[tuple[str, str]] = []
    for kind, value in tokens:
        if kind == "unclosed":
            query.notes.append("A quote was not closed, so the words after it were searched one by one.")
            expanded.extend(("word", w) for w in value.split())
        else:
            expanded.append((kind, value))

    pending_or = False
    i = 0
    while i < len(expanded):
        kind, value = expanded[i]
        i += 1
        if kind == "word" and value in ("OR", "AND"):
            if query.terms and i < len(expanded):
                pending_or = value == "OR"  # AND is what a space means anyway
                continue
            query.notes.append(f"A stray {value} was searched as the word “{value.lower()}”.")
        negated = False
        if kind == "word" and value == "-" and i < len(expanded) and expanded[i][0] == "phrase":
            negated, (kind, value) = True, expanded[i]  # -"exact phrase"
            i += 1
        elif kind == "word" and value.startswith("-") and len(value) > 1:
            negated, value = True, value[1:]
        # A filter whose value is quoted: force:"west yorkshire"
        if kind == "word" and value.endswith(":") and i < len(expanded) and expanded[i][0] == "phrase":
            value += expanded[i][1]
            i += 1
        term = _term(kind, value, negated, query.notes)
        if term is None:
            continue
        if pending_or and query.terms:
            previous = query.terms.pop()
            joined = previous.terms if isinstance(previous, AnyOf) and not previous.negated else (previous,)
            term = AnyOf((*joined, term))
        pending_or = False
        query.terms.append(term)
    query.terms = _folded(query.terms, query.notes)
    query.notes = list(dict.fromkeys(query.notes))  # a note said once, however often it applies
    return query


def _shortened(text: str) -> str:
    """`text` cut between words to at most MAX_QUERY characters (within a word only when no whole
    word fits), so that no word is searched half typed."""
    cut = text.rfind(" ", 0, MAX_QUERY + 1)  # (control characters are spaces by now)
    return text[:cut] if cut > 0 and text[:cut].strip() else text[:MAX_QUERY]


def _key(term: Term) -> tuple[object, ...]:
    """What makes two terms the same search (FTS5 and the filters ignore case)."""
    if isinstance(term, Text):
        return ("text", term.kind, term.value.casefold(), term.negated)
    if isinstance(term, Filter):
        return ("filter", term.field, term.value.casefold(), term.negated)
    return ("any", frozenset(_key(t) for t in term.terms), term.negated)


def _once(terms: Iterable[Term]) -> list[Term]:
    found: dict[tuple[object, ...], Term] = {}
    for term in terms:
        found.setdefault(_key(term), term)
    return list(found.values())


def _folded(terms: list[Term], notes: list[str]) -> list[Term]:
    """Every term once (an OR of one term is that term), and at most MAX_TERMS of them."""
    folded: list[Term] = []
    for term in terms:
        if isinstance(term, AnyOf):
            parts = _once(term.terms)
            term = parts[0] if len(parts) == 1 else AnyOf(tuple(parts), term.negated)
        folded.append(term)
    once = _once(folded)
    if _size(once) < _size(terms):
        notes.append("Words repeated in the search were searched once.")
    kept: list[Term] = []
    room = MAX_TERMS
    for term in once:
        if room <= 0:
            break
        if isinstance(term, AnyOf) and len(term.terms) > room:
            term = AnyOf(term.terms[:room], term.negated) if room > 1 else term.terms[0]
        kept.append(term)
        room -= _size([term])
    if _size(kept) < _size(once):
        notes.append(f"A search uses at most {MAX_TERMS} words and filters, so the rest were left out.")
    return kept


def _size(terms: list[Term]) -> int:
    """How many words, phrases and filters `terms` hold (each part of an OR counts)."""
    return sum(len(t.terms) if isinstance(t, AnyOf) else 1 for t in terms)


def _nothing_to_search(value: str, notes: list[str]) -> None:
    notes.append(f"“{value}” has no letters or digits to search for, so it was left out.")


def _term(kind: str, value: str, negated: bool, notes: list[str]) -> Term | None:
    if kind == "phrase":
        words = value.split()
        if len(words) > MAX_PHRASE_WORDS:
            notes.append(f"A phrase uses at most {MAX_PHRASE_WORDS} words, so the rest were left out.")
            words = words[:MAX_PHRASE_WORDS]
        phrase = " ".join(words)
        if not phrase:
            notes.append("Empty quotes (\"\") were left out.")
            return None
        if not _WORDISH.search(phrase):
            _nothing_to_search(phrase, notes)
            return None
        return Text(phrase, "phrase", negated)
    name, colon, rest = value.partition(":")
    if colon and rest.strip():
        key = FIELD_ALIASES.get(name.lower(), name.lower())
        if key in FIELDS:
            return Filter(key, rest.strip(), negated)
        spaced = " ".join(value.replace(":", " ").split())
        if not _WORDISH.search(spaced):
            _nothing_to_search(value, notes)
            return None
        notes.append(f"“{name}:” is not a filter, so “{value}” was searched as text.")
        return Text(spaced, "phrase", negated)
    if colon and not rest.strip() and name.lower() in FIELDS:
        notes.append(f"“{value}” has no value after the colon and was left out.")
        return None
    if value.endswith("*"):
        stem = value.rstrip("*")
        if not _WORDISH.search(stem):
            _nothing_to_search(value, notes)
            return None
        if len(stem) >= MIN_PREFIX and _WORDISH.fullmatch(stem[-1]):
            return Text(stem, "prefix", negated)
        notes.append(
            f"“{value}”: a * needs at least {MIN_PREFIX} letters before it, "
            f"so “{stem}” was searched as a word."
        )
        value = stem
    if not _WORDISH.search(value):
        _nothing_to_search(value, notes)
        return None
    if value in ("NOT", "NEAR"):
        notes.append(f"“{value}” is not an operator here; it was searched as a word.")
    return Text(value, "word", negated)
