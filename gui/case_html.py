"""One HTML rendering of a case, for the detail pane, printing and PDF.

Everything that came from a file or a reviewer is escaped here and nowhere
else is HTML built from case text. Search hits arrive as private-use marks
(storage.decoding.HIT_START/HIT_END) inside the text; they become highlight
spans only after escaping, so file text can never open a tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from storage.reading.decoding import HIT_END, HIT_START
from storage.records import Case

from .formatting import finding_title, long_date, status_label

ORIGINAL_LINK = "casebook:original"

# Colours that carry meaning: a reviewer scans findings before reading.
FINDING_COLOURS = {
    "misconduct_case_to_answer": ("#7a1f1f", "#f7dede"),
    "gross_misconduct_case_to_answer": ("#ffffff", "#9b1c1c"),
    "no_case_to_answer": ("#1f4d2b", "#dcefe1"),
    "unsatisfactory_performance": ("#6b4a00", "#fbeecb"),
    "learning_recommendations": ("#1d3f6e", "#dde8f7"),
    "criminal_referral": ("#ffffff", "#5b2a86"),
    "no_indication_of_misconduct": ("#2f4f4f", "#e3eeee"),
}


@dataclass
class RenderOptions:
    highlights: dict[str, str] | None = None  # field -> text with hit marks
    current_hit: int = -1
    include_review: bool = False  # status, tags and notes (print, PDF)
    include_source: bool = True
    for_print: bool = False


def text_html(text: str, hits: list[int] | None = None, current: int = -1) -> str:
    """Escaped paragraphs; hit marks become numbered highlight spans (counted in `hits`)."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{inline_html(p, hits, current)}</p>" for p in paragraphs)


def inline_html(text: str, hits: list[int] | None = None, current: int = -1) -> str:
    out = escape(text).replace("\n", "<br>")
    if hits is None:
        return out.replace(HIT_START, "").replace(HIT_END, "")
    parts = out.split(HIT_START)
    html = [parts[0]]
    for part in parts[1:]:
        number = len(hits)
        hits.append(number)
        css = "hitnow" if number == current else "hit"
        inner, _, rest = part.partition(HIT_END)
        html.append(f'<a name="hit-{number}"></a><span class="{css}">{inner}</span>{rest}')
    return "".join(html)


def _row(label: str, value: str) -> str:
    return f"<tr><th>{escape(label)}</th><td>{value or '—'}</td></tr>"


def render_case(case: Case, options: RenderOptions | None = None) -> tuple[str, int]:
    """The case as an HTML fragment, and how many search hits it shows."""
    o = options or RenderOptions()
    marked = o.highlights or {}
    hits: list[int] | None = [] if marked else None

    def field(name: str, plain: str) -> str:
        return marked.get(name) or plain

    parts = [f'<h1 class="title">{inline_html(field("title", case.title), hits, o.current_hit)}</h1>']
    meta = [
        _row("Reference", escape(case.reference or "")),
        _row("Force", escape(case.force or "")),
        _row("Incident", escape(case.incident.text if case.incident else "")),
        _row("First date in text", escape(long_date(case.incident_date))),
        _row("Published", escape(long_date(case.published))),
        _row("Category", escape(case.category or "")),
    ]
    if case.kind == "learning":
        meta.append(_row("Kind", "Learning recommendation"))
    if o.include_review:
        meta.append(_row("Review status", escape(status_label(case.status))))
        meta.append(_row("Tags", escape(", ".join(case.tags))))
    parts.append(f'<table class="meta" cellspacing="0" cellpadding="3">{"".join(meta)}</table>')

    if case.findings:
        labels = []
        for label in case.findings:
            fg, bg = FINDING_COLOURS.get(label, ("#222222", "#eeeeee"))
            labels.append(
                f'<span class="finding" style="color:{fg}; background-color:{bg};">'
                f"&nbsp;{escape(finding_title(label))}&nbsp;</span>"
            )
        parts.append(f'<p class="findings">{"&nbsp; ".join(labels)}</p>')
    else:
        parts.append('<p class="findings none">No findings were recognised in the text.</p>')

    parts.append("<h2>Summary</h2>")
    parts.append(
        text_html(field("narrative", case.narrative), hits, o.current_hit)
        or '<p class="empty">The file has no narrative text.</p>'
    )
    if case.recommendations:
        parts.append("<h2>Recommendations</h2>")
        parts.append(text_html(field("recommendations", case.recommendations), hits, o.current_hit))
    if o.include_review and case.notes.strip():
        parts.append('<h2>Reviewer’s notes</h2><div class="notes">')
        parts.append(text_html(field("notes", case.notes.replace("\n", "\n\n")), hits, o.current_hit))
        parts.append("</div>")
    if case.source_tags and not o.include_review:
        parts.append(f'<p class="topics">Topics on the page: {escape(", ".join(case.source_tags))}</p>')
    if case.warnings and (o.include_review or not o.for_print):
        items = "".join(f"<li>{escape(w)}</li>" for w in case.warnings)
        parts.append(f'<h2>Import notes</h2><ul class="warnings">{items}</ul>')
    if o.include_source:
        parts.append(_source_html(case, o.for_print))
    return "".join(parts), len(hits or [])


def _source_html(case: Case, for_print: bool) -> str:
    rows = [
        _row("File", escape(case.source_name or "")),
        _row("Imported", escape((case.imported_at or "").replace("T", " ").replace("+00:00", " UTC"))),
        _row("Encoding", escape(case.source_encoding or "")),
        _row("SHA-256", f'<span class="hash">{escape(case.source_sha256 or "")}</span>'),
    ]
    link = "" if for_print else f'<p><a href="{ORIGINAL_LINK}">Show the original text of the file</a></p>'
    table = f'<table class="meta source" cellspacing="0" cellpadding="3">{"".join(rows)}</table>'
    return f"<h2>Source</h2>{table}{link}"


SCREEN_CSS = """
body { font-size: 10.5pt; }
h1.title { font-size: 13.5pt; font-weight: 600; margin-bottom: 6px; }
h2 { font-size: 11pt; font-weight: 600; margin-top: 14px; margin-bottom: 4px; color: #34495e; }
table.meta th { text-align: left; font-weight: normal; color: #5d6d7e; padding-right: 12px; }
table.meta td { padding-right: 8px; }
span.hash { font-family: monospace; font-size: 9pt; }
span.finding { font-weight: 600; }
p.findings.none, p.empty, p.topics { color: #6b7785; }
span.hit { background-color: #ffe58a; }
span.hitnow { background-color: #ff9f1c; }
ul.warnings { color: #7a4b00; }
"""
