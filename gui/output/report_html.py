"""The HTML of a review report's own pages: the cover, the contents, the summary table of the
cases and the tables of their figures. Each case's section is case_html.render_case.

As in case_html.py, every text from a file, a library or a reviewer (a search, a subject, a
force, a tag, the reviewer's name, the report's title) is escaped here with `safe_text.escaped`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.patterns.report import ReportSubject
from storage.patterns.stats import Statistics
from storage.records import Case

from ..formatting import finding_title, long_date, plural, status_label
from ..safe_text import cell_text, escaped

REPORT_CSS = """
h1.report { font-size: 22pt; font-weight: 600; margin-bottom: 0.3em; }
p.byline { font-size: 11pt; color: #5d6d7e; margin-bottom: 1.5em; }
p.search { font-size: 11.5pt; }
table.figures { margin-bottom: 0.3em; }
table.figures th { text-align: left; font-weight: normal; padding-right: 2em; }
table.figures td { text-align: right; padding-left: 1em; }
table.contents td.page { text-align: right; }
table.contents td.part { font-weight: 600; padding-top: 0.5em; }
table.summary { border-collapse: collapse; font-size: 8pt; }
table.summary th { background-color: #e8ecf0; text-align: left; font-weight: 600; }
table.summary td, table.summary th { border-bottom: 1px solid #d5dbe1; padding-right: 0.4em; }
p.evidence { font-weight: 600; margin-bottom: 0.2em; }
ul.evidence { margin-top: 0; }
table.chronology th { white-space: nowrap; }
"""


def _cell(text: str | None) -> str:
    return escaped(cell_text(text)) or "—"


def _counts(rows: Sequence[tuple[str, int]], total: int) -> str:
    cells = "".join(
        f"<tr><th>{_cell(name)}</th><td>{count:,}</td><td>{_share(count, total)}</td></tr>"
        for name, count in rows
    )
    return f'<table class="figures" cellspacing="0" cellpadding="2">{cells}</table>'


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.0f}%" if total else ""


def cover_html(title: str, reviewer: str, made_on: str, subject: ReportSubject, with_notes: bool) -> str:
    """The first page: the title, who made the report and when, the search, and the counts."""
    figures = subject.figures
    by = f"Prepared by {escaped(reviewer)} on {escaped(made_on)}" if reviewer.strip() else escaped(made_on)
    if subject.search.strip():
        lines = "".join(f"<li>{escaped(line)}</li>" for line in subject.read_as)
        search = f'<p class="search">Search: “{escaped(subject.search)}”</p><p>Read as:</p><ul>{lines}</ul>'
    else:
        search = '<p class="search">Search: none (every case in the library)</p>'
    notes = "includes the reviewer’s notes" if with_notes else "leaves out the reviewer’s notes"
    return (
        f'<h1 class="report">{escaped(title)}</h1><p class="byline">{by}</p>{search}'
        f"<p>{plural(figures.total, 'case')}: {escaped(subject.chosen)}. This report {notes}.</p>"
        f"<h2>By review status</h2>"
        + _counts([(status_label(s), n) for s, n in figures.by_status], figures.total)
        + "<h2>By finding</h2>"
        + _counts(_findings(figures), figures.total)
        + "<p>A case can have several findings.</p>"
    )


def _findings(figures: Statistics) -> list[tuple[str, int]]:
    rows = [(finding_title(label), n) for label, n in figures.by_finding]
    return rows + ([("No finding recognised", figures.no_finding)] if figures.no_finding else [])


@dataclass(frozen=True)
class Entry:
    """A line of the contents: what starts where."""

    text: str  # shown as is (escaped here)
    page: int
    part: bool = False  # a part of the report rather than one case


def contents_html(entries: Sequence[Entry]) -> str:
    rows = "".join(
        f'<tr><td class="{kind}">{_cell(e.text)}</td><td class="{kind} page">{e.page}</td></tr>'
        for e in entries
        for kind in ("part" if e.part else "case",)
    )
    table = f'<table class="contents" width="100%" cellpadding="1">{rows}</table>'
    return f'<h1 class="title">Contents</h1>{table}'


def case_entry(case: Case) -> str:
    """A case as the contents and the outline name it."""
    return f"{case.reference or f'Case {case.id}'} — {case.subject or case.title}"


SUMMARY_COLUMNS = (
    ("Reference", 13), ("Subject", 23), ("Force", 13), ("Incident", 12), ("Status", 10), ("Findings", 16),
    ("Tags", 13),
)  # fmt: skip
"""Each column's name and width in percent."""


def summary_html(cases: Sequence[Case]) -> str:
    """One row per case; the header row is repeated on every page."""
    head = "".join(f'<th width="{width}%">{name}</th>' for name, width in SUMMARY_COLUMNS)
    rows = []
    for case in cases:
        incident = case.incident.text if case.incident else long_date(case.incident_date)
        cells = (
            case.reference or f"Case {case.id}",
            case.subject or case.title,
            case.force,
            incident,
            status_label(case.status),
            ", ".join(finding_title(f) for f in case.findings),
            ", ".join(case.tags),
        )
        rows.append("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in cells) + "</tr>")
    return (
        f'<h1 class="title">Summary of the cases</h1>'
        f'<table class="summary" width="100%" cellspacing="0" cellpadding="3">'
        f"<thead><tr>{head}</tr></thead>{''.join(rows)}</table>"
    )


@dataclass(frozen=True)
class Figure:
    """One table of the statistics: a series of storage/patterns/stats.py, named."""

    key: str  # the Statistics field it shows, as the chart views name their series
    title: str
    rows: list[tuple[str, int]]


def figures_of(s: Statistics) -> list[Figure]:
    """The statistics as tables, in the order of the `casebook-cli stats` output."""

    def more(*rows: tuple[str, int]) -> list[tuple[str, int]]:
        return [r for r in rows if r[1]]

    years = [*s.by_incident_year, *more(("No year", s.no_incident_year))]
    forces = [*s.by_force, *more(("Other forces", s.other_forces), ("No force", s.no_force))]
    return [
        Figure("by_incident_year", "Incident year", years),
        Figure("by_force", "Force", forces),
        Figure("by_finding", "Finding", _findings(s)),
        Figure("by_status", "Review status", [(status_label(k), n) for k, n in s.by_status]),
        Figure("by_tag", "Tag", [*s.by_tag, *more(("Other tags", s.other_tags), ("Untagged", s.untagged))]),
        Figure("publication_lag", "Incident to publication", s.publication_lag.bands),
    ]  # fmt: skip


def statistics_html(s: Statistics) -> str:
    parts = [f'<h1 class="title">Statistics</h1><p>{plural(s.total, "case")}; {s.reviewed:,} reviewed.</p>']
    lag = s.publication_lag
    for figure in figures_of(s):
        # Where a chart of the figure will go, above its table: see docs/REPORT.md, "Charts".
        parts.append(f"<h2>{escaped(figure.title)}</h2>")
        if figure.key == "publication_lag" and lag.count and lag.quartiles:
            parts.append(
                f"<p>Days from incident to publication ({plural(lag.count, 'case')} with both dates): "
                f"median {lag.median:,.0f}, quartiles {lag.quartiles[0]:,.0f} to {lag.quartiles[1]:,.0f}.</p>"
            )
        parts.append(_counts(figure.rows, s.total) if figure.rows else "<p>None.</p>")
    return "".join(parts)
