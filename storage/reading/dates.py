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
from functools import lru_cache

from dateutil import parser as dateparser

from ..records import FuzzyDate
from .decoding import ascii_digits

_DEFAULT_A = datetime(4, 1, 1)  # leap years, so "29 February" parses
_DEFAULT_B = datetime(8, 2, 2)
# A year 1800-2199. The word boundary before it is checked after its first two digits: a
# pattern that starts with \b is tried at every position, one that starts with a digit only
# where a 1 or 2 stands (three times quicker over a narrative).
_YEAR = re.compile(r"((?:1[89]|2[01])(?<=\b[0-9][0-9])[0-9][0-9])\b")
_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Joins between the two ends of a period: "February and March", "Feb–March", "May to June".
_RANGE_SPLIT = re.compile(r"\s*(?:[–—-]|\bto\b|\band\b|&|/)\s*", re.IGNORECASE)
# Words that may lead a period without changing it: "between May and June 2019".
_LEAD_WORDS = re.compile(r"^(?:between|from|in|during|early|mid|late)\s+", re.IGNORECASE)
_ORDINAL_OF = re.compile(r"([0-9])(?:st|nd|rd|th)\s+of\b", re.IGNORECASE)

# Where a full date may be written in running text; dateutil checks each candidate.
_FULL_DATE_CANDIDATES = re.compile(
    "|".join(
        (
            r"\b[0-9]{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+[A-Za-z]{3,9}\.?,?\s+[0-9]{4}\b",  # 27 July 2016
            r"\b[A-Za-z]{3,9}\.?\s+[0-9]{1,2}(?:st|nd|rd|th)?,?\s+[0-9]{4}\b",  # July 27, 2016
            r"\b[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{4}\b",  # 27/07/2016, 27.07.2016
            r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b",  # 2016-07-27
        )
    )
)


# The usual shapes, "8 October 2018", "Oct. 2018", "March", "2019": this only tells the
# numbers from the word. Which month the word names is dateutil's answer (_month_of).
_COMMON = re.compile(
    r"^(?:(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?\s+)?(?:(?P<month>[A-Za-z]{3,9})\.?,?(?:\s+|$))?(?P<year>[0-9]{4})?$"
)

Fields = tuple[int | None, int | None, int | None]  # year, month, day: None where not written


@lru_cache(maxsize=512)
def _month_of(word: str) -> int | None:
    """The month a word names, as dateutil reads it ("Sept" -> 9), or None."""
    fields = _fields_by_dateutil(word)
    return fields[1] if fields and fields[1] and not fields[0] and not fields[2] else None


def _fields_by_dateutil(text: str) -> Fields | None:
    """dateutil's reading of `text`, parsed with two defaults to see what was written."""
    try:
        a = dateparser.parse(text, default=_DEFAULT_A, dayfirst=True)
        b = dateparser.parse(text, default=_DEFAULT_B, dayfirst=True)
    except (ValueError, OverflowError, TypeError):
        return None
    if a.hour or a.minute or a.second:
        return None  # a clock time, not a date
    return (
        a.year if a.year == b.year else None,
        a.month if a.month == b.month else None,
        a.day if a.day == b.day else None,
    )


def _fields(text: str) -> Fields | None:
    m = _COMMON.match(text)
    if m and (m["month"] or m["year"]) and (m["month"] or not m["day"]):
        month = _month_of(m["month"].lower()) if m["month"] else None
        if m["month"] and month is None:
            return None
        return (int(m["year"]) if m["year"] else None, month, int(m["day"]) if m["day"] else None)
    return _fields_by_dateutil(text)


@lru_cache(maxsize=4096)
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
    fields = _fields(_ORDINAL_OF.sub(r"\1", text))
    if fields is None:
        return None
    year, month, day = fields
    year = year or default_year
    if year is None or not 1800 <= year <= 2199 or (day and not month):
        return None  # no year, or "the 5th": not a date on its own
    try:
        if month and day:
            d = date(year, month, day)
            return d, d, "day"
        if month:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
    except ValueError:
        return None  # 31 February
    return date(year, 1, 1), date(year, 12, 31), "year"


def parse_period(text: str) -> FuzzyDate | None:
    """A period as written in a title: "July 2016", "February and March 2018", "2019".

    Returns None when the text is not a date at all.
    """
    written = " ".join(text.split())
    digits = ascii_digits(written)
    if not _YEAR.search(digits) or len(digits) > 60:
        return None
    body = _LEAD_WORDS.sub("", digits)
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
    digits = ascii_digits(written)
    if not _YEAR.search(digits) or len(digits) > 40:
        return None
    parsed = _parse_one(digits)
    if parsed is None:
        return None
    return FuzzyDate(written, parsed[0], parsed[1], parsed[2])


def first_full_date(text: str) -> FuzzyDate | None:
    """The first date in running text that names a day, month and year; of a range
    ("5 and 6 May 2019", "between 5 May and 6 June 2019") its first day.

    Every full date holds a year, so only the text around each year is looked at."""
    written, text = text, ascii_digits(text)  # one for one: positions are the same in both
    for year in _YEAR.finditer(text):
        start = max(0, year.start() - 30)
        for m in _FULL_DATE_CANDIDATES.finditer(text, start, year.end() + 6):
            if not m.start() <= year.start() < m.end():
                continue
            parsed = _parse_one(m.group())
            if parsed and parsed[2] == "day":
                begin, day = _range_start(text, m.start(), parsed[0]) or (m.start(), parsed[0])
                return FuzzyDate(written[begin : m.end()].strip(" ,."), day, day, "day")
    return None


# The first end of a range written before a full date: "5 and ", "5th to ", "5 May and ", "30 December to ".
_RANGE_START = re.compile(
    r"\b(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(?P<month>[A-Za-z]{3,9}))?"
    r",?\s*(?:and|to|until|till|&|[-–—])\s*$",
    re.IGNORECASE,
)
_RANGE_JOINS = ("and", "to", "until", "till", "&", "-", "–", "—")


def _range_start(text: str, end_at: int, last: date) -> tuple[int, date] | None:
    """Where a range that ends with the full date at `end_at` (which is `last`) starts, and its first day."""
    if not text[max(0, end_at - 8) : end_at].rstrip().lower().endswith(_RANGE_JOINS):
        return None  # the usual case, kept quick
    m = _RANGE_START.search(text, max(0, end_at - 30), end_at)
    if m is None:
        return None
    month = _month_of(m["month"].lower()) if m["month"] else last.month
    if month is None:
        return None  # "5 officers and 6 May 2019"
    try:
        first = date(last.year, month, int(m["day"]))
        if first > last and month != last.month:  # "30 December to 2 January 2019"
            first = first.replace(year=last.year - 1)
    except ValueError:
        return None  # 31 April, or 29 February in the year before
    return (m.start(), first) if first <= last else None
