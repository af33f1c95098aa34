"""The chronology: scored against the hand-made development truth, and each rule on
sentences written for these tests.

tests/fixtures/cases/CHRONOLOGY.tsv lists every dated event of the development cases (in
real/ and more/): file, date at its precision, precision, the words as written, and a short
paraphrase of the event. A file with no rows has no dated event.
"""

import csv
from collections import Counter

import pytest
from conftest import FIXTURES, MORE, REAL

from storage.reading.chronology import read_chronology
from storage.reading.dates import parse_period
from storage.reading.reader import read_file

FLOOR = 0.95


def truth() -> dict[str, Counter]:
    rows: dict[str, Counter] = {}
    with open(FIXTURES / "cases" / "CHRONOLOGY.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            rows.setdefault(row["file"], Counter())[(row["date"], row["precision"])] += 1
    return rows


def test_chronology_against_the_development_truth():
    expected = truth()
    paths = sorted([*REAL.glob("*.txt"), *MORE.glob("*.txt")])
    assert set(expected) <= {p.name for p in paths}
    found = missed = extra = 0
    lines = []
    for path in paths:
        record = read_file(str(path)).record
        got = Counter((e.date, e.precision) for e in record.chronology)
        want = expected.get(path.name, Counter())
        hits = sum((got & want).values())
        found += hits
        missed += sum(want.values()) - hits
        extra += sum(got.values()) - hits
        recall = hits / sum(want.values()) if want else 1.0
        precision = hits / sum(got.values()) if got else 1.0
        lines.append(f"  {path.name:<60} recall {recall:.2f}  precision {precision:.2f}")
    recall, precision = found / (found + missed), found / (found + extra)
    print(f"\nChronology against the development truth ({len(paths)} files, {found + missed} events):")
    print("\n".join(lines))
    print(f"micro-averaged: recall {recall:.3f}, precision {precision:.3f}")
    assert recall >= FLOOR and precision >= FLOOR


def events(text: str, title_period: str | None = None) -> list[tuple[str, str, str]]:
    context = parse_period(title_period) if title_period else None
    return [(e.date, e.precision, e.text) for e in read_chronology(text, context)]


def dates(text: str, title_period: str | None = None) -> list[str]:
    return [date for date, _, _ in events(text, title_period)]


# ----- what a date is ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("On 4 March 2019 officers attended.", [("2019-03-04", "day", "4 March 2019")]),
        ("At 11.45pm on 4 March 2019, officers attended.", [("2019-03-04", "day", "4 March 2019")]),
        ("The inquest ended on the 2nd of October 2021.", [("2021-10-02", "day", "2nd of October 2021")]),
        ("The hearing was held on Sept. 9, 2020.", [("2020-09-09", "day", "Sept. 9, 2020")]),
        ("He was seen on 09/12/2019.", [("2019-12-09", "day", "09/12/2019")]),
        ("He was seen on 2019-12-09.", [("2019-12-09", "day", "2019-12-09")]),
        ("The complaint was made in November 2018.", [("2018-11", "month", "November 2018")]),
        ("It ended in May of 2020.", [("2020-05", "month", "May of 2020")]),
        ("Officers attended in early June 2019.", [("2019-06", "month", "early June 2019")]),
        ("The force changed its policy in 2015.", [("2015", "year", "2015")]),
        ("The inquest was held in the spring of 2022.", [("2022", "year", "the spring of 2022")]),
        ("A hearing took place in summer 2018.", [("2018", "year", "summer 2018")]),
        ("It was not resolved until the end of 2017.", [("2017", "year", "the end of 2017")]),
        ("By mid-2016 nothing had changed.", [("2016", "year", "mid-2016")]),
    ],
)
def test_dates_at_their_precision(sentence, expected):
    assert events(sentence) == expected


def test_ranges_give_both_ends():
    assert dates("Officers visited between 5 and 7 May 2019.") == ["2019-05-05", "2019-05-07"]
    assert dates("The complaints were made in February and March 2018.") == ["2018-02", "2018-03"]
    assert dates("The force reviewed its policy from 2015 to 2017.") == ["2015", "2017"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The officer was interviewed under the Police Reform Act 2002.",
        "The Police (Conduct) Regulations 2020 and the Mental Health Act 1983 applied.",
        "Our reference is 2019/123456.",
        "Paragraph 19 of Schedule 3 sets out the powers; see also paragraph 2019.",
        "At 7.19pm the call handler rang back, and at 11.02 officers arrived.",
        "More than 2,000 calls were made, about 1999 of them in the evening.",
        "Policy in the 1990s was different.",
        "She said she may attend, and that officers march in step.",
        "She died on 31 February 2019.",
        "Date of recommendation 12 March 2022",
    ],
)
def test_things_that_are_not_dates(sentence):
    assert events(sentence) == []


def test_label_lines_are_left_out_but_the_narrative_around_them_is_read():
    text = "On 2 May 2021 he was arrested.\n\nDate response due: 30 June 2022\n\nHe was released."
    assert dates(text) == ["2021-05-02"]


# ----- years from the context ---------------------------------------------------------------------


def test_a_date_without_a_year_takes_the_year_of_the_date_before_it():
    text = "On 27 February 2018 he was arrested. On 28 February he was released."
    assert dates(text) == ["2018-02-27", "2018-02-28"]


def test_the_nearest_year_across_new_year():
    assert dates("On 28 December 2018 he was arrested. On 2 January he was charged.") == [
        "2018-12-28",
        "2019-01-02",
    ]
    assert dates("On 2 March 2019 he was seen. He had been arrested on 20 November.") == [
        "2019-03-02",
        "2018-11-20",
    ]


def test_without_a_date_before_it_the_title_gives_the_year():
    assert events("At the end of July her ex-partner attacked her.", "July 2013") == [
        ("2013-07", "month", "the end of July")
    ]
    assert dates("On 6 November officers visited.", "November 2017") == ["2017-11-06"]


def test_without_any_year_a_date_is_left_out():
    assert dates("On 6 November officers visited.") == []


def test_a_month_alone_needs_words_that_make_it_a_time():
    assert dates("In March she moved house.", "2019") == ["2019-03"]
    assert dates("Officers March and April gave evidence.", "2019") == []


# ----- relative dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("The next day he was charged.", "2019-05-05"),
        ("The following morning he was charged.", "2019-05-05"),
        ("Later that evening he was charged.", "2019-05-04"),
        ("That same day he was charged.", "2019-05-04"),
        ("Later on the same day he was charged.", "2019-05-04"),
        ("He had called the police the night before.", "2019-05-03"),
        ("The previous evening he had called the police.", "2019-05-03"),
        ("Two days later he was charged.", "2019-05-06"),
        ("The following Monday he was charged.", "2019-05-06"),
        ("He was charged the day after.", "2019-05-05"),
    ],
)
def test_relative_dates_counted_from_a_day(sentence, expected):
    text = "On 4 May 2019 (a Saturday) he was arrested. " + sentence
    found = events(text)
    assert [d for d, _, _ in found] == ["2019-05-04", expected]
    assert found[1][1] == "day"


def test_relative_dates_are_left_out_when_the_text_fixes_no_day():
    assert dates("In June 2022 officers attended. Six days later they returned. The next day they left.") == [
        "2022-06"
    ]
    assert dates("Officers attended late in the evening. Later that night they left.", "June 2022") == []


def test_a_relative_date_counted_from_something_undated_is_left_out():
    text = "On 4 May 2019 he was arrested. The day before his release he complained."
    assert dates(text) == ["2019-05-04"]


def test_a_look_back_does_not_move_the_story_on():
    text = (
        "On 6 May 2022 a mother reported her son missing; he had left home the night before. "
        "Later the same day officers found him."
    )
    assert dates(text) == ["2022-05-06", "2022-05-05", "2022-05-06"]


def test_relative_dates_chain_forwards():
    text = "On 30 April 2019 he was arrested. The next day he was charged. The following day he was released."
    assert dates(text) == ["2019-04-30", "2019-05-01", "2019-05-02"]


def test_a_relative_phrase_beside_a_written_date_is_not_a_second_event():
    assert dates("On 3 June 2019 he was arrested. The next day, 4 June, he was charged.") == [
        "2019-06-03",
        "2019-06-04",
    ]


# ----- what each event carries ----------------------------------------------------------------------


def test_each_event_has_its_words_and_sentence_as_spans_in_the_text():
    text = "Officers were called.\n\nAt 2.10pm on 5 June 2020, they arrived (late). The man died. "
    (event,) = read_chronology(text)
    assert text[event.start : event.end] == event.text == "5 June 2020"
    assert event.sentence(text) == "At 2.10pm on 5 June 2020, they arrived (late)."
    assert event.to_json(text) == {
        "date": "2020-06-05",
        "precision": "day",
        "text": "5 June 2020",
        "sentence": "At 2.10pm on 5 June 2020, they arrived (late).",
    }


def test_events_come_in_the_order_written():
    text = "The inquest was in May 2021. The man had died on 3 January 2020."
    assert dates(text) == ["2021-05", "2020-01-03"]


def test_hostile_text_is_read_in_reasonable_time_and_never_raises():
    text = ("31 December 9999 " * 2000) + ("the next day " * 2000) + ("May " * 2000) + "1" * 5000
    read_chronology(text)
    # thousands of written days, each with a relative date beside it (was quadratic: 9 s for 240 KB)
    events = read_chronology("On 3 May 2019, and on 4 June 2019, and the next day too. " * 3000)
    assert [e.date for e in events[-3:]] == ["2019-05-03", "2019-06-04", "2019-06-05"]


@pytest.mark.parametrize(
    "written,expected",
    [
        ("between 5 May and 6 June 2019", ["2019-05-05", "2019-06-06"]),
        ("from 30 December to 2 January 2019", ["2018-12-30", "2019-01-02"]),
        ("in December and January 2019", ["2018-12", "2019-01"]),
    ],
)
def test_the_first_end_of_a_range_takes_its_year_from_the_last(written, expected):
    assert dates(f"Officers visited {written}.", "July 2016") == expected
