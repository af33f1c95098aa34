"""Notes typed in two places at once, merged so that neither loses a word.

The reviewer's notes are saved together with the notes they were typed over (their
*base*). When another window or program saved other notes since, the three texts are
merged word by word (`merge3`, the three-way merge of the Breezy version-control
system): what each side added or changed is kept, text added at the same place by both
comes one after the other, and where both changed the same words differently, both
versions are kept, the other's marked as such. Merging again never repeats text that
both already hold, so two windows typing into one case at once stay readable.
"""

from __future__ import annotations

import re

import merge3

_TOKENS = re.compile(r"\S+|\s+")
ELSEWHERE = "[also saved in another window or program: {}]"


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def merged(mine: str, theirs: str, base: str | None) -> str:
    """`mine` and `theirs`, both typed over `base`, in one text. Without a base (a draft from
    an older Casebook) the other text is kept below this one unless one holds the other."""
    if mine == theirs or theirs == base:
        return mine
    if mine == base:
        return theirs
    if base is None:
        if theirs in mine:
            return mine
        if mine in theirs:
            return theirs
        return f"{mine.rstrip()}\n\n{ELSEWHERE.format(theirs.strip())}"
    a, b, z = _tokens(mine), _tokens(theirs), _tokens(base)
    out: list[str] = []
    for region in merge3.Merge3(z, a, b).merge_regions():
        kind = region[0]
        if kind == "unchanged":
            out += z[region[1] : region[2]]
        elif kind in ("a", "same"):
            out += a[region[1] : region[2]]
        elif kind == "b":
            out += b[region[1] : region[2]]
        elif region[0] == "conflict":  # spelled out so the checker knows the region's length
            out.append(_both(z[region[1] : region[2]], a[region[3] : region[4]], b[region[5] : region[6]]))
    return "".join(out)


def _both(base: list[str], ours: list[str], others: list[str]) -> str:
    """A part of the base both sides changed. Where one side only added text before or after
    it, that text goes with the other side's change; else both versions are kept."""
    n = len(base)
    for first, second in ((ours, others), (others, ours)) if n else ():
        if second[:n] == base:  # `second` kept the part and added after it
            return "".join(first + second[n:])
        if second[-n:] == base:  # or before it
            return "".join(second[:-n] + first)
    mine, theirs = "".join(ours), "".join(others)
    if not base:  # both added text at this place: one after the other
        gap = "" if not mine or mine[-1].isspace() or not theirs or theirs[0].isspace() else " "
        return f"{mine}{gap}{theirs}"
    trailing = theirs[len(theirs.rstrip()) :]
    return f"{mine.rstrip()} {ELSEWHERE.format(theirs.strip())}{trailing}"
