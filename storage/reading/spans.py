"""Character spans in a narrative: where a sentence starts and ends, and lower-cased text
whose offsets are those of the original (so a span found in one marks the other)."""

from __future__ import annotations

import re

MAX_SENTENCE = 1000
"""How far a sentence is looked for either side of a point: the longest in the development
cases and the bench corpus is 354 characters; text without breaks stops here."""

# What ends a sentence: a full stop, ? or ! (perhaps closed by a quote or bracket) and a space,
# or a line break (narrative paragraphs are joined by blank lines).
_BREAK = re.compile(r"[.!?][\"'”’)]*\s|\n")
_RARE_BREAKS = ("?", "!", '."', ".'", ".”", ".’", ".)", ".\t")  # all breaks but ". " and "\n"


def lowered(text: str) -> str:
    """`text` in lower case, the same length: the few characters whose lower case is longer
    ("İ" -> "i̇") are left as they are, so an offset in the result is one in `text`."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def sentence_start(text: str, at: int) -> int:
    """Where the sentence holding offset `at` starts (after the break that ends the one before)."""
    low = at - MAX_SENTENCE if at > MAX_SENTENCE else 0
    # The usual break, found quickly; then any other kind between it and `at`, if there may be one.
    dot, line = text.rfind(". ", low, at), text.rfind("\n", low, at)
    start = max(dot + 2 if dot != -1 else low, line + 1 if line != -1 else low)
    rest = text[start:at]
    if any(mark in rest for mark in _RARE_BREAKS):
        for found in _BREAK.finditer(text, start, at):
            start = found.end()
    return start


def sentence_end(text: str, at: int) -> int:
    """Where the sentence holding offset `at` ends: after its full stop (and closing quote)."""
    high = min(len(text), at + MAX_SENTENCE)
    end = _BREAK.search(text, at, high)
    if end is None:
        return high
    return end.end() - 1 if end.group() != "\n" else end.start()


def sentence_span(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The sentence holding `text[start:end]`, as (start, end) without surrounding spaces."""
    return trimmed(text, sentence_start(text, start), sentence_end(text, max(start, (end or start) - 1)))


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span `start`..`end` of `text` without the spaces at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
