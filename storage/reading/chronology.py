"""The chronology of a case: every dated event in its narrative, in the order written.

Each event is a date at its precision (day, month or year), the words as written and the
sentence they stand in, with character spans in the narrative. The rules a reader follows:

- "3 November 2017", "5th March 2024", "November 2018", "autumn 2019", "the end of 2017",
  "in 2015" and "03/11/2017" are dates; a date without a year ("6 November", "the end of
  July") takes the year of the date before it (the nearer of that year and its neighbours),
  or the title's when none comes before.
- "the next day", "later that evening", "the night before", "two days later" are dates
  only when the date they count from names a day; they count from the last date written
  (a look back, "the night before", does not move the story on).
- Not dates: a year after a name ("Police Reform Act 2002"), a bare number without a word
  that makes it a time ("in", "during", "since", a season...), references ("2017/085723"),
  clock times, decades, and label lines such as "Date of recommendation".

Regular expressions only find where a date may be; which month a word names is
dateutil's answer (its month and weekday names), and calendar sums are `datetime`'s.
Finding candidates costs a few scans of the text: this runs on every file imported.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from dateutil import parser as dateparser

from ..records import FuzzyDate
from .spans import lowered, sentence_span

_INFO = dateparser.parserinfo()
_MONTH_NAMES = sorted({n for names in _INFO.MONTHS for n in names}, key=len, reverse=True)
_WEEKDAY_NAMES = sorted({n for names in _INFO.WEEKDAYS for n in names[1:]}, key=len, reverse=True)
_MONTH = "(?:" + "|".join(_MONTH_NAMES) + r")\b(?:\.(?=\s*\d))?"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|2[01])\d\d(?![\d/]|s\b|’s|'s)"
_JOIN = r"\s*(?:-|–|—|&|\band\b|\bto\b|\buntil\b|\btill\b)\s*"

# Every absolute date starts with a digit or a capitalised month name: those places are found
# with plain searches for one character (a regular expression trying every position costs
# several times more), then this is matched at each.
_DIGITS = "0123456789"
_MONTH_INITIALS = tuple(sorted({n[0] for n in _MONTH_NAMES}))
_MONTH_STEMS = frozenset(n[:3] for n in _MONTH_NAMES)
_ABSOLUTE = re.compile(
    rf"""
    (?P<iso>\d{{4}}-\d\d-\d\d)(?!\d)
    | (?P<nd>\d{{1,2}})(?P<sep>[/.])(?P<nm>\d{{1,2}})(?P=sep)(?P<ny>{_YEAR})
    | (?P<d>\d{{1,2}}){_ORD}(?:{_JOIN}(?P<d_to>\d{{1,2}}){_ORD})?(?:\s+of)?\s+(?P<m>{_MONTH})
      (?:,?\s+(?P<y>{_YEAR}))?
    | (?P<m2>{_MONTH})(?:\s+(?P<d2>\d{{1,2}}){_ORD},?\s+(?P<y2a>{_YEAR})|,?\s+(?:of\s+)?(?P<y2>{_YEAR}))?
    | (?P<y3>{_YEAR})
    """,
    re.VERBOSE,
)
# Words before a date that belong to its text: "the end of July", "autumn 2019", "mid-2018".
_SEASONS = frozenset({"spring", "summer", "autumn", "winter", "fall"})
_EDGES = frozenset({"early", "mid", "late", *_SEASONS})
_PARTS = frozenset({"end", "start", "beginning", "middle", "close", "turn", *_SEASONS})
# A year or month on its own is a date only after one of these words (or a qualifier).
_CUES = frozenset(
    {
        "in", "during", "since", "until", "till", "by", "from", "between", "before", "after",
        "throughout", "across", "around", "circa", "of", "and", "to", "or", "year", *_EDGES,
    }
)  # fmt: skip
_GAP = " ,-–\n"
_LABEL_LINE = re.compile(
    r"(?:date\s+(?:of\s+|response\b)|(?:first\s+)?published\b|last\s+(?:updated|modified|reviewed)\b"
    r"|updated\b|reference\b)",
    re.IGNORECASE,
)
SHORT_LINE = 100
"""A line this short that starts with a label is page metadata, not narrative."""

# Relative dates, found by their noun ("day" also finds weekdays), then read whole.
RELATIVE_REACH = 1500
"""How far after a written day a relative date is looked for: in the development cases the
farthest is 758 characters after the day it counts from, most are within 500."""
_NOUNS = ("day", "night", "ning", "afternoon")
_UNIT = r"(?:day|morning|afternoon|evening|night)"
_RELATIVE_WORDS = frozenset(
    {"day", "days", "morning", "afternoon", "evening", "night", *(n.lower() for n in _WEEKDAY_NAMES)}
)
_NUMBERS = ("a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_LEADS = frozenset({"that", "same", "next", "following", "previous", "preceding", "the", *_NUMBERS})
_TRAILS = frozenset({"before", "after", "afterwards", "later", "earlier", "of"})
_RELATIVE = re.compile(
    rf"""
    (?P<same>(?:later|earlier)\s+(?:on\s+)?(?:that|the\s+same|this)\s+(?:same\s+)?{_UNIT}
      | later\s+in\s+the\s+day | (?:that|the)\s+same\s+{_UNIT} | that\s+{_UNIT}
      | the\s+day\s+of\s+the\s+(?P<incident>incident))\b
    | (?P<next>(?:the\s+)?(?:next|following)\s+{_UNIT}|the\s+{_UNIT}\s+after(?:wards)?)\b
    | (?:the\s+)?(?:next|following)\s+(?P<weekday>{"|".join(_WEEKDAY_NAMES).lower()})\b
    | (?P<back>the\s+(?:previous|preceding)\s+{_UNIT}|the\s+{_UNIT}\s+before)\b
    | (?P<count>\d{{1,2}}|{"|".join(_NUMBERS)})\s+days?\s+(?P<dir>later|after(?:wards)?|earlier|before)\b
    """,
    re.VERBOSE,
)
# "the day before his arrest" counts from something else: only a bare "before"/"after" counts.
_OBJECT_AFTER = re.compile(r"\s+(?!that\b|at\b|around\b|about\b|when\b|and\b|or\b|but\b)[a-z0-9£]")
_NEAR_DATE = 24
"""A relative phrase this close to a written date only restates it ("Eight months later, in
March 2016"; "the next day, 5 May"), so it is not a second event."""


class Event(NamedTuple):
    """One dated event: `date` is YYYY-MM-DD, YYYY-MM or YYYY as `precision` says, and `text`
    is narrative[start:end]. Its sentence is found from the narrative when it is wanted (most
    events of a library are never shown, and finding sentences would cost every import)."""

    date: str
    precision: str
    text: str
    start: int
    end: int

    @property
    def first_day(self) -> datetime.date:  # `date` here is the field
        return _first_day(self.date)

    @property
    def last_day(self) -> datetime.date:
        return _last_day(self.date)

    def sentence_span(self, narrative: str) -> tuple[int, int]:
        """Where the sentence holding the event starts and ends in `narrative`."""
        return sentence_span(narrative, self.start, self.end)

    def sentence(self, narrative: str) -> str:
        start, end = self.sentence_span(narrative)
        return narrative[start:end]

    def to_json(self, narrative: str) -> dict[str, Any]:
        """The event as `export --json` and `show --json` write it."""
        return {
            "date": self.date,
            "precision": self.precision,
            "text": self.text,
            "sentence": self.sentence(narrative),
        }


def _first_day(iso: str) -> date:
    parts = [int(p) for p in iso.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _last_day(iso: str) -> date:
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - timedelta(days=1)
    return date(parts[0], 12, 31)


@dataclass(slots=True)
class _Mention:
    """A date found in the text, before its year (if missing) is settled."""

    start: int
    end: int
    year: int | None
    month: int | None = None
    day: int | None = None
    relative: str | None = None  # same | next | back | count | weekday | incident
    offset: int = 0


@lru_cache(maxsize=64)
def _month_number(word: str) -> int:
    """The month a name that `_MONTH` matched means: the names are `_INFO`'s, so never None."""
    month = _INFO.month(word.rstrip("."))
    assert month is not None, word
    return month


def _weekday_number(word: str) -> int:
    """Monday is 0; like the months, the weekday names are `_INFO`'s, so never None."""
    day = _INFO.weekday(word)
    assert day is not None, word
    return day


def _iso(year: int, month: int | None, day: int | None) -> tuple[str, str, date] | None:
    """(date, precision, first day), or None for a day that does not exist (31 April)."""
    try:
        first = date(year, month or 1, day or 1)
    except ValueError:
        return None
    if day is not None:
        return first.isoformat(), "day", first
    if month is not None:
        return f"{year:04d}-{month:02d}", "month", first
    return f"{year:04d}", "year", first


def read_chronology(narrative: str, context: FuzzyDate | None = None) -> tuple[Event, ...]:
    """Every dated event in `narrative`, in text order. `context` (the title's period) gives
    the year to a date without one when no date with a year comes before it."""
    mentions = _absolute(narrative)
    if any(m.day for m in mentions):  # relative dates count from a day: none, no need to look
        mentions = sorted(mentions + _relative(narrative, mentions), key=lambda m: m.start)
    return tuple(_settle(narrative, mentions, context))


def _candidates(text: str) -> list[int]:
    """Where a date may start: the first digit of a number, or a capitalised month name."""
    found = []
    find = text.find
    for digit in _DIGITS:
        at = find(digit)
        while at != -1:
            if not (at and text[at - 1] in _DIGITS):
                found.append(at)
            at = find(digit, at + 1)
    for initial in _MONTH_INITIALS:
        at = find(initial)
        while at != -1:
            if text[at : at + 3] in _MONTH_STEMS and not (at and text[at - 1].isalpha()):
                found.append(at)
            at = find(initial, at + 1)
    found.sort()
    return found


def _absolute(text: str) -> list[_Mention]:
    found: list[_Mention] = []
    done = 0
    for at in _candidates(text):
        if at < done:
            continue  # inside the date matched before
        m = _ABSOLUTE.match(text, at)
        if m is None:
            continue
        done = m.end()
        start = m.start()
        if m["iso"]:
            y, mo, d = (int(p) for p in m["iso"].split("-"))
            found.append(_Mention(start, m.end(), y, mo, d))
        elif m["nd"]:
            found.append(_Mention(start, m.end(), int(m["ny"]), int(m["nm"]), int(m["nd"])))
        elif m["d"]:
            if start and text[start - 1] in "./:£$€#":
                continue  # "1.15 May…" is not a day; "£5 May" neither
            month = _month_number(m["m"])
            year = int(m["y"]) if m["y"] else _range_year(text, m.end(), month, int(m["d"]))
            if m["d_to"]:  # "5 and 6 May 2019": two days
                found.append(_Mention(start, start + len(m["d"]), year, month, int(m["d"])))
                found.append(_Mention(m.start("d_to"), m.end(), year, month, int(m["d_to"])))
            else:
                found.append(_Mention(start, m.end(), year, month, int(m["d"])))
        elif m["m2"]:
            _month_first(text, m, found)
        else:
            _year(text, m, found)
    return [f for f in found if not _in_label_line(text, f.start)]


def _month_first(text: str, m: re.Match[str], found: list[_Mention]) -> None:
    """ "May 2019", "March 5, 2019", "the end of July", "February and March 2018"."""
    start, month = m.start(), _month_number(m["m2"])
    if m["y2a"]:
        found.append(_Mention(start, m.end(), int(m["y2a"]), month, int(m["d2"])))
        return
    cue, cue_start, qualified = _before(text, start)
    if m["y2"]:
        found.append(_Mention(qualified, m.end(), int(m["y2"]), month))
        return
    # A month without a year: "In July", "the end of July", "February and March 2018".
    if not (qualified < start or _cued(cue, cue_start, found) or _range_follows(text, m.end())):
        return
    found.append(_Mention(qualified, m.end(), _range_year(text, m.end(), month), month))


_RANGE_TAIL = re.compile(rf"{_JOIN}(?:(\d{{1,2}}){_ORD}\s+)?({_MONTH})\s+({_YEAR})")


def _range_follows(text: str, at: int) -> bool:
    return _RANGE_TAIL.match(text, at) is not None


def _range_year(text: str, at: int, month: int, day: int | None = None) -> int | None:
    """The year of the first end of a range that ends with a full date: "February and March
    2018" -> 2018, "30 December to 2 January 2019" -> 2018."""
    tail = _RANGE_TAIL.match(text, at)
    if tail is None:
        return None
    year = int(tail[3])
    end_month = _month_number(tail[2])
    end_day = int(tail[1]) if tail[1] and day is not None else 0
    return year - 1 if (month, day or 0) > (end_month, end_day) else year


def _year(text: str, m: re.Match[str], found: list[_Mention]) -> None:
    """A bare four-digit number, if it is a year the text dates something by."""
    start = m.start()
    if start and (text[start - 1].isalnum() or text[start - 1] in "/£$€#.,"):
        return
    cue, cue_start, qualified = _before(text, start)
    if qualified < start or _cued(cue, cue_start, found):
        found.append(_Mention(qualified, m.end(), int(m["y3"])))


def _before(text: str, at: int) -> tuple[str, int, int]:
    """The word right before `at` (lower case, "" if none) and where it starts, and where the
    date's text starts: earlier than `at` when words such as "the end of" belong to it."""
    low = max(0, at - 32)
    window = text[low:at]
    kept = window.rstrip(_GAP)
    words = kept.split()
    if not words or not words[-1].isalpha():
        return "", at, at  # "(2019", "No. 2019"
    start = low + len(kept) - len(words[-1])
    word = words[-1].lower()
    qualified = at
    if word in _EDGES:
        qualified = start  # "early 2020", "mid-2016", "autumn 2019"
    elif word == "of" and len(words) > 1 and words[-2].lower() in _PARTS:
        qualified = low + kept.rfind(words[-2])  # "the end of July"
        for extra in ("very", "the"):
            if len(words) > 2 and words[-3].lower() == extra:
                qualified = low + kept.rfind(words.pop(-3), 0, qualified - low)
    return word, start, qualified


def _cued(word: str, word_start: int, found: list[_Mention]) -> bool:
    """Whether the word before a date makes what follows a time: "in 2015", "during May";
    "and" or "to" only right after a month or year ("between 2015 and 2017")."""
    if word not in _CUES:
        return False  # "Police Reform Act 2002", "paragraph 2019", "Officers March"
    if word in ("and", "to", "or"):
        return bool(found) and found[-1].end >= word_start - 2 and found[-1].day is None
    return True


def _in_label_line(text: str, at: int) -> bool:
    """Whether `at` is on a short line that starts with a label such as "Date of recommendation"."""
    line_start = text.rfind("\n", max(0, at - SHORT_LINE), at) + 1
    if line_start == 0 and at > SHORT_LINE:
        return False  # a long line: narrative
    line_end = text.find("\n", at, line_start + SHORT_LINE + 1)
    if line_end == -1 and len(text) > line_start + SHORT_LINE:
        return False
    return _LABEL_LINE.match(text, line_start) is not None


def _relative(text: str, absolute: list[_Mention]) -> list[_Mention]:
    """Relative dates within `RELATIVE_REACH` after a written day (nothing else can resolve one)."""
    found: dict[int, _Mention] = {}
    for low, high in _reaches(absolute, len(text)):
        for noun in _NOUNS:
            at = text.find(noun, low, high)
            while at != -1:
                end = at + len(noun)
                if _may_be_relative(text, at, end):
                    window_at = max(low, at - 40)
                    window = lowered(text[window_at : end + 30])
                    for m in _RELATIVE.finditer(window):
                        if m.start() <= at - window_at < m.end() and m.start() + window_at not in found:
                            mention = _relative_mention(window, m, window_at)
                            if mention and not _restates(text, absolute, mention):
                                found[mention.start] = mention
                at = text.find(noun, end, high)
    return list(found.values())


def _reaches(absolute: list[_Mention], size: int) -> list[tuple[int, int]]:
    """The stretches of text after each written day, merged where they overlap."""
    reaches: list[tuple[int, int]] = []
    for m in absolute:
        if m.day:
            high = min(size, m.end + RELATIVE_REACH)
            if reaches and m.start <= reaches[-1][1]:
                reaches[-1] = (reaches[-1][0], high)
            else:
                reaches.append((m.start, high))
    return reaches


def _may_be_relative(text: str, at: int, end: int) -> bool:
    """A quick look at the word holding text[at:end] and its neighbours, before the full
    pattern is tried: most hits are "days", "today", "warning" and the like."""
    if end < len(text) and text[end].isalpha() and not text.startswith("s ", end):
        return False  # "daylight", "nightly"; "days" is kept for "two days later"
    start = at
    while start and text[start - 1].isalpha() and at - start < 7:
        start -= 1
    if text[start:end].lower() not in _RELATIVE_WORDS:
        return False
    before = text[max(0, start - 12) : start].split()
    lead = before[-1].lower() if before else ""
    if lead in _LEADS or lead.isdigit():
        return True
    after = text[end + text.startswith("s", end) : end + 16].split()
    return bool(after) and after[0].lower().strip(",.;") in _TRAILS


def _relative_mention(low: str, m: re.Match[str], offset: int) -> _Mention | None:
    """The mention a match of `_RELATIVE` in `low` (which starts at `offset` in the text) makes."""
    start, end = m.start() + offset, m.end() + offset
    if m["same"]:
        return _Mention(start, end, None, relative="incident" if m["incident"] else "same")
    if low.endswith(("before", "after"), m.start(), m.end()) and _OBJECT_AFTER.match(low, m.end()):
        return None  # "the day after the funeral": counted from something not dated here
    if m["next"]:
        return _Mention(start, end, None, relative="next", offset=1)
    if m["weekday"]:
        return _Mention(start, end, None, relative="weekday", offset=_weekday_number(m["weekday"]))
    if m["back"]:
        return _Mention(start, end, None, relative="back", offset=-1)
    count = m["count"]
    days = int(count) if count.isdigit() else _NUMBERS.index(count) or 1
    if m["dir"] in ("earlier", "before"):
        return _Mention(start, end, None, relative="back", offset=-days)
    return _Mention(start, end, None, relative="next", offset=days)


_BETWEEN = re.compile(r"[\s,;:(–—-]*(?:(?:on|in|that\s+is|i\.e\.)[\s,]*)?\Z", re.IGNORECASE)


def _restates(text: str, absolute: list[_Mention], mention: _Mention) -> bool:
    """Whether a written date stands right beside the relative phrase, saying the same."""
    for a in absolute:
        if 0 <= a.start - mention.end <= _NEAR_DATE and _BETWEEN.match(text, mention.end, a.start):
            return True
        if 0 <= mention.start - a.end <= _NEAR_DATE and _BETWEEN.match(text, a.end, mention.start):
            return True
    return False


def _settle(text: str, mentions: list[_Mention], context: FuzzyDate | None) -> list[Event]:
    """Give years to dates without one and days to relative dates, in text order."""
    events: list[Event] = []
    anchor: date | None = context.start if context else None  # the date the story is at
    anchor_precision = "context"  # a title's period gives a year, never a day to count from
    first_day: date | None = None
    for m in mentions:
        if m.relative:
            if anchor is None or anchor_precision != "day":
                continue
            if m.relative == "incident":
                day = first_day
            elif m.relative == "weekday":
                day = anchor + timedelta(days=(m.offset - anchor.weekday() - 1) % 7 + 1)
            else:
                day = anchor + timedelta(days=m.offset)
            if day is None:
                continue
            settled = (day.isoformat(), "day", day)
            if m.relative != "back":
                anchor = day
        else:
            year = m.year if m.year is not None else _nearest_year(anchor, m.month, m.day)
            if year is None:
                continue
            iso = _iso(year, m.month, m.day)
            if iso is None:
                continue
            settled = iso
            anchor, anchor_precision = settled[2], settled[1]
            if settled[1] == "day" and first_day is None:
                first_day = anchor
        events.append(Event(settled[0], settled[1], text[m.start : m.end], m.start, m.end))
    return events


def _nearest_year(anchor: date | None, month: int | None, day: int | None) -> int | None:
    """The year that puts `day month` nearest the date the story is at."""
    if anchor is None:
        return None
    if month is None:
        return anchor.year

    def distance(year: int) -> int:
        try:
            return abs((date(year, month, min(day or 15, 28)) - anchor).days)
        except ValueError:
            return 10**6

    return min((anchor.year, anchor.year - 1, anchor.year + 1), key=distance)
