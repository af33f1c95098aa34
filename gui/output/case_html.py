"""One HTML rendering of a case, for the detail pane, printing and PDF.

Everything that came from a file or a reviewer is escaped here (with
`safe_text.escaped`) and nowhere else is HTML built from case text.

Search hits are not part of the HTML: the detail pane marks them on the laid-out
document (see detail_view.py), which `text_positions` maps back to the case's
fields. For that, the text of the title and of every paragraph of the narrative
and recommendations is laid out exactly as written (`white-space: pre-wrap`: no
spaces collapsed), one character of the field for one position of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.records import Case

from ..formatting import event_date, finding_title, long_date, status_label
from ..safe_text import cell_text, escaped, shown

ORIGINAL_LINK = "casebook:original"
TEXT_CSS = "h1.title, p.text { white-space: pre-wrap; } .cut { margin-bottom: 0; } .more { margin-top: 0; }"
LONGEST = 2000
"""Qt lays a paragraph out whole before it shows any of it (a 5 MB one took 2.7 s), so a longer
paragraph is laid out as blocks of at most this many characters, cut after a space, with no
space between them."""

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
_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
"""Lines not separated by a blank line."""
_HEADINGS = {"narrative": "Summary", "recommendations": "Recommendations"}
_BLOCK = "\u2029"  # between two paragraphs in a document's raw text
_TABLE_END = "\ufdd1"  # the end of a table in a document's raw text


@dataclass
class RenderOptions:
    include_review: bool = False  # status, tags and notes (print, PDF)
    include_source: bool = True
    for_print: bool = False
    with_reading: bool = False  # each finding's evidence and the chronology (the review report)


def paragraphs(text: str) -> list[tuple[int, str, str]]:
    """The blocks a field is laid out in: (where it starts in the field, its text, its CSS
    classes: "cut" when the next block goes on with its paragraph, "more" when it goes on with
    the one before)."""
    blocks: list[tuple[int, str, str]] = []
    for m in _PARAGRAPH.finditer(text):
        if not m.group().strip():
            continue
        start, end, more = m.start(), m.end(), ""
        while end - start > LONGEST:
            cut = max(text.rfind(" ", start, start + LONGEST), text.rfind("\n", start, start + LONGEST)) + 1
            cut = cut if cut > start else start + LONGEST
            blocks.append((start, text[start:cut], f"cut {more}".strip()))
            start, more = cut, "more"
        blocks.append((start, text[start:end], more))
    return blocks


def text_html(text: str, tag: str = "p", css: str = "text") -> str:
    """Escaped paragraphs, laid out as written."""
    return "".join(
        f'<{tag} class="{f"{css} {kind}".strip()}">{inline_html(block)}</{tag}>'
        for _, block, kind in paragraphs(text)
    )


def inline_html(text: str) -> str:
    return escaped(text).replace("\n", "<br>")


def _as_laid_out(text: str) -> str:
    """A paragraph as it is in a document's raw text (a line break inside it is U+2028)."""
    return shown(text).replace("\n", "\u2028")


def text_positions(raw: str, case: Case) -> dict[str, list[tuple[int, int, int]]]:
    """Where the paragraphs of the highlighted fields are in the document `render_case` made,
    from its raw text (`QTextDocument.toRawText()`, one character per document position):
    {field: [(start in the field, position in the document, length)]}.

    The title comes first; the narrative follows the "Summary" heading, the first heading after
    the table of details; the recommendations follow their heading. Each block is checked
    against the raw text, and a field stops at the first that does not match (a block Qt laid
    out other than as written has no hits marked).
    """
    found: dict[str, list[tuple[int, int, int]]] = {}
    heading = raw.find(f"{_BLOCK}{_HEADINGS['narrative']}{_BLOCK}", raw.find(_TABLE_END) + 1)
    starts = {"title": 0, "narrative": heading + len(_HEADINGS["narrative"]) + 2 if heading >= 0 else -1}
    position = 0
    for name in ("title", "narrative", "recommendations"):  # the recommendations follow the narrative
        position = starts.get(name, position)
        if name == "recommendations" and position >= 0:
            marker = f"{_HEADINGS[name]}{_BLOCK}"
            position = position + len(marker) if raw.startswith(marker, position) else -1
        spans = found[name] = []
        for start, block, _ in paragraphs(getattr(case, name) or "") if position >= 0 else ():
            if not raw.startswith(_as_laid_out(block), position):
                position = -1
                break
            spans.append((start, position, len(block)))
            position += len(block) + 1
    return found


def _row(label: str, value: str) -> str:
    return f"<tr><th>{escaped(label)}</th><td>{value or '—'}</td></tr>"


def _short(text: str | None) -> str:
    """A detail (a force, a tag, a warning…) escaped, at most a list cell's length of it."""
    return escaped(cell_text(text))


def render_case(case: Case, options: RenderOptions | None = None) -> str:
    """The case as an HTML fragment."""
    o = options or RenderOptions()
    parts = [text_html(case.title, "h1", "title")]
    meta = [
        _row("Reference", _short(case.reference)),
        _row("Force", _short(case.force)),
        _row("Incident", _short(case.incident.text if case.incident else "")),
        _row("First date in text", _short(long_date(case.incident_date))),
        _row("Published", _short(long_date(case.published))),
        _row("Category", _short(case.category)),
    ]
    if case.kind == "learning":
        meta.append(_row("Kind", "Learning recommendation"))
    if o.include_review:
        meta.append(_row("Review status", escaped(status_label(case.status))))
        meta.append(_row("Tags", _short(", ".join(case.tags))))
    parts.append(f'<table class="meta" cellspacing="0" cellpadding="3">{"".join(meta)}</table>')

    if case.findings:
        labels = []
        for label in case.findings:
            fg, bg = FINDING_COLOURS.get(label, ("#222222", "#eeeeee"))
            labels.append(
                f'<span class="finding" style="color:{fg}; background-color:{bg};">'
                f"&nbsp;{escaped(finding_title(label))}&nbsp;</span>"
            )
        parts.append(f'<p class="findings">{"&nbsp; ".join(labels)}</p>')
    else:
        parts.append('<p class="findings none">No findings were recognised in the text.</p>')
    if o.with_reading:
        parts.append(_evidence_html(case) + _chronology_html(case))

    parts.append(f"<h2>{_HEADINGS['narrative']}</h2>")
    parts.append(text_html(case.narrative) or '<p class="empty">The file has no narrative text.</p>')
    if case.recommendations:
        parts.append(f"<h2>{_HEADINGS['recommendations']}</h2>")
        parts.append(text_html(case.recommendations))
    if o.include_review and case.notes.strip():
        parts.append('<h2>Reviewer’s notes</h2><div class="notes">')
        parts.append(text_html(case.notes.replace("\n", "\n\n")))
        parts.append("</div>")
    if case.source_tags and not o.include_review:
        parts.append(f'<p class="topics">Topics on the page: {_short(", ".join(case.source_tags))}</p>')
    if case.warnings and (o.include_review or not o.for_print):
        items = "".join(f"<li>{_short(w)}</li>" for w in case.warnings)
        parts.append(f'<h2>Import notes</h2><ul class="warnings">{items}</ul>')
    if o.include_source:
        parts.append(_source_html(case, o.for_print))
    return "".join(parts)


def _evidence_html(case: Case) -> str:
    """Each finding with the sentences it was read from (or who gave it)."""
    parts = []
    for label in case.findings:
        passages = [case.passage(e) for e in case.evidence if e.label == label]
        if not passages and label in case.findings_added:
            passages = ["Given by the reviewer."]
        items = "".join(f"<li>{_short(p)}</li>" for p in passages) or "<li>No passage was kept.</li>"
        title = escaped(finding_title(label))
        parts.append(f'<p class="evidence">{title}</p><ul class="evidence">{items}</ul>')
    for label in case.findings_removed:
        title = escaped(finding_title(label))
        parts.append(f'<p class="evidence removed">{title}: taken off by the reviewer</p>')
    return f"<h2>Findings and their evidence</h2>{''.join(parts)}" if parts else ""


def _chronology_html(case: Case) -> str:
    if not case.chronology:
        return ""
    rows = "".join(
        f"<tr><th>{escaped(event_date(e.date, e.precision))}</th>"
        f"<td>{_short(e.sentence(case.narrative))}</td></tr>"
        for e in case.chronology
    )
    return f'<h2>Chronology</h2><table class="meta chronology" cellspacing="0" cellpadding="3">{rows}</table>'


def _source_html(case: Case, for_print: bool) -> str:
    rows = [
        _row("File", _short(case.source_name)),
        _row("Imported", escaped((case.imported_at or "").replace("T", " ").replace("+00:00", " UTC"))),
        _row("Encoding", _short(case.source_encoding)),
        _row("SHA-256", f'<span class="hash">{_short(case.source_sha256)}</span>'),
    ]
    link = "" if for_print else f'<p><a href="{ORIGINAL_LINK}">Show the original text of the file</a></p>'
    table = f'<table class="meta source" cellspacing="0" cellpadding="3">{"".join(rows)}</table>'
    return f"<h2>Source</h2>{table}{link}"


def screen_css(text: str, muted: str, warning: str) -> str:
    """The detail pane's style in the colours of the window's palette (light, dark or high
    contrast): `text` for headings, `muted` for labels and hints, `warning` for import notes.
    Finding chips carry their own background, so their colours hold on any palette.
    Headings are sized in words: Qt sizes h1 and h2 by their level whatever pt they are given
    (a 12.5pt title was shown at 18pt and took six lines of the pane)."""
    return TEXT_CSS + f"""
body {{ font-size: 10.5pt; }}
h1.title {{ font-size: x-large; font-weight: 600; margin-bottom: 6px; }}
h2 {{ font-size: large; font-weight: 600; margin-top: 14px; margin-bottom: 4px; color: {text}; }}
table.meta th {{ text-align: left; font-weight: normal; color: {muted}; padding-right: 12px; }}
table.meta td {{ padding-right: 8px; }}
span.hash {{ font-family: monospace; font-size: 9pt; }}
span.finding {{ font-weight: 600; }}
p.findings.none, p.empty, p.topics, p.hint {{ color: {muted}; }}
ul.warnings {{ color: {warning}; }}
"""
