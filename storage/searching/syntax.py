"""The search language, written once.

The window's "?" card, `casebook-cli search --help` and the README's table are all made
from `LANGUAGE`; tests/test_search_language.py checks that every field the parser knows is
here, that every example parses as this table says, and that the README holds the table.
The words `outcome:` and `status:` accept come from the tables that own them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..reading.findings import FINDINGS
from ..records import STATUS_LABELS
from .query import MIN_PREFIX


@dataclass(frozen=True)
class Form:
    examples: tuple[str, ...]  # as a reviewer types them
    meaning: str  # what they find
    field: str | None = None  # the filter of query.FIELDS they use, if any


OUTCOME_WORDS = tuple(f.search_words[0] for f in FINDINGS)
STATUS_WORDS = tuple(label.lower() for label in STATUS_LABELS.values())

LANGUAGE: tuple[Form, ...] = (
    Form(("risk assessment",), "cases with both words, in any form (“assessed” too)"),
    Form(('"risk assessment"',), "the exact phrase"),
    Form(("custody OR cell",), "either word"),
    Form(("-taser",), "leaves out cases with the word (also works on filters)"),
    Form(("assess*",), f"words starting “assess” (at least {MIN_PREFIX} letters before the *)"),
    Form(("force:kent", 'force:"west yorkshire"'), "the force’s name contains the words", "force"),
    Form(("year:2016", "year:2015..2018"), "incident year, or a range", "year"),
    Form(("published:2019", "published:2019-03"), "publication year or month", "published"),
    Form(("ref:2016/070829",), "IOPC reference (or its beginning)", "ref"),
    Form(("status:flagged",), "review status: " + ", ".join(STATUS_WORDS), "status"),
    Form(("tag:learning",), "your tags and the page’s own topics", "tag"),
    Form(("outcome:misconduct",), "findings: " + ", ".join(OUTCOME_WORDS), "outcome"),
    Form(("batch:3",), "cases from import number 3 (File › Import history)", "batch"),
    Form(
        ("event:2019-03", "event:2018..2019"),
        "a date in the narrative in that month, year or range",
        "event",
    ),
    Form(("like:2016/070829",), "the cases most like that case, most similar first", "like"),
)


def plain_text() -> str:
    """The language as lines for a terminal."""
    width = max(len("  ".join(f.examples)) for f in LANGUAGE)
    lines = [f"  {'  '.join(f.examples):<{width}}  {f.meaning}" for f in LANGUAGE]
    return "search language:\n" + "\n".join(lines)


def markdown_table() -> str:
    """The language as the README's table."""
    rows = [
        "| " + ", ".join(f"`{e}`" for e in f.examples) + f" | {f.meaning} |" for f in LANGUAGE
    ]
    return "\n".join(["| type | finds |", "| --- | --- |", *rows])
