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
EVENT_LINK = "casebook:event/"  # + the number of a timeline entry
FINDING_LINK = "casebook:finding/"  # + a finding's label
CORRECT_LINK = "casebook:correct-findings"
TIMELINE_SHOWN = 200
"""Timeline entries shown at most (a hostile file may date thousands of sentences)."""
DATES_SHOWN = 12
"""Dates of one sentence shown at most."""
SENTENCE_SHOWN = 400
"""Characters of a sentence a timeline entry or a piece of evidence shows; the text has it whole."""
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


@dataclass(frozen=True)
class TimelineEntry:
    """The dates of one sentence of the narrative, in the order written, and where it is."""

    dates: tuple[str, ...]
    start: int
    end: int


def timeline(case: Case, limit: int = TIMELINE_SHOWN + 1) -> list[TimelineEntry]:
    """The case's events in text order, the dates of one sentence together (at most `limit`)."""
    entries: list[TimelineEntry] = []
    for event in case.chronology:
        start, end = event.sentence_span(case.narrative)
        when = event_date(event.date, event.precision)
        if entries and entries[-1].start == start:
            entries[-1] = TimelineEntry((*entries[-1].dates, when), start, end)
        elif len(entries) == limit:
            break
        else:
            entries.append(TimelineEntry((when,), start, end))
    return entries


def _quoted(text: str) -> str:
    """A sentence as a timeline entry or evidence shows it: on one line, at most SENTENCE_SHOWN."""
    text = " ".join(text.split())
    return escaped(text if len(text) <= SENTENCE_SHOWN else text[:SENTENCE_SHOWN] + "…")


def _timeline_html(case: Case, for_print: bool) -> str:
    entries = timeline(case)
    if not entries:
        return ""
    rows = []
    for number, entry in enumerate(entries[:TIMELINE_SHOWN]):
        shown_dates = [*entry.dates[:DATES_SHOWN], "…"] if len(entry.dates) > DATES_SHOWN else entry.dates
        dates = "<br>".join(escaped(d).replace(" ", "&nbsp;") for d in shown_dates)  # a date to a line
        when = dates if for_print else f'<a href="{EVENT_LINK}{number}">{dates}</a>'
        sentence = _quoted(case.narrative[entry.start : entry.end])
        rows.append(f'<tr><td class="when">{when}</td><td>{sentence}</td></tr>')
    more = ""
    if len(entries) > TIMELINE_SHOWN:
        more = f'<p class="more-events">The first {TIMELINE_SHOWN} dated sentences are listed.</p>'
    table = f'<table class="timeline" cellspacing="0" cellpadding="2">{"".join(rows)}</table>'
    return f"<h2>Timeline</h2>{table}{more}"


def _chip(label: str, link: bool, removed: bool = False) -> str:
    """A finding as a coloured chip; a link that marks its evidence, or struck through."""
    fg, bg = ("#6b7785", "#eeeeee") if removed else FINDING_COLOURS.get(label, ("#222222", "#eeeeee"))
    text = f"&nbsp;{escaped(finding_title(label))}&nbsp;"
    colours = f"color:{fg}; background-color:{bg};"
    if link:
        text = f'<a href="{FINDING_LINK}{escaped(label)}" style="{colours} text-decoration:none;">{text}</a>'
    if removed:
        return f'<span class="finding removed" style="{colours} text-decoration:line-through;">{text}</span>'
    return f'<span class="finding" style="{colours}">{text}</span>'


def _findings_html(case: Case, for_print: bool) -> str:
    """The findings as coloured chips (on screen, links that mark their evidence); findings a
    reviewer took off struck through; on paper, the sentences that gave each."""
    chips = [_chip(label, not for_print) for label in case.findings]
    chips += [_chip(label, False, removed=True) for label in case.findings_removed]
    parts = []
    if chips:
        parts.append(f'<p class="findings">{"&nbsp; ".join(chips)}</p>')
    else:
        parts.append('<p class="findings none">No findings were recognised in the text.</p>')
    changed = [f"added {finding_title(f)}" for f in case.findings_added]
    changed += [f"took off {finding_title(f)}" for f in case.findings_removed]
    note = f"Corrected by a reviewer: {'; '.join(changed)}." if changed else ""
    if for_print:
        parts.append(f'<p class="corrected">{escaped(note)}</p>' if note else "")
        parts.append(_evidence_html(case))
    else:
        hint = "Click a finding to mark the sentences that gave it." if case.evidence else ""
        link = f'<a href="{CORRECT_LINK}">Correct the findings…</a>'
        parts.append(f'<p class="corrected">{escaped(" ".join(filter(None, (note, hint))))} {link}</p>')
    return "".join(parts)


def _evidence_html(case: Case) -> str:
    """The sentences that gave each finding, a finding to a row (for paper)."""
    quotes: dict[str, list[str]] = {}
    for e in case.evidence:
        if e.label in case.findings:
            quotes.setdefault(e.label, []).append(f"“{_quoted(case.passage(e))}”")
    rows = [
        f'<tr><td class="when">{escaped(finding_title(label))}</td><td>{"<br>".join(found)}</td></tr>'
        for label, found in quotes.items()
    ]
    if not rows:
        return ""
    table = f'<table class="timeline evidence" cellspacing="0" cellpadding="2">{"".join(rows)}</table>'
    return f'<p class="corrected">The sentences that gave them:</p>{table}'


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

    parts.append(_findings_html(case, o.for_print))
    parts.append(_timeline_html(case, o.for_print))
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
h1.title {{ font-size: large; font-weight: 600; margin-bottom: 6px; }}
h2 {{ font-size: medium; font-weight: 600; margin-top: 14px; margin-bottom: 4px; color: {text}; }}
table.meta th {{ text-align: left; font-weight: normal; color: {muted}; padding-right: 12px; }}
table.meta td {{ padding-right: 8px; }}
span.hash {{ font-family: monospace; font-size: 9pt; }}
span.finding {{ font-weight: 600; }}
p.findings.none, p.empty, p.topics, p.hint, p.corrected, p.more-events {{ color: {muted}; }}
p.corrected {{ font-size: 9.5pt; }}
table.timeline td {{ vertical-align: top; padding-bottom: 3px; }}
table.timeline td.when {{ padding-right: 10px; }}
ul.warnings {{ color: {warning}; }}
"""
