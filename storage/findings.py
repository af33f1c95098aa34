"""Findings a reviewer looks for first, detected from a summary's narrative.

Every rule is a row of `RULES`: a sentence that holds one of its `keywords`,
matches one of its `when` patterns and none of its `unless` patterns gives the
case that label. A
`veto` pattern anywhere in the narrative removes the label again ("no learning
was identified" outweighs the boilerplate about learning recommendations).
To add a finding, add a row; to fix a misreading, add an `unless`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    label: str  # stored and exported
    title: str  # shown to people
    search_words: tuple[str, ...]  # what `outcome:` accepts for it


@dataclass(frozen=True)
class Rule:
    label: str
    keywords: tuple[str, ...]  # only sentences holding one of these (lower case) are looked at
    when: tuple[str, ...]
    unless: tuple[str, ...] = ()
    veto: tuple[str, ...] = ()
    # A page with a recommendations section has this finding (unless vetoed).
    from_recommendations_section: bool = False


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
_NEGATED_CASE = (
    rf"\bno\s+case\s+to\s+answer\b|\bnot\s+(?:\w+\s+){{0,3}}case\s+to\s+answer\b|{_NOBODY_HAD_A_CASE}"
)
_HELD = r"\s+(?:was|were|has\s+been|have\s+been|will\s+be)\s+(?:held|arranged|scheduled)\b"
_DISCIPLINE = r"(?:disciplinary|misconduct|criminal\s+offen[cs]e|gross\s+misconduct)"
_ABOUT_LEARNING_IN_GENERAL = r"\bwhether\b|\baims?\b|\bintended\b|\bmeant\b|\bpurpose\b"
_NO_LEARNING = (
    r"\bno\s+(?:\w+\s+)?learning\b",
    r"\b(?:did\s+not|didn't|not)\s+(?:identif(?:y|ied)|f(?:i|ou)nd|reveal(?:ed)?|highlight(?:ed)?)\s+"
    r"(?:any\s+)?"
    r"(?:\w+\s+)?learning\b",
)

RULES: tuple[Rule, ...] = (
    Rule(
        "gross_misconduct_case_to_answer",
        keywords=("gross misconduct",),
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
        keywords=("case to answer", "threshold", "serious enough", "sufficiently serious"),
        when=(
            r"\bno\s+case\s+to\s+answer\b",
            r"\b(?:did|does)\s+not\s+have\s+a\s+case\s+to\s+answer\b",
            _NOBODY_HAD_A_CASE,
            r"\bthreshold\s+(?:of|for)\s+(?:gross\s+)?misconduct\b[^.]*\bnot\s+(?:been\s+)?(?:reached|met)\b",
            r"\bnot\s+(?:reach|meet|met|reached)\s+the\s+threshold\s+(?:of|for)\s+misconduct\b",
            r"\bnot\s+(?:serious\s+enough|sufficiently\s+serious)\s+to\s+(?:warrant|justify)\s+"
            r"disciplinary\b",
        ),
    ),
    Rule(
        "unsatisfactory_performance",
        keywords=("unsatisfactory", "performance"),
        when=(
            r"\bperformances?\b[^.]{0,120}\bunsatisfactory\b",
            r"\bunsatisfactory\s+performance\b",
            r"\bperformance\s+(?:framework|procedures?|regulations)\b",
        ),
        unless=(
            r"\bno\s+(?:\w+\s+)?performance\s+issues?\b",
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
            r"\b(?:we|iopc)\s+(?:also\s+)?recommend(?:ed|s)?\s+that\b",
        ),
        unless=(_ABOUT_LEARNING_IN_GENERAL, *_NO_LEARNING, r"\bno\s+(?:\w+\s+)?recommendations?\b"),
        veto=_NO_LEARNING,
        from_recommendations_section=True,
    ),
    Rule(
        "criminal_referral",
        keywords=("crown prosecution", "cps"),
        when=(
            r"\b(?:referred|sent|passed|submitted|referral)\b[^.]{0,100}"
            r"\b(?:Crown\s+Prosecution\s+Service|CPS)\b",
            r"\b(?:Crown\s+Prosecution\s+Service|CPS)\b[^.]{0,60}"
            r"\b(?:charge|charged|charging\s+decision|authorised)\b",
        ),
        unless=(r"\bnot\s+(?:\w+\s+){0,2}(?:refer|referred|send|sent)\b",),
    ),
    Rule(
        "no_indication_of_misconduct",
        keywords=("indication", "grounds", "issues", "evidence"),
        when=(
            rf"\bno\s+indication\b[^.]*{_DISCIPLINE}",
            rf"\b(?:did\s+not|didn't)\s+find\s+any\s+indication\b[^.]*{_DISCIPLINE}",
            rf"\bfound\s+no\s+(?:evidence|indication)\b[^.]*{_DISCIPLINE}",
            rf"\b(?:did\s+not|didn't)[\s,]+(?:\w+[\s,]+){{0,2}}find\s+(?:any\s+)?grounds\b[^.]*{_DISCIPLINE}",
            r"\bno\s+(?:conduct\s+or\s+)?performance\s+issues\b",
            r"\bno\s+(?:misconduct|conduct)\s+issues\b",
        ),
    ),
)

MAX_SENTENCE = 1000
"""How far a sentence is looked at either side of a keyword: the longest in the development
cases and the bench corpus is 354 characters."""
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s|\n")
_CLAUSE_BREAK = re.compile(r",?\s+(?:but|whereas)\s+|;\s*")
_ORDER = {f.label: i for i, f in enumerate(FINDINGS)}


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    when: re.Pattern
    unless: re.Pattern | None
    veto: re.Pattern | None


def _either(patterns: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for all of `patterns`, matched against lower-cased text: lower-casing the
    pattern (which holds no upper-case escapes) is an eighth faster than `re.IGNORECASE`."""
    if not patterns:
        return None
    joined = "|".join(f"(?:{p})" for p in patterns)
    if re.search(r"\\[A-Z]", joined):
        raise ValueError(f"a rule pattern holds an upper-case escape: {joined}")
    return re.compile(joined.lower())


_COMPILED = tuple(_Compiled(r, _either(r.when), _either(r.unless), _either(r.veto)) for r in RULES)


def _sentences_with(text: str, keywords: tuple[str, ...]) -> list[str]:
    """The sentences of `text` (lower case) that hold one of `keywords`.

    A sentence is cut at `MAX_SENTENCE` characters either side of its keyword, and
    a hit inside the sentence already found is not looked at again, so text without
    sentence breaks (a pasted page, hostile input) takes linear time."""
    spans = set()
    for keyword in keywords:
        at = text.find(keyword)
        while at != -1:
            low = at - MAX_SENTENCE if at > MAX_SENTENCE else 0
            # 0 when no break is within reach: then the sentence starts at `low`
            start = max(text.rfind(". ", low, at), text.rfind("\n", low, at)) + 1 or low
            end = _SENTENCE_BREAK.search(text, at, at + MAX_SENTENCE)
            stop = end.end() if end else min(len(text), at + MAX_SENTENCE)
            spans.add((start, stop))
            at = text.find(keyword, stop)  # no keyword holds a sentence break
    return [text[a:b] for a, b in sorted(spans)]


def _in_a_clause(c: _Compiled, sentence: str) -> bool:
    """Whether one clause of `sentence` states the finding and none of its `unless`:
    "no case to answer for gross misconduct but a case to answer for misconduct"."""
    return any(
        c.when.search(clause) and not c.unless.search(clause) for clause in _CLAUSE_BREAK.split(sentence)
    )


def detect_findings(narrative: str, has_recommendations: bool = False) -> tuple[str, ...]:
    """Labels of the findings stated in `narrative`, in the order of `FINDINGS`.

    `has_recommendations` says the page carries a recommendations section, which
    counts as learning unless the text says no learning was found.
    """
    text = narrative.lower()
    found: set[str] = set()
    for c in _COMPILED:
        parts = _sentences_with(text, c.rule.keywords)
        if c.veto and any(c.veto.search(s) for s in parts):
            continue
        if c.rule.from_recommendations_section and has_recommendations:
            found.add(c.rule.label)
            continue
        for s in parts:
            if c.when.search(s) and not (c.unless and c.unless.search(s) and not _in_a_clause(c, s)):
                found.add(c.rule.label)
                break
    return tuple(sorted(found, key=_ORDER.__getitem__))
