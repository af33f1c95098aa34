"""How search input is read, and that text never reaches FTS5 as syntax."""

import pytest

from storage.searching.query import MAX_QUERY, AnyOf, Filter, Text, fts_string, parse


def test_words_phrases_prefixes_and_exclusions():
    q = parse('risk "call handler" assess* -taser')
    assert q.terms == [
        Text("risk"),
        Text("call handler", "phrase"),
        Text("assess", "prefix"),
        Text("taser", negated=True),
    ]


def test_or_binds_two_neighbours():
    q = parse("domestic custody OR cell")
    assert q.terms == [Text("domestic"), AnyOf((Text("custody"), Text("cell")))]
    assert parse("a OR b OR c").terms == [AnyOf((Text("a"), Text("b"), Text("c")))]


def test_and_between_words_is_the_same_as_a_space():
    assert parse("police AND custody").terms == parse("police custody").terms


@pytest.mark.parametrize("text", ["police AND", "OR police", "police OR"])
def test_stray_operators_are_words(text):
    q = parse(text)
    assert len(q.terms) == 2
    assert any("stray" in note for note in q.notes)


def test_filters_with_quoted_values_and_negation():
    q = parse('force:"west yorkshire" -status:reviewed Year:2015..2018 reference:2016/070829')
    assert q.terms == [
        Filter("force", "west yorkshire"),
        Filter("status", "reviewed", negated=True),
        Filter("year", "2015..2018"),
        Filter("ref", "2016/070829"),
    ]


def test_unknown_filter_is_searched_as_text():
    q = parse("colour:blue")
    assert q.terms == [Text("colour blue", "phrase")]
    assert "not a filter" in q.notes[0]


def test_unbalanced_quote_is_read_as_words():
    q = parse('"risk assessment')
    assert q.terms == [Text("risk"), Text("assessment")]
    assert "not closed" in q.notes[0]


def test_explanation_says_how_the_query_was_read():
    lines = parse('taser OR tasered "no indication" force:kent -custody').explain()
    assert lines == [
        "Must contain: “taser” or “tasered”; and “no indication”",
        "Filters: force: kent",
        "Excluding: “custody”",
    ]
    assert parse("").explain() == ["Every case in the library."]


@pytest.mark.parametrize(
    "term,expected",
    [
        (Text('say "hi"'), '"say ""hi"""'),
        (Text("NEAR(a"), '"NEAR(a"'),
        (Text("title:x"), '"title:x"'),
        (Text("assess", "prefix"), '"assess" *'),
    ],
)
def test_fts_strings_are_always_quoted(term, expected):
    assert fts_string(term) == expected


def test_control_characters_and_huge_input():
    q = parse("police\x00custody\x1b" + "x" * 5000)
    assert q.terms[0] == Text("police")
    assert q.terms == [Text("police"), Text("custody")]  # the search is cut between words
    assert parse("x" * 5000).terms == [Text("x" * MAX_QUERY)]  # one word longer than that: within it
    assert any("shortened" in n for n in q.notes)


@pytest.mark.parametrize("word", ["policeofficer", "custody", "a"])
def test_a_search_too_long_is_shortened_between_words_and_said_so(word):
    q = parse(f"{word} " * 1000 + "taser")
    assert q.terms == [Text(word)]  # not a word cut in half, nor the last one
    assert "The search was too long, so it was shortened to 1,000 characters." in q.explain()
    assert parse(f"{word} " * 1000).terms == [Text(word)]


@pytest.mark.parametrize("odd", ["_", "__", '"_"', "_*", "-_", ":_", "™"])
def test_terms_with_nothing_to_search_for_are_left_out_and_said_so(odd):
    q = parse(f"police {odd}")
    assert q.terms == [Text("police")]
    assert any("no letters or digits to search for" in note for note in q.notes), q.notes


@pytest.mark.parametrize(
    "ignored,why",
    [
        ("force:", "“force:” has no value after the colon"),
        ("*", "“*” has no letters or digits"),
        ('""', "Empty quotes"),
        ('" "', "Empty quotes"),
        ("::", "“::” has no letters or digits"),
    ],
)
def test_a_search_left_out_entirely_says_what_was_left_out_and_why(ignored, why):
    read_as = parse(ignored).explain()
    assert read_as[0] == "Every case in the library."
    assert len(read_as) == 2 and read_as[1].startswith(why) and "left out" in read_as[1], read_as


@pytest.mark.parametrize("kept", ["²", "½", "a_b", "m²"])
def test_numbers_and_words_joined_by_underscores_are_kept(kept):
    assert len(parse(f"police {kept}").terms) == 2


def test_a_term_the_index_cannot_hold_does_not_empty_the_results(library):
    from storage.searching.search import search

    everything = search(library, "police").total
    assert everything > 0
    assert search(library, "police _").total == everything
    assert search(library, 'police "_" :_ -_').total == everything
