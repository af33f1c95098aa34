"""Dates as summaries write them, parsed with python-dateutil.

Regular expressions only find where a date may be; dateutil decides whether it
is one and what it means. Precision (day, month or year) is found by parsing
twice with two different defaults: a component that changes with the default
was not in the text.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from dateutil import parser as dateparser

from .records import FuzzyDate

_DEFAULT_A = datetime(4, 1, 1)  # leap years, so "29 February" parses
_DEFAULT_B = datetime(8, 2, 2)
_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Joins between the two ends of a period: "February and March", "Feb–March", "May to June".
_RANGE_SPLIT = re.compile(r"\s*(?:[–—-]|\bto\b|\band\b|&|/)\s*", re.IGNORECASE)
# Words that may lead a period without changing it: "between May and June 2019".
_LEAD_WORDS = re.compile(r"^(?:between|from|in|during|early|mid|late)\s+", re.IGNORECASE)
_ORDINAL_OF = re.compile(r"(\d)(?:st|nd|rd|th)\s+of\b", re.IGNORECASE)

# Where a full date may be written in running text. dateutil checks each one.
_FULL_DATE_CANDIDATES = (
    # 27 July 2016, 3rd of November 2017, 08 Oct. 2018
    re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}\b"),
    # July 27, 2016
    re.compile(r"\b[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b"),
    # 27/07/2016, 27.07.2016
    re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b"),
    # 2016-07-27
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
)


def _parse_one(text: str, default_year: int | None = None) -> tuple[date, date, str] | None:
    """Parse one date expression to (first day, last day, precision), or None."""
    text = text.strip(" ,.")
    if not text:
        return None
    if _ISO.match(text):
        try:
            d = dateparser.isoparse(text).date()
        except ValueError:
            return None
        return d, d, "day"
    text = _ORDINAL_OF.sub(r"\1", text)
    try:
        a = dateparser.parse(text, default=_DEFAULT_A, dayfirst=True)
        b = dateparser.parse(text, default=_DEFAULT_B, dayfirst=True)
    except (ValueError, OverflowError, TypeError):
        return None
    if a.hour or a.minute or a.second:
        return None  # a clock time, not a date
    has_year, has_month, has_day = a.year == b.year, a.month == b.month, a.day == b.day
    year = a.year if has_year else default_year
    if year is None or not 1800 <= year <= 2199:
        return None
    if has_day and not has_month:
        return None  # "the 5th": not a date on its own
    if has_month and has_day:
        d = date(year, a.month, a.day)
        return d, d, "day"
    if has_month:
        last = calendar.monthrange(year, a.month)[1]
        return date(year, a.month, 1), date(year, a.month, last), "month"
    return date(year, 1, 1), date(year, 12, 31), "year"


def parse_period(text: str) -> FuzzyDate | None:
    """A period as written in a title: "July 2016", "February and March 2018", "2019".

    Returns None when the text is not a date at all.
    """
    written = " ".join(text.split())
    if not _YEAR.search(written) or len(written) > 60:
        return None
    body = _LEAD_WORDS.sub("", written)
    parts = [p for p in _RANGE_SPLIT.split(body) if p.strip()]
    if not parts or len(parts) > 2:
        return None
    last = _parse_one(parts[-1])
    if last is None:
        return None
    first = _parse_one(parts[0], default_year=last[0].year) if len(parts) == 2 else last
    if first is None:
        return None
    start, end = first[0], last[1]
    if end < start:  # "December and January 2019": the first month is in the year before
        if first[2] == "month":
            start = start.replace(year=start.year - 1)
        else:
            start, end = end, start
    precision = first[2] if _rank(first[2]) > _rank(last[2]) else last[2]
    return FuzzyDate(written, start, end, precision)


def _rank(precision: str) -> int:
    """Coarser precision ranks higher: a period is only as precise as its coarsest end."""
    return ("day", "month", "year").index(precision)


def parse_day(text: str) -> FuzzyDate | None:
    """A single date such as a publication date: "08 Oct 2018", "8 October 2018", "2018-10-08".

    Month or year precision is kept when that is all the text gives.
    """
    written = " ".join(text.split()).strip(" .,")
    if not _YEAR.search(written) or len(written) > 40:
        return None
    parsed = _parse_one(written)
    if parsed is None:
        return None
    return FuzzyDate(written, parsed[0], parsed[1], parsed[2])


def first_full_date(text: str) -> FuzzyDate | None:
    """The first date in running text that names a day, month and year."""
    found: list[tuple[int, str]] = []
    for pattern in _FULL_DATE_CANDIDATES:
        found.extend((m.start(), m.group()) for m in pattern.finditer(text))
    for _, candidate in sorted(found):
        parsed = _parse_one(candidate)
        if parsed and parsed[2] == "day":
            return FuzzyDate(candidate.strip(" ,."), parsed[0], parsed[1], "day")
    return None
