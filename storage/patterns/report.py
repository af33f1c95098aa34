"""What a review report is about: the search that chose its cases, read back in words, the
cases in the order they are listed, and the figures of those cases (stats.py).

The window reports the search it shows, or the cases selected in it; `casebook-cli report`
a search. Either way the cover names the search as typed and as read, so a reader of the
PDF knows which cases it holds and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..keeping.library import Library
from ..searching.query import parse
from ..searching.search import SearchResult, search
from .stats import Statistics, statistics


@dataclass(frozen=True)
class ReportSubject:
    search: str  # as typed ("" for every case)
    read_as: list[str]  # how it was read, a line for each kind of term, and the search's notes
    chosen: str  # which cases of it: "every case of the search", "3 cases selected in it"
    ids: list[int]  # in the order the report shows them
    figures: Statistics


def of_search(lib: Library, text: str, sort: str = "published", descending: bool = False) -> ReportSubject:
    """Every case `text` finds, in `sort` order (oldest published first by default)."""
    result = search(lib, text, sort=sort, descending=descending)
    ids = [int(i) for i in result.ids]
    return ReportSubject(text, result.explain(), "every case of the search", ids, statistics(lib, result))


def of_cases(
    lib: Library, text: str, read_as: Sequence[str], ids: Sequence[int], chosen: str
) -> ReportSubject:
    """The cases `ids` (those listed for the search `text`, or some of them), as listed; `read_as`
    is how the window read the search when it listed them."""
    query = parse(text)
    listed = np.asarray(ids, dtype=np.int64)
    reviewed = sum(1 for row in lib.rows(list(ids)) if row.status == "reviewed")
    result = SearchResult(query, listed, {}, "listed", False, reviewed)
    return ReportSubject(text, list(read_as), chosen, list(ids), statistics(lib, result))
