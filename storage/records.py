"""Plain records passed between the reader, the library and the front ends."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the reader's records, named only in annotations (reading imports this module)
    from .reading.chronology import Event
    from .reading.findings import Evidence

PRECISIONS = ("day", "month", "year")
STATUSES = ("new", "in_review", "reviewed", "flagged")
STATUS_LABELS = {
    "new": "New",
    "in_review": "In review",
    "reviewed": "Reviewed",
    "flagged": "Flagged",
}
KINDS = ("investigation", "learning")


@dataclass(frozen=True)
class FuzzyDate:
    """A date as the file wrote it, with how precise it is.

    "February and March 2018" is a month-precision period from 1 February to
    31 March; "2019" is a year; "3 November 2017" is a day.
    """

    text: str
    start: date
    end: date
    precision: str

    @property
    def is_range(self) -> bool:
        if self.precision == "day":
            return self.start != self.end
        if self.precision == "month":
            return (self.start.year, self.start.month) != (self.end.year, self.end.month)
        return self.start.year != self.end.year

    def month_iso(self) -> str | None:
        """'YYYY-MM' when the date names exactly one month (or a day in it)."""
        if self.precision == "year" or self.is_range:
            return None
        return f"{self.start.year:04d}-{self.start.month:02d}"

    @classmethod
    def from_db(
        cls, text: str | None, start: str | None, end: str | None, precision: str | None
    ) -> FuzzyDate | None:
        """Rebuild a stored date; None when nothing was stored."""
        if not start:
            return None
        first = date.fromisoformat(start)
        last = date.fromisoformat(end) if end else first
        return cls(text or start, first, last, precision or "day")

    def day_iso(self) -> str | None:
        if self.precision != "day" or self.is_range:
            return None
        return self.start.isoformat()


INFO = "info"
WARNING = "warning"
SEVERITY = {
    # Notes: normal variants of the site's pages, or what the reviewer did; nothing to check.
    "no_reference": INFO,  # many summaries give no IOPC reference number
    "no_published": INFO,  # older pages and learning notes have no "Published" line
    "furniture": INFO,  # web-page text above the title, left out
    "corrected": INFO,  # fields the reviewer corrected by hand before import
    # Warnings: the file or what was read from it may be wrong; worth a reviewer's look.
    "no_title": WARNING,
    "no_force": WARNING,
    "no_period": WARNING,
    "bad_date": WARNING,
    "no_narrative": WARNING,
    "truncated": WARNING,
    "trailing_text": WARNING,
    "encoding": WARNING,
    "bad_characters": WARNING,
    "nul_bytes": WARNING,
}
"""How much each of the reader's warning codes matters: the one place that says so."""


@dataclass(frozen=True)
class ReadWarning:
    """Something the reader noticed: a warning a reviewer may want to check or fix, or
    (with severity INFO) a note on a normal variant of the page."""

    code: str
    message: str

    @property
    def severity(self) -> str:
        return SEVERITY.get(self.code, WARNING)


def has_warnings(warnings: Iterable[ReadWarning]) -> bool:
    """Whether any of `warnings` is more than a note."""
    return any(w.severity == WARNING for w in warnings)


def by_severity(warnings: Iterable[ReadWarning]) -> list[ReadWarning]:
    """Warnings first, then notes, each in the order they were found."""
    return sorted(warnings, key=lambda w: w.severity != WARNING)


@dataclass
class CaseRecord:
    """One case as read from a summary file."""

    title: str
    subject: str
    force: str | None = None
    kind: str = "investigation"
    category: str | None = None
    incident: FuzzyDate | None = None  # from the title: "July 2016"
    incident_date: FuzzyDate | None = None  # first full date in the narrative
    published: FuzzyDate | None = None
    reference: str | None = None
    narrative: str = ""
    recommendations: str = ""
    source_tags: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()  # the passages that gave each finding
    chronology: tuple[Event, ...] = ()  # every dated event of the narrative
    warnings: tuple[ReadWarning, ...] = ()
    digest: str = ""  # text_digest() of the file's text: the same however it was saved
    minhash: bytes | None = None  # minhash.signature() of the narrative: the same in both layouts


def text_digest(text: str) -> str:
    """A hash of a file's decoded text: the same text saved as UTF-8, UTF-16 or
    Windows-1252, with any line endings, gives the same digest (decoding has already
    made those the same)."""
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def display_name(text: str) -> str:
    """A file name fit to store and show: bytes that are not UTF-8 (allowed in Linux
    file names, kept by Python as lone surrogates) become \ufffd instead of making the
    database, a report or a terminal refuse the text."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return text.encode("utf-8", "replace").decode("utf-8")


@dataclass
class SourceFile:
    """The file a case came from, kept byte for byte; its name and path as they can be stored."""

    name: str
    sha256: str
    data: bytes
    encoding: str | None = None
    path: str | None = None

    def __post_init__(self) -> None:
        self.name = display_name(self.name)
        self.path = display_name(self.path) if self.path is not None else None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class ReadResult:
    """What reading one file gave: a case record, or the reason there is none."""

    source: SourceFile
    record: CaseRecord | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.record is not None


@dataclass
class Case:
    """A case as the library holds it: what was read, plus the reviewer's fields."""

    id: int
    title: str
    subject: str
    reference: str | None
    force: str | None
    kind: str
    category: str | None
    incident: FuzzyDate | None
    incident_date: FuzzyDate | None
    published: FuzzyDate | None
    findings: tuple[str, ...]
    narrative: str
    recommendations: str
    source_tags: tuple[str, ...]
    warnings: tuple[str, ...]
    status: str
    tags: tuple[str, ...]
    notes: str
    updated_at: str | None
    source_name: str | None = None
    source_sha256: str | None = None
    source_encoding: str | None = None
    imported_at: str | None = None
    findings_read: tuple[str, ...] = ()  # as the reader found them; `findings` has the reviewer's say
    chronology: tuple[Event, ...] = ()  # the dated events of the narrative
    evidence: tuple[Evidence, ...] = ()  # the passages that gave the findings

    @property
    def findings_added(self) -> tuple[str, ...]:
        """Findings the reviewer gave the case that the reader did not find."""
        return tuple(f for f in self.findings if f not in self.findings_read)

    @property
    def findings_removed(self) -> tuple[str, ...]:
        """Findings the reader found that the reviewer took off the case."""
        return tuple(f for f in self.findings_read if f not in self.findings)

    def passage(self, evidence: Evidence) -> str:
        """The words a piece of evidence points at."""
        text = self.narrative if evidence.field == "narrative" else self.recommendations
        return text[evidence.start : evidence.end]

    def to_json(self) -> dict[str, Any]:
        """The case as plain JSON values, with the keys front ends and exports share."""
        return {
            "id": self.id,
            "reference": self.reference,
            "title": self.title,
            "subject": self.subject,
            "force": self.force,
            "kind": self.kind,
            "incident_month": self.incident.month_iso() if self.incident else None,
            "incident_period": self.incident.text if self.incident else None,
            "incident_date": self.incident_date.day_iso() if self.incident_date else None,
            "published": self.published.day_iso() if self.published else None,
            "category": self.category,
            "findings": list(self.findings),
            "findings_read": list(self.findings_read),
            "findings_corrected": {
                "added": list(self.findings_added),
                "removed": list(self.findings_removed),
            },
            "findings_evidence": [
                {"label": e.label, "field": e.field, "start": e.start, "end": e.end, "text": self.passage(e)}
                for e in self.evidence
            ],
            "chronology": [e.to_json(self.narrative) for e in self.chronology],
            "narrative": self.narrative,
            "recommendations": self.recommendations,
            "source_tags": list(self.source_tags),
            "warnings": list(self.warnings),
            "status": self.status,
            "tags": list(self.tags),
            "notes": self.notes,
            "source_name": self.source_name,
            "source_sha256": self.source_sha256,
            "imported_at": self.imported_at,
        }


@dataclass(frozen=True)
class CaseRow:
    """The few fields the case list shows."""

    id: int
    reference: str | None
    title: str
    force: str | None
    incident: str | None
    published: str | None
    status: str
    tags: tuple[str, ...]
    warnings: int
    subject: str = ""  # the title without the force and month the list shows in their own columns
