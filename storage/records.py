"""Plain records passed between the reader, the library and the front ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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

    def day_iso(self) -> str | None:
        if self.precision != "day" or self.is_range:
            return None
        return self.start.isoformat()


@dataclass(frozen=True)
class ReadWarning:
    """Something the reader noticed that a reviewer may want to check or fix."""

    code: str
    message: str


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
    warnings: tuple[ReadWarning, ...] = ()


@dataclass
class SourceFile:
    """The file a case came from, kept byte for byte."""

    name: str
    sha256: str
    data: bytes
    encoding: str | None = None
    path: str | None = None

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
