"""How dates, statuses and findings are written on screen and on paper."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale

from storage.reading.findings import FINDING_BY_LABEL
from storage.records import STATUS_LABELS, FuzzyDate

LOCALE = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def short_date(iso: str | None) -> str:
    """'2018-10-08' -> '8 Oct 2018' (for the list)."""
    if not iso:
        return ""
    d = date.fromisoformat(iso)
    return LOCALE.toString(QDate(d.year, d.month, d.day), "d MMM yyyy")


def long_date(when: FuzzyDate | None) -> str:
    """A date as precise as it is known: '8 October 2018', 'July 2016', or the words as written."""
    if when is None:
        return ""
    if when.is_range:
        return when.text
    d = QDate(when.start.year, when.start.month, when.start.day)
    pattern = {"day": "d MMMM yyyy", "month": "MMMM yyyy", "year": "yyyy"}[when.precision]
    return LOCALE.toString(d, pattern)


def event_date(iso: str, precision: str) -> str:
    """An event's date at its precision: '3 May 2019', 'May 2019', '2019'."""
    parts = [int(p) for p in iso.split("-")]
    d = QDate(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return LOCALE.toString(d, {"day": "d MMMM yyyy", "month": "MMMM yyyy"}.get(precision, "yyyy"))


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def finding_title(label: str) -> str:
    finding = FINDING_BY_LABEL.get(label)
    return finding.title if finding else label.replace("_", " ").capitalize()


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def spread(low: str, high: str) -> str:
    """A range as said: 'between 5 months and 9 months', or 'about 7 months' once both ends
    read the same."""
    return f"about {low}" if low == high else f"between {low} and {high}"
