"""Findings a reviewer looks for first, detected from a summary's narrative.

Every rule is a row of `RULES`: a sentence that holds one of its `keywords`,
matches one of its `when` patterns and none of its `unless` patterns gives the
case that label. A
`veto` pattern anywhere in the narrative removes the label again ("no learning
was identified" outweighs the boilerplate about learning recommendations).
To add a finding, add a row; to fix a misreading, add an `unless`.

Each label comes with its evidence: the sentences that gave it, as character spans in the
narrative, so a reviewer can see why Casebook read the case so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from .spans import MAX_SENTENCE, sentence_start, trimmed


@dataclass(frozen=True)
class Finding:
    label: str  # stored and exported
    title: str  # shown to people
    search_words: tuple[str, ...]  # what `outcome:` accepts for it


@dataclass(frozen=True)
class Rule:
    label: str
    # Only sentences holding one of these are looked at (lower case: either case of the first
    # letter; with capitals: as written).
    keywords: tuple[str, ...]
    when: tuple[str, ...]
    unless: tuple[str, ...] = ()
    veto: tuple[str, ...] = ()
    # A page with a recommendations section has this finding (unless vetoed).
    from_recommendations_section: bool = False
    # The sentence must be about police, not about someone else ("the CPS charged the man").
    about_police: bool = False


FINDINGS: tuple[Finding, ...] = (
    Finding("misconduct_case_to_answer", "Misconduct: case to answer", ("misconduct",)),
    Finding(
        "gross_misconduct_case_to_answer",
        "Gross misconduct: case to answer",
        ("gross", "gross-misconduct", "misconduct"),
    ),
    Finding("no_case_to_answer", "No case to answer", ("no-case", "nocase")),
    Finding(
        "unsatisfactory_performance",
        "Unsatisfactory performance",
        ("performance", "unsatisfactory"),
    ),
    Finding("learning_recommendations", "Learning recommendations", ("learning", "recommendations")),
    Finding("criminal_referral", "Criminal referral", ("criminal", "referral", "cps")),
    Finding(
        "no_indication_of_misconduct",
        "No indication of misconduct",
        ("no-indication", "none", "cleared"),
    ),
)
FINDING_BY_LABEL = {f.label: f for f in FINDINGS}

_NOBODY_HAD_A_CASE = (
    r"\bno\s+(?:\w+\s+){1,3}(?:was|were)\s+(?:found|judged|considered)\s+to\s+have\s+a\s+case\s+to\s+answer\b"
)
_NONE_HAD_A_CASE = r"\b(?:none|neither)\b[^.]*\bcase\s+to\s+answer\b"
_NEGATED_CASE = (
    rf"\bno\s+case\s+to\s+answer\b|\bnot\s+(?:\w+\s+){{0,3}}case\s+to\s+answer\b|{_NOBODY_HAD_A_CASE}"
    rf"|{_NONE_HAD_A_CASE}"
)
# "…had a case to answer, but the other officer did not": the rest of the officers had none.
_THE_OTHERS_HAD_NONE = (
    r"\bcase\s+to\s+answer\b[^.]*?(?:,|;|\band\b|\bbut\b|\bwhile\b|\bwhereas\b)\s*(?:\w+\s+){0,6}?"
    r"(?:did|do|does|had|has|have)\s*(?:not|n[o'’]t)(?:\s+(?:have\s+)?(?:one|a\s+case))?\s*(?:[,.;)]|$)",
    r"\bcase\s+to\s+answer\b[^.]*?\bbut\s+not\s+(?:for|against|the|pc|ps|sergeant|inspector|officer)\b",
)
_HELD = r"\s+(?:was|were|has\s+been|have\s+been|will\s+be)\s+(?:held|arranged|scheduled)\b"
# What the standard sentence says nobody did: "…would justify disciplinary proceedings",
# "…breached the standards of professional behaviour", "…misconduct".
_DISCIPLINE = r"(?:disciplinary|(?<!no\s)misconduct|standards\s+of\s+professional\s+behaviour)"
_PROCEEDINGS = r"(?:disciplinary|standards\s+of\s+professional\s+behaviour)"
# How it says that nothing showed it, in its word orders; then (after it in the sentence) what.
# (No leading \b: a pattern that starts with a letter is tried only where that letter stands,
# several times faster. "not" also covers "did not", "cannot" and "didn't".)
_NOTHING_INDICATED = (
    r"(?:no|nor\s+(?:\w+\s+){0,3}?any)\s+(?:\w+\s+){0,2}?(?:indication|evidence|suggestion|grounds)\b",
    r"nothing\s+(?:\w+\s+){0,6}?(?:to\s+)?(?:indicat|suggest|show)",
    r"n(?:o|'|’)t\s+(?:\w+\s+){0,3}?(?:indicate|suggest|show|reveal)\s+(?:that\s+)?(?:any|an|the|someone)",
    r"n(?:o|'|’)t[\s,]+(?:\w+[\s,]+){0,3}?find\s+(?:any\s+)?(?:indication|evidence|grounds)\b",
)
_NOBODY = (
    r"(?:no\s+(?:police\s+)?(?:officer|one|person|member\s+of\s+(?:police\s+)?staff)s?|none\s+of\s+the)\b"
)
_ABOUT_LEARNING_IN_GENERAL = (
    r"\bwhether\b|\baims?\b|\bintended\b|\bmeant\b|\bpurpose\b",
    # What the IOPC does in general, in the present tense: "we make recommendations to improve…",
    # "learning recommendations are published", "recommendations can be made at any stage".
    r"\b(?:learning|recommendations)\s+(?:are|is|can|may|could|might|help|helps)\b",
    r"\b(?:we|iopc|it)\s+(?:can\s+|may\s+|might\s+|could\s+|also\s+|often\s+|routinely\s+|always\s+)*"
    r"(?:make|makes|identify|identifies|publish|publishes|share|shares|look|looks|consider|considers)\b",
    r"\b(?:can|may|could|might)\s+(?:also\s+)?(?:be\s+)?(?:make|made|identif\w+|issue\w*|lead\s+to)\b",
    r"\b(?:if|where|when|whenever|any)\s+(?:\w+\s+)?(?:learning|recommendations?)\s+(?:is|are|was|were)?\b",
    r"\bat\s+any\s+(?:stage|point)\b",
    r"\b(?:are|is)\s+(?:\w+\s+)?(?:published|made|shared|issued|identified|sent)\b",
    r"\b(?:committed|commitment|role|power|powers|duty|ability)\b|\bimprove\s+policing\b",
)
_NO_LEARNING = (
    r"\bno\s+(?:\w+\s+)?learning\b",
    r"\b(?:did\s+not|didn't|not)\s+(?:identif(?:y|ied)|f(?:i|ou)nd|reveal(?:ed)?|highlight(?:ed)?)\s+"
    r"(?:any\s+)?"
    r"(?:\w+\s+)?learning\b",
)

RULES: tuple[Rule, ...] = (
    Rule(
        "gross_misconduct_case_to_answer",
        keywords=("misconduct",),
        when=(
            r"\bcase\s+to\s+answer\s+for\s+gross\s+misconduct\b",
            r"\bgross\s+misconduct\s+case\s+to\s+answer\b",
            r"\bcould\s+find\b[^.]*\bgross\s+misconduct\b",
            r"\b(?:attend|face|faced|referred\s+to|at)\s+(?:a\s+)?gross\s+misconduct\s+hearing\b",
            rf"\bgross\s+misconduct\s+hearings?{_HELD}",
        ),
        unless=(_NEGATED_CASE,),
    ),
    Rule(
        "misconduct_case_to_answer",
        keywords=("misconduct",),
        when=(
            r"\bcase\s+to\s+answer\s+for\s+misconduct\b",
            r"\b(?<!gross\s)misconduct\s+case\s+to\s+answer\b",
            r"\bcould\s+find\s+(?:that\s+[^.]{0,60})?(?<!gross\s)misconduct\b",
            r"\b(?:attend|face|faced|referred\s+to|at)\s+(?:a\s+)?misconduct\s+(?:meeting|hearing)\b",
            rf"\b(?<!gross\s)misconduct\s+(?:meetings?|hearings?){_HELD}",
        ),
        unless=(_NEGATED_CASE,),
    ),
    Rule(
        "no_case_to_answer",
        keywords=("case to answer", "threshold", "disciplinary"),
        when=(
            r"\bno\s+case\s+to\s+answer\b",
            r"\b(?:did|does)\s+not\s+have\s+a\s+case\s+to\s+answer\b",
            r"\bnot\s+(?:\w+\s+){0,3}(?:to\s+have\s+)?a\s+case\s+to\s+answer\b",
            _NOBODY_HAD_A_CASE,
            _NONE_HAD_A_CASE,
            *_THE_OTHERS_HAD_NONE,
            r"\bthreshold\s+(?:of|for)\s+(?:gross\s+)?misconduct\b[^.]*\bnot\s+(?:been\s+)?(?:reached|met)\b",
            r"\bnot\s+(?:reach|meet|met|reached)\s+the\s+threshold\s+(?:of|for)\s+misconduct\b",
            r"\bnot\s+(?:serious\s+enough|sufficiently\s+serious)\s+to\s+(?:warrant|justify)\s+"
            r"disciplinary\b",
        ),
        unless=(r"\bwhether\b|\bif\s+(?:there\s+is|an?\s+officer|the\s+officer)\b",),
    ),
    Rule(
        "unsatisfactory_performance",
        keywords=("performance",),
        when=(
            r"\bperformances?\b[^.]{0,120}\bunsatisfactory\b",
            r"\bunsatisfactory\s+performance\b",
            r"\bperformance\s+(?:framework|procedures?|regulations)\b",
            r"\b(?:as|was|were|is)\s+a\s+performance\s+(?:matter|issue)\b",
        ),
        unless=(
            r"\bno\s+(?:\w+\s+){0,3}performance\s+(?:issues?|matters?)\b",
            r"\bnot\s+(?:\w+\s+){0,3}unsatisfactory\b",
            r"\bno\s+indication\b[^.]*\bunsatisfactory\b",
        ),
    ),
    Rule(
        "learning_recommendations",
        keywords=("learning", "recommend"),
        when=(
            r"\b(?:identified|found|highlighted|revealed|made|making|issued|shared)\b[^.]{0,60}"
            r"\b(?:learning|recommendations?)\b",
            r"\b(?:learning|recommendations?)\b[^.]{0,30}\b(?:was|were|has\s+been|have\s+been)\s+"
            r"(?:found|identified|made|issued)\b",
            r"\bsome\s+learning\b",
            r"\b(?:possible|organisational|organizational)\s+learning\s+for\b",
            r"\b(?:we|iopc)\s+(?:also\s+)?recommend(?:ed|s)?\s+that\b",
        ),
        unless=(*_ABOUT_LEARNING_IN_GENERAL, *_NO_LEARNING, r"\bno\s+(?:\w+\s+)?recommendations?\b"),
        veto=_NO_LEARNING,
        from_recommendations_section=True,
    ),
    Rule(
        "criminal_referral",
        keywords=("prosecution", "CPS"),
        when=(
            r"\b(?:referred|sent|passed|submitted|referral)\b[^.]{0,100}"
            r"\b(?:Crown\s+Prosecution\s+Service|CPS)\b",
            r"\b(?:Crown\s+Prosecution\s+Service|CPS)\b[^.]{0,60}"
            r"\b(?:charge|charged|charging\s+decision|authorised)\b",
            r"\b(?:charged|prosecuted)\s+by\s+the\s+(?:Crown\s+Prosecution\s+Service|CPS)\b",
        ),
        unless=(r"\bnot\s+(?:\w+\s+){0,2}(?:refer|referred|send|sent)\b",),
        about_police=True,
    ),
    Rule(
        "no_indication_of_misconduct",
        # Every wording names what nobody did (or "no … issues"): only those sentences are read.
        keywords=("disciplinary", "misconduct", "professional", "issues"),
        when=(
            *(rf"{nothing}[^.]*{_DISCIPLINE}" for nothing in _NOTHING_INDICATED),
            rf"{_NOBODY}[^.]*{_PROCEEDINGS}",
            rf"{_PROCEEDINGS}[^.]*\b(?:not|no)\s+(?:be\s+)?(?:justified|indication|grounds)\b",
            r"\bno\s+(?:conduct\s+or\s+)?performance\s+issues\b",
            r"\bno\s+(?:misconduct|conduct)\s+issues\b",
        ),
        # "There was an indication that…"; and a case to answer for misconduct in the same clause
        # is a finding of its own ("no indication of a crime, but a case to answer for misconduct").
        unless=(r"(?:an|some|clear)\s+indication\b", r"case\s+to\s+answer\s+for\b"),
    ),
)

# Who a criminal referral is about: police, or someone else.
_OFFICER = (
    r"officers?|constables?|pcs?|ps|dcs?|sergeants?|inspectors?|detectives?|superintendents?|"
    r"police\s+(?:staff|drivers?|employees?)|members?\s+of\s+(?:police\s+)?staff|staff\s+members?|"
    r"call\s+handlers?|controllers?"
)
_CIVILIAN = (
    r"m[ae]n|wom[ae]n|boy|girl|driver|motorist|suspect|(?:ex-)?partner|son|daughter|father|mother|husband|"
    r"wife|brother|sister|person|members?\s+of\s+the\s+public|neighbour|occupier|passenger|pedestrian|"
    r"rider|motorcyclist|cyclist|youth|teenager|child|victim|friend|relative|resident"
)
_PERSON = re.compile(rf"\b(?:(?P<officer>{_OFFICER})|(?P<civilian>{_CIVILIAN}))\b(?![’']s\b)")
_IOPC_REFERS = re.compile(r"\b(?:we|iopc|ipcc|our\s+investigat\w+|investigators?|a\s+file)\b")

_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s|\n")
_CLAUSE_BREAK = re.compile(r",?\s+(?:but|whereas)\s+|;\s*")
_ORDER = {f.label: i for i, f in enumerate(FINDINGS)}
MAX_EVIDENCE = 5
"""Sentences kept as evidence per label: enough to check a reading, not the whole text."""


class Evidence(NamedTuple):
    """A passage that gave a finding: narrative[start:end], or with `field` "recommendations"
    the page's recommendations section (start and end then span the recommendations text)."""

    label: str
    start: int
    end: int
    field: str = "narrative"

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "field": self.field, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class ReadFindings:
    """The labels of a narrative, in the order of `FINDINGS`, and the passages that gave them."""

    labels: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    when: re.Pattern[str]
    unless: re.Pattern[str] | None
    veto: re.Pattern[str] | None


def _joined(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all of `patterns`, matched against lower-cased sentences: lower-casing the
    pattern (which holds no upper-case escapes) is much faster than `re.IGNORECASE`."""
    joined = "|".join(f"(?:{p})" for p in patterns)
    if re.search(r"\\[A-Z]", joined):
        raise ValueError(f"a rule pattern holds an upper-case escape: {joined}")
    return re.compile(joined.lower())


def _either(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return _joined(patterns) if patterns else None


_COMPILED = tuple(_Compiled(r, _joined(r.when), _either(r.unless), _either(r.veto)) for r in RULES)


def _places(text: str, keyword: str) -> Iterator[int]:
    """Where `keyword` stands in `text`: a lower-case keyword in either case of its first letter
    ("misconduct", "Misconduct"), one with capitals ("CPS") as written."""
    if not keyword.islower():
        at = text.find(keyword)
        while at != -1:
            yield at
            at = text.find(keyword, at + 1)
        return
    first, rest = keyword[0], keyword[1:]
    at = text.find(rest, 1)
    while at != -1:
        if text[at - 1].lower() == first:
            yield at - 1
        at = text.find(rest, at + 1)


def _sentences_with(text: str, keyword: str) -> list[tuple[int, int]]:
    """Spans of the sentences of `text` that hold `keyword`, in text order.

    A sentence is cut at `MAX_SENTENCE` characters either side of its keyword, and
    a hit inside the sentence already found is not looked at again, so text without
    sentence breaks (a pasted page, hostile input) takes linear time."""
    spans = []
    stop = 0
    for at in _places(text, keyword):
        if at < stop:
            continue  # no keyword holds a sentence break
        start = sentence_start(text, at)
        end = _SENTENCE_BREAK.search(text, at, at + MAX_SENTENCE)
        stop = end.end() if end else min(len(text), at + MAX_SENTENCE)
        spans.append((start, stop))
    return spans


def _in_a_clause(c: _Compiled, unless: re.Pattern[str], sentence: str) -> bool:
    """Whether one clause of `sentence` states the finding and none of its `unless`:
    "no case to answer for gross misconduct but a case to answer for misconduct"."""
    return any(
        c.when.search(clause) and not unless.search(clause) for clause in _CLAUSE_BREAK.split(sentence)
    )


def _about_police(sentence: str, at: int) -> bool:
    """Whether the referral stated at `at` in `sentence` concerns police: the first person named
    after it ("referred the officer", "to charge the man") or, with nobody named after it, the
    sentence's subject ("the driver was charged by the CPS") is an officer or member of staff;
    with nobody named, the IOPC must be the one referring ("we sent a file to the CPS")."""
    people = list(_PERSON.finditer(sentence))
    if not people:
        return _IOPC_REFERS.search(sentence) is not None
    after = [p for p in people if p.start() >= at]
    who = after[0] if after else people[0]
    return who["officer"] is not None


def _states(c: _Compiled, sentence: str) -> bool:
    """Whether `sentence` (lower case) states the finding of `c`."""
    match = c.when.search(sentence)
    if match is None or (c.unless and c.unless.search(sentence) and not _in_a_clause(c, c.unless, sentence)):
        return False
    return not c.rule.about_police or _about_police(sentence, match.start())


def read_findings(narrative: str, has_recommendations: bool = False) -> ReadFindings:
    """The findings stated in `narrative`, with their evidence.

    `has_recommendations` says the page carries a recommendations section, which counts as
    learning unless the text says no learning was found. Only the sentences that hold a rule's
    keywords are lower-cased and read (lower-casing the whole narrative cost a tenth of the
    reader).
    """
    sentences: dict[str, list[tuple[int, int]]] = {}  # per keyword: several rules share some
    lowered: dict[tuple[int, int], str] = {}
    found: dict[str, list[Evidence]] = {}
    for c in _COMPILED:
        for keyword in c.rule.keywords:
            if keyword not in sentences:
                sentences[keyword] = _sentences_with(narrative, keyword)
        spans = sorted({span for keyword in c.rule.keywords for span in sentences[keyword]})
        for span in spans:
            if span not in lowered:
                lowered[span] = narrative[span[0] : span[1]].lower()
        if c.veto and any(c.veto.search(lowered[span]) for span in spans):
            continue
        label = c.rule.label
        if c.rule.from_recommendations_section and has_recommendations:
            found[label] = [Evidence(label, 0, 0, "recommendations")]
        for span in spans:
            if len(found.get(label, ())) >= MAX_EVIDENCE:
                break
            if _states(c, lowered[span]):
                start, end = trimmed(narrative, *span)
                found.setdefault(label, []).append(Evidence(label, start, end))
    labels = tuple(sorted(found, key=_ORDER.__getitem__))
    return ReadFindings(labels, tuple(e for label in labels for e in found[label]))
