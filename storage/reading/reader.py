"""Read one summary file into a `CaseRecord`, or a plain-words reason why not.

The layout (docs/ARCHITECTURE.md, "The summaries we read") is a title line
"<subject> - <force>, <Month YYYY>", an optional "Published <date>" line and category
line, narrative paragraphs, and an "IOPC reference" block that may carry a number,
recommendation headings and bullet tags. Real files bend every part of that, so each part is found by what
it looks like rather than by where it is.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

from ..records import CaseRecord, FuzzyDate, ReadResult, ReadWarning, SourceFile, display_name, text_digest
from .chronology import read_chronology
from .dates import first_full_date, parse_day, parse_period
from .decoding import MAX_BYTES, Unreadable, ascii_digits, decode, too_large_reason
from .findings import read_findings
from .minhash import signature

log = logging.getLogger(__name__)

TITLE_WINDOW = 60
"""How many lines at the top of a file may hold page furniture before the title."""
FAR_TITLE_WINDOW = 400
"""How far down a full title ("Subject - Force, Month Year") is looked for when none is higher."""
SHORT_LINE = 80
"""Labels, headings and tags are shorter than this; longer lines are prose."""
MARKS_PER_LETTER = 8
"""The combining marks a title may carry a letter, on average over the longest title allowed:
a line longer still is no title, however little it shows, so hostile text stays quick to read."""

# " - ", " – ", " — ", " | ", and a dash typed against the word before it: "examination– Kent Police"
_SEPARATOR = re.compile(r"(?:\s+[-–—|]{1,2}|[–—])\s+")
# Also an em dash without spaces ("Dyfed-Powys" and "May–June" have none); slower, so only
# used on a title that holds one.
_SEPARATOR_OR_EM_DASH = re.compile(r"(?:\s+[-–—|]{1,2}|[–—])\s+|—")
_FORCE_WORDS = re.compile(
    r"\b(?:police|constabulary|service|agency|force|office|customs|heddlu|commissioner)\b",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(r"^(?:first\s+|date\s+)?published(?:\s+on)?\s*:?\s*(?P<date>.*)$", re.IGNORECASE)
_TRAILING_TIME = re.compile(
    r"[,\s]+(?:at\s+)?\d{1,2}(?:[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)$", re.IGNORECASE
)
_REF_LABEL = re.compile(
    r"^(?:(?:IOPC|IPCC)\s+)?(?:case\s+)?reference(?:\s+(?:number|no\.?))?\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_REF_NUMBER = re.compile(r"^(?P<ref>[0-9]{4}/[0-9]{4,7})\b")
"""Matched against `ascii_digits` text: a reference is stored in ASCII digits, however written."""
_HEADINGS = {
    "dates": re.compile(r"^date\s+(?:of\s+recommendations?|(?:of\s+)?response\s+due)\b", re.IGNORECASE),
    "recommendations": re.compile(r"^(?:learning\s+)?recommendations?\s*:?$", re.IGNORECASE),
    "response": re.compile(
        r"^(?:(?:not\s+|partially\s+)?accepted|(?:force\s+)?response)\s*:?$", re.IGNORECASE
    ),
    "tags": re.compile(r"^(?:tags|topics)\s*:?$", re.IGNORECASE),
}
_BULLET = re.compile(r"^\s*[•·▪◦‣●*–-]\s+(?P<text>\S.*)$")
_CATEGORY = re.compile(r"^[A-Z][A-Za-z&' -]{2,40}$")
_SENTENCE_ENDS = ".!?)\"'’”»"


def _ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in _SENTENCE_ENDS if text.strip() else False


_CASE_WORDS = re.compile(
    r"\b(?:police|officers?|constabulary|IOPC|IPCC|investigat\w*|custody|arrest\w*)\b",
    re.IGNORECASE,
)
_SITE_SUFFIX = re.compile(r"\s+\|\s+[^|]+$")
_LAST_UPDATED = re.compile(r"^last\s+(?:updated|modified|reviewed)\b", re.IGNORECASE)

# Lines of web-page text seen around pasted summaries. Compared lower-cased.
FURNITURE = frozenset(
    {
        "skip to main content",
        "skip to content",
        "menu",
        "search",
        "home",
        "our work",
        "investigation summaries",
        "share this page",
        "share",
        "print this page",
        "print",
        "back to top",
        "was this page useful?",
        "is this page useful?",
        "yes",
        "no",
        "accept all cookies",
        "reject all cookies",
        "cookie settings",
        "contact us",
        "privacy notice",
        "accessibility",
        "sitemap",
        "independent office for police conduct",
        "independent police complaints commission",
        "facebook",
        "twitter",
        "x",
        "linkedin",
        "whatsapp",
        "email",
        "copy link",
    }
)
# Words a summary uses as section headings: never its category line.
SECTION_HEADINGS = frozenset(
    {
        "background",
        "summary",
        "introduction",
        "overview",
        "what happened",
        "findings",
        "our findings",
        "key findings",
        "outcome",
        "outcomes",
        "conclusion",
        "conclusions",
        "details",
        "next steps",
    }
)
CATEGORY_WORDS = frozenset({"investigation", "learning"})
"""The category lines of the summaries seen so far."""


def _is_furniture(line: str) -> bool:
    low = line.strip().lower()
    if low in FURNITURE or low.startswith(("©", "copyright", "we use cookies", "this site uses")):
        return True
    words = low.split()
    return len(words) <= 12 and any(sep in low for sep in (" > ", " › ", " » "))


def _clean_line(line: str) -> str:
    """Collapse runs of spaces and tabs."""
    # Most lines are clean already, which is quicker to see than to split and join: the only
    # white space a printable text holds is the plain space.
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line
    return " ".join(line.split())


def _shows_more_than(text: str, limit: int) -> bool:
    """Whether `text` shows more than `limit` characters: a combining mark (an accent, or one of
    the hundreds stacked on a few letters of "Zalgo" text) takes no place of its own. Marks are
    counted, in C and a title's length at a time, only where they could make the difference."""
    if len(text) <= limit:
        return False
    if len(text) > limit * (MARKS_PER_LETTER + 1) or len(text.encode("ascii", "ignore")) > limit:
        return True  # far too long for any title, or more than `limit` ASCII characters
    shown = 0
    for start in range(0, len(text), limit + 1):
        # a mark has a combining class (0-240) other than 0
        shown += bytes(map(unicodedata.combining, text[start : start + limit + 1])).count(0)
        if shown > limit:
            return True
    return False


@dataclass
class _Title:
    text: str
    subject: str
    force: str | None
    period: FuzzyDate | None

    @property
    def score(self) -> int:
        return (2 if self.force else 0) + (2 if self.period else 0)


def _split_tail(tail: str) -> tuple[str | None, FuzzyDate | None]:
    """'Kent Police, May 2019' -> ('Kent Police', May 2019); a date needs the last comma."""
    head, comma, last = tail.rpartition(",")
    if comma:
        period = parse_period(last)
        if period and period.precision == "year":  # "Kent Police, May, 2019"
            before, comma, month = head.rpartition(",")
            fuller = parse_period(f"{month} {last}") if comma and len(month.split()) == 1 else None
            if fuller:
                head, period = before, fuller
        if period:
            return (head.strip(" ,") or None), period
    period = parse_period(tail)
    if period:
        return None, period
    return tail.strip(" ,"), None


def parse_title(line: str) -> _Title | None:
    """Split a title line into subject, force and incident period, or None if it is not one."""
    if _shows_more_than(line, 400) or line.rstrip().endswith("."):
        return None  # a sentence of the narrative, not a title
    text = _clean_line(line)
    site = _SITE_SUFFIX.search(text)
    if site:  # "… | IOPC": a site name, unless the title needs what follows the bar
        without = _parse_title_text(text[: site.start()])
        whole = _parse_title_text(text)
        return without if without and (not whole or without.score >= whole.score) else whole
    return _parse_title_text(text)


def _parse_title_text(text: str) -> _Title | None:
    if not text or _shows_more_than(text, 300) or text.endswith("."):
        return None
    best: _Title | None = None
    separator = _SEPARATOR_OR_EM_DASH if "—" in text else _SEPARATOR
    for m in reversed(list(separator.finditer(text))):
        subject, tail = text[: m.start()].strip(), text[m.end() :].strip()
        if not subject or not tail:
            continue
        force, period = _split_tail(tail)
        if force and not period and not _FORCE_WORDS.search(force):
            continue  # "Subject - something" without a date must at least name a force
        candidate = _Title(text, subject, force, period)
        if best is None or candidate.score > best.score:
            best = candidate
    if best is None:
        head, comma, last = text.rpartition(",")
        period = parse_period(last) if comma else None
        if period and head.strip():
            best = _Title(text, head.strip(), None, period)
    return best


def _find_title(lines: list[str]) -> tuple[int, _Title] | None:
    """Index and parts of the title line among the first lines of a file."""
    top = [(i, line) for i, line in enumerate(lines[:TITLE_WINDOW]) if line.strip()]
    shaped = []
    for i, line in top:
        title = parse_title(line)
        if title and title.score == 4:
            return i, title  # the usual case: the first line with a force and a date
        if title:
            shaped.append((i, title))
    published = next((i for i, line in top if _published_date(line) is not None), None)
    if published is not None:
        above = [
            (i, line) for i, line in top if i < published and not (_is_furniture(line) or _is_label(line))
        ]
        if above and _could_be_title(above[-1][1]):
            i, line = above[-1]
            return i, parse_title(line) or _plain_title(line)
    for i, line in enumerate(lines[TITLE_WINDOW:FAR_TITLE_WINDOW], TITLE_WINDOW):
        title = parse_title(line) if line.strip() else None
        if title and title.score == 4:
            return i, title  # below more page furniture than usual
    if shaped:
        return shaped[0]
    for i, line in top:
        if _is_furniture(line) or _is_label(line):
            continue
        return (i, _plain_title(line)) if _could_be_title(line) else None
    return None


def _is_label(line: str) -> bool:
    """A Published, Last updated, category, reference or heading line: never a title."""
    text = _clean_line(line)
    return (
        _published_date(text) is not None
        or bool(_LAST_UPDATED.match(text) or _REF_NUMBER.match(ascii_digits(text)) or _heading(text))
        or text.lower() in CATEGORY_WORDS
        or _reference_label(text)[0]
    )


def _could_be_title(line: str) -> bool:
    """Short and not a finished sentence: what a title without a force or date looks like."""
    text = _clean_line(line)
    return bool(text) and not _shows_more_than(text, 150) and not _ends_sentence(text)


def _plain_title(line: str) -> _Title:
    text = _clean_line(line)
    return _Title(text, text, None, None)


def _published_date(line: str) -> str | None:
    """The date text of a 'Published …' line, or None if the line is not one."""
    m = _PUBLISHED.match(line.strip())
    if not m:
        return None
    text = m.group("date").strip()
    if ":" in text or "." in text or text[-1:] in "mM":  # a time after the date: "…, 10:32am"
        text = _TRAILING_TIME.sub("", text)
    return text if text and len(text) <= 40 else None


def _heading(line: str) -> str | None:
    return next((name for name, rx in _HEADINGS.items() if rx.match(line)), None)


def _reference_label(line: str) -> tuple[bool, str | None]:
    """(is a reference label, number on the same line)."""
    m = _REF_LABEL.match(line)
    if not m:
        return False, None
    rest = m.group("rest").strip()
    number = _REF_NUMBER.match(ascii_digits(rest))
    if rest and not number:
        return False, None  # "Reference was made to …" is prose
    if not rest and not line.lower().startswith(("iopc", "ipcc")) and ":" not in line:
        # A bare "Reference" line counts only as an explicit label.
        return (line.strip().lower() in {"reference", "our reference"}), None
    return True, number.group("ref") if number else None


@dataclass
class _Body:
    narrative: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    tags: dict[str, None] = field(default_factory=dict)  # a dict keeps the order, without repeats
    trailing: list[str] = field(default_factory=list)
    reference: str | None = None
    reference_label: bool = False
    recommendation_section: bool = False
    last_text: str = ""


def _split_body(lines: list[str]) -> _Body:
    """Sort the lines after the header into narrative, reference block, recommendations, tags."""
    body = _Body()
    state = "narrative"
    buckets = {
        "narrative": body.narrative,
        "recs": body.recommendations,
        "after_ref": body.trailing,
        "tags": body.trailing,
    }
    for raw in lines:
        line = raw.strip()
        if not line:
            buckets[state].append("")
            continue
        if len(line) > SHORT_LINE and state in ("narrative", "recs") and not _BULLET.match(raw):
            buckets[state].append(line)  # prose: labels, headings and tags are all short
            body.last_text = line
            continue
        line = _clean_line(line)
        is_label, number = _reference_label(line)
        if is_label and (state != "recs" or not body.reference_label):
            body.reference_label = True
            body.reference = body.reference or number
            state = "after_ref"
            continue
        heading = _heading(line)
        if heading == "dates":
            body.recommendation_section = True
            continue
        if heading == "recommendations":
            body.recommendation_section = True
            state = "recs"
            continue
        if heading == "tags":
            state = "tags"
            continue
        if heading == "response" and state != "narrative":
            state = "recs"
        if state == "after_ref" and body.reference is None:
            number_match = _REF_NUMBER.match(ascii_digits(line))
            if number_match and (len(line) <= 20 or line[number_match.end() :].lstrip().startswith("(")):
                body.reference = number_match.group("ref")
                continue
        bullet = _BULLET.match(raw)
        if state in ("after_ref", "tags") and (bullet or (state == "tags" and len(line) <= 80)):
            tag = _clean_line(bullet.group("text")) if bullet else line
            body.tags[tag] = None
            state = "tags"
            continue
        buckets[state].append(line)
        if state in ("narrative", "recs"):
            body.last_text = line
    return body


def _paragraphs(lines: list[str]) -> list[str]:
    """Join lines into paragraphs: blank lines separate; single newlines separate whole
    sentences; a line broken mid-sentence is joined to the next. Runs of spaces become one."""
    paragraphs: list[str] = []
    current = ""
    more: list[str] = []  # lines that continue `current`, joined once: adding them one by one is quadratic
    for line in lines:
        if line and current and line[:1].islower() and not _ends_sentence(more[-1] if more else current):
            more.append(line)
            continue
        if current:
            if more:
                current = " ".join([current, *more])
                more.clear()
            paragraphs.append(_clean_line(current))
        current = line
    if current:
        paragraphs.append(_clean_line(" ".join([current, *more]) if more else current))
    while paragraphs and _is_furniture(paragraphs[-1]):
        paragraphs.pop()
    return paragraphs


def _header(lines: list[str], start: int) -> tuple[int, str | None, str | None, list[int]]:
    """Read the Published and category lines after the title (from line `start`).

    Returns (index where the narrative starts, published date text, category, indexes
    of later lines that are header lines, to leave out of the narrative). The
    Published line may come after other text; the category only right after the
    title or the Published line.
    """
    published = category = None
    i = start
    while i < len(lines):
        line = _clean_line(lines[i])
        if not line:
            pass
        elif published is None and (date_text := _published_date(line)) is not None:
            published = date_text
        elif _is_furniture(line) or (line[0] in "Ll" and _LAST_UPDATED.match(line)):
            pass
        elif category is None and _is_category(line):
            category = line
        else:
            break
        i += 1
    later: list[int] = []
    if published is None:  # it may come after other text
        for j in range(i, min(len(lines), start + TITLE_WINDOW)):
            if not lines[j] or len(lines[j]) > SHORT_LINE:
                continue  # blank, or prose
            line = _clean_line(lines[j])
            if _LAST_UPDATED.match(line):
                later.append(j)
            elif published is None and (text := _published_date(line)) and parse_day(text):
                published = text
                later.append(j)
                after = next((k for k in range(j + 1, len(lines)) if lines[k].strip()), None)
                if category is None and after is not None and _is_category(_clean_line(lines[after])):
                    category = _clean_line(lines[after])
                    later.append(after)
    return i, published, category, later


def _is_category(line: str) -> bool:
    return bool(
        _CATEGORY.match(line)
        and len(line.split()) <= 4
        and line.lower() not in SECTION_HEADINGS
        and not _heading(line)
        and not _reference_label(line)[0]
    )


def _title_from_file_name(name: str) -> str:
    stem = PurePath(name).stem
    return " ".join(re.sub(r"[_\-]+", " ", stem).split()) or "Untitled"


def read_case(data: bytes, name: str, path: str | None = None) -> ReadResult:
    """Read one file's bytes. Never raises: a failure comes back as `ReadResult.reason`."""
    source = SourceFile(name=name, sha256=hashlib.sha256(data).hexdigest(), data=data, path=path)
    try:
        decoded = decode(data)
        source.encoding = decoded.encoding
        record = _read_text(decoded.text, name, list(decoded.warnings))
    except Unreadable as e:
        return ReadResult(source, reason=e.reason)
    except Exception:  # a reader bug must not stop an import of thousands of files
        log.exception("reader failed on %s", path or name)
        return ReadResult(source, reason=INTERNAL_ERROR)
    return ReadResult(source, record=record)


INTERNAL_ERROR = (
    "Casebook could not read this file because of an internal error. The details are in the log file."
)
"""The reason given for a file the reader failed on: a bug, which tests must never accept."""


def _read_text(text: str, name: str, warnings: list[ReadWarning]) -> CaseRecord:
    lines = [line.rstrip() for line in text.split("\n")]
    found = _find_title(lines)

    def has_published() -> bool:
        return any(_published_date(line) is not None for line in lines[:TITLE_WINDOW])

    def has_reference() -> bool:
        return any(len(line) < SHORT_LINE and _reference_label(_clean_line(line))[0] for line in lines)

    if found is None:
        if not (has_published() or has_reference()):
            raise Unreadable(
                "This does not look like a case summary: it has no title line, "
                "no “Published” date and no IOPC reference."
            )
        title = _Title(_title_from_file_name(name), _title_from_file_name(name), None, None)
        title_index = -1
        warnings.append(
            ReadWarning("no_title", "No title line was found; the title was taken from the file name.")
        )
    else:
        title_index, title = found
        skipped = sum(1 for line in lines[:title_index] if line.strip())
        if skipped:
            warnings.append(
                ReadWarning(
                    "furniture",
                    f"Skipped {skipped} line{'s' if skipped != 1 else ''} of other text "
                    "above the title (web-page text).",
                )
            )

    narrative_start, published_text, category, header_lines = _header(lines, title_index + 1)
    body_lines = lines[narrative_start:]
    for i in header_lines:
        body_lines[i - narrative_start] = ""
    body = _split_body(body_lines)
    narrative = "\n\n".join(_paragraphs(body.narrative))
    recommendations = "\n\n".join(_paragraphs(body.recommendations))

    if (found is None or title.score < 2) and not (
        has_published() or has_reference() or _CASE_WORDS.search(narrative)
    ):
        raise Unreadable(
            "This does not look like a case summary: the first line is not a title "
            "(“Subject - Force, Month Year”) and there is no “Published” date, "
            "IOPC reference or mention of the police."
        )

    published = None
    if published_text is None:
        warnings.append(ReadWarning("no_published", "No “Published” date was found."))
    else:
        published = parse_day(published_text)
        if published is None:
            warnings.append(
                ReadWarning("bad_date", f"The published date “{published_text}” could not be read.")
            )
    if found is not None and not title.force:
        warnings.append(ReadWarning("no_force", "The title names no police force."))
    if found is not None and not title.period:
        warnings.append(ReadWarning("no_period", "The title gives no incident month or year."))
    if body.reference is None:
        warnings.append(
            ReadWarning("no_reference", "The IOPC reference label has no number.")
            if body.reference_label
            else ReadWarning("no_reference", "No IOPC reference was found.")
        )
    if not narrative:
        warnings.append(ReadWarning("no_narrative", "The summary has no narrative text."))
    if body.last_text and not _ends_sentence(body.last_text):
        warnings.append(ReadWarning("truncated", "The text stops mid-sentence; the file may be incomplete."))
    trailing = [line for line in body.trailing if line and not _is_furniture(line)]
    if trailing:
        warnings.append(
            ReadWarning(
                "trailing_text",
                f"{len(trailing)} line{'s' if len(trailing) != 1 else ''} after the reference "
                "did not fit the layout and were left out of the narrative.",
            )
        )

    subject = title.subject
    kind = "investigation"
    if re.match(r"^recommendations?\b", subject, re.IGNORECASE) or (
        category and category.lower().startswith("learning")
    ):
        kind = "learning"
    has_recommendations = body.recommendation_section or bool(recommendations)
    findings = read_findings(narrative, has_recommendations)
    return CaseRecord(
        title=title.text,
        subject=subject,
        force=title.force,
        kind=kind,
        category=category,
        incident=title.period,
        incident_date=first_full_date(narrative),
        published=published,
        reference=body.reference,
        narrative=narrative,
        recommendations=recommendations,
        source_tags=tuple(body.tags),
        findings=findings.labels,
        evidence=findings.evidence,
        chronology=read_chronology(narrative, title.period),
        warnings=tuple(warnings),
        digest=text_digest(text),
        minhash=signature(narrative, recommendations),
    )


def read_file(path: str) -> ReadResult:
    """Read a file from disk; an OS error becomes a reason, not an exception."""
    shown = display_name(path)
    name = PurePath(shown).name
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_BYTES:
                return _unreadable(path, name, too_large_reason(size))
            data = f.read(MAX_BYTES + 1)
    except PermissionError:
        return _unreadable(shown, name, "Casebook is not allowed to read this file (permission denied).")
    except IsADirectoryError:
        return _unreadable(shown, name, "This is a folder, not a file.")
    except OSError as e:
        return _unreadable(shown, name, f"The file could not be opened ({e.strerror or e}).")
    return read_case(data, name, shown)


def _unreadable(path: str, name: str, reason: str) -> ReadResult:
    return ReadResult(SourceFile(name=name, sha256="", data=b"", path=path), reason=reason)
