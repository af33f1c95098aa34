"""Figures that describe a set of cases: what the statistics view and `casebook-cli stats` show.

Everything is counted from the column store (storage/searching/columns.py), the same arrays the
filter panel's facets come from, so a chart and the filter panel always agree, and a
finding corrected by a reviewer counts wherever the facets count it. After a search at
100,000 cases this adds a few milliseconds to the search itself (bench/patterns.py).

Names in the series are the values the filter panel uses (a force's name, a year, a
finding's label, a status code, a tag), so a chart can turn a clicked bar into the same
filter as the panel does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..keeping.library import Library
from ..records import STATUSES
from ..searching.columns import columns
from ..searching.query import Filter
from ..searching.search import SINGLE_VALUED, SearchResult

TOP = 10
"""Forces and tags shown by name; the rest are counted together."""

LAG_BANDS = (
    ("under 3 months", 0, 91),
    ("3–6 months", 91, 183),
    ("6–12 months", 183, 365),
    ("1–2 years", 365, 730),
    ("2–3 years", 730, 1096),
    ("3–5 years", 1096, 1826),
    ("5 years or more", 1826, None),
)
"""The distribution of incident-to-publication times, in bands a reader can name."""


@dataclass(frozen=True)
class Lag:
    """Days from incident to publication over the cases that have both dates.

    An incident known only to the month (most are: it comes from the title) counts from the
    first day of that month, the same date the list sorts it by.
    """

    count: int
    median: float | None
    quartiles: tuple[float, float] | None  # lower and upper
    shortest: int | None
    longest: int | None
    bands: list[tuple[str, int]]
    undated: int  # cases without an incident or a publication date
    published_first: int  # cases whose publication date comes before the incident's

    def to_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "median": self.median,
            "quartiles": list(self.quartiles) if self.quartiles else None,
            "shortest": self.shortest,
            "longest": self.longest,
            "distribution": dict(self.bands),
            "undated": self.undated,
            "published_before_incident": self.published_first,
        }


@dataclass(frozen=True)
class Statistics:
    """Counts over one set of cases. Each series is (name, count) pairs, in display order."""

    total: int
    reviewed: int
    by_incident_year: list[tuple[str, int]]  # oldest first, years in between included at 0
    by_force: list[tuple[str, int]]  # the TOP largest
    by_finding: list[tuple[str, int]]  # largest first; a case can have several
    by_status: list[tuple[str, int]]  # in workflow order
    by_tag: list[tuple[str, int]]  # the TOP largest
    publication_lag: Lag
    no_incident_year: int = 0
    other_forces: int = 0  # cases of forces after the TOP
    no_force: int = 0
    no_finding: int = 0
    other_tags: int = 0  # tag uses after the TOP
    untagged: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "reviewed": self.reviewed,
            "by_incident_year": dict(self.by_incident_year),
            "by_force": dict(self.by_force),
            "by_finding": dict(self.by_finding),
            "by_status": dict(self.by_status),
            "by_tag": dict(self.by_tag),
            "publication_lag_days": self.publication_lag.to_json(),
            "no_incident_year": self.no_incident_year,
            "other_forces": self.other_forces,
            "no_force": self.no_force,
            "no_finding": self.no_finding,
            "other_tags": self.other_tags,
            "untagged": self.untagged,
        }


def statistics(lib: Library, result: SearchResult, top: int = TOP) -> Statistics:
    """The figures for the cases of a search result (its facets are reused when they count
    just its cases)."""
    cols = columns(lib)
    ids = result.ids
    facets = result.facets if result.facets and not _widened(result) else cols.facets(ids)
    total = len(ids)

    years = sorted((int(y), n) for y, n in facets["year"])
    by_year = []
    if years:
        counted = dict(years)
        by_year = [(str(y), counted.get(y, 0)) for y in range(years[0][0], years[-1][0] + 1)]
    forces = facets["force"]
    tags = facets["tag"]
    in_result = cols.mask_of_ids(ids)
    has_tag = cols.none()
    has_tag[cols.tag_case] = True
    return Statistics(
        total=total,
        reviewed=result.reviewed,
        by_incident_year=by_year,
        by_force=forces[:top],
        by_finding=facets["outcome"],
        by_status=[(s, dict(facets["status"]).get(s, 0)) for s in STATUSES],
        by_tag=tags[:top],
        publication_lag=publication_lag(cols.incident[ids], cols.published[ids]),
        no_incident_year=total - sum(n for _, n in years),
        other_forces=sum(n for _, n in forces[top:]),
        no_force=total - sum(n for _, n in forces),
        no_finding=int(np.count_nonzero(cols.findings[ids] == 0)),
        other_tags=sum(n for _, n in tags[top:]),
        untagged=total - int(np.count_nonzero(has_tag & in_result)),
    )


def _widened(result: SearchResult) -> bool:
    """Whether some of the result's facets count more than its cases: the filter panel counts a
    chosen force, year or status as if it were not chosen, to show the others to switch to."""
    return any(
        isinstance(term, Filter) and not term.negated and term.field in SINGLE_VALUED
        for term in result.query.terms
    )


def publication_lag(incident: np.ndarray, published: np.ndarray) -> Lag:
    """`Lag` from incident and publication day numbers (0 = unknown)."""
    dated = (incident > 0) & (published > 0)
    days = (published[dated] - incident[dated]).astype(np.int64)
    published_first = int(np.count_nonzero(days < 0))
    days = days[days >= 0]
    bands = []
    for label, low, high in LAG_BANDS:
        inside = days >= low if high is None else (days >= low) & (days < high)
        bands.append((label, int(np.count_nonzero(inside))))
    if not len(days):
        return Lag(0, None, None, None, None, bands, int(np.count_nonzero(~dated)), published_first)
    q1, median, q3 = (float(q) for q in np.percentile(days, [25, 50, 75]))
    return Lag(
        count=len(days),
        median=median,
        quartiles=(q1, q3),
        shortest=int(days.min()),
        longest=int(days.max()),
        bands=bands,
        undated=int(np.count_nonzero(~dated)),
        published_first=published_first,
    )
