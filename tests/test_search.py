"""The search language (storage/searching/syntax.py) against a real library of the development cases."""

import numpy as np
import pytest

from storage.searching.query import parse
from storage.searching.search import RANK_LIMIT, case_hits, search, snippets


def result_rows(result):
    """The list rows of a result, in order (`find` remembers the library on the result)."""
    return result._lib.rows([int(i) for i in result.ids])


@pytest.fixture
def find(library):
    def run(text, **kw):
        result = search(library, text, **kw)
        result._lib = library
        return result

    return run


def titles(result):
    return [r.title for r in result_rows(result)]


def test_empty_query_lists_every_case_newest_first(find):
    result = find("")
    assert result.total == 32
    assert result.sort == "published"
    published = [r.published for r in result_rows(result)]
    dated = [p for p in published if p]
    assert dated == sorted(dated, reverse=True)
    assert published[-len(published) + len(dated) :] == [None] * (len(published) - len(dated))


def test_words_are_anded(find):
    both = find("taser hospital")
    assert 0 < both.total < find("taser").total
    for r in result_rows(both):
        text = (r.title + both._lib.case(r.id).narrative).lower()
        assert "taser" in text and "hospital" in text


def test_exact_phrase(find):
    phrase = find('"no learning"')
    words = find("no learning")
    assert 0 < phrase.total < words.total


def test_or_and_exclusion(find):
    either = find("custody OR railway")
    assert either.total == len(set(find("custody").ids) | set(find("railway").ids))
    without = find("custody -death")
    assert set(without.ids) == set(find("custody").ids) - set(find("death").ids)


def test_only_exclusions(find):
    assert set(find("-taser").ids) == set(find("").ids) - set(find("taser").ids)


def test_prefix_needs_three_letters(find):
    assert find("welf*").total == find("welfare").total > 0
    assert find("welf").total == 0
    short = find("as*")
    assert any("needs at least 3 letters" in n for n in short.explain())


def test_stemming_finds_word_forms(find):
    assert find("tasered").total == find("taser").total == 3


def test_field_filters(find, library):
    kent = find("force:kent")
    assert kent.total == 2 and all("Kent" in r.force for r in result_rows(kent))
    west = find('force:"west yorkshire"')
    assert {r.force for r in result_rows(west)} == {"West Yorkshire Police"}
    in_2018 = [r for r in result_rows(find("")) if r.incident and "2018" in r.incident]
    assert find("year:2018").total == len(in_2018)
    span = find("year:2015..2017")
    assert all(library.case(int(i)).incident.start.year in (2015, 2016, 2017) for i in span.ids)
    assert {r.reference for r in result_rows(find("ref:2016/070829"))} == {"2016/070829"}
    assert find("ref:2016/").total == 2
    pub = find("published:2019")
    assert pub.total > 0 and all(r.published.startswith("2019") for r in result_rows(pub))
    assert find("published:2019-03").total == 2
    assert find("outcome:misconduct").total == 2
    assert find("outcome:learning").total == find("outcome:learning_recommendations").total > 0


def test_status_and_tag_filters_follow_review_changes(find, library):
    assert find("status:flagged").total == 0
    library.set_status([1, 2, 3], "flagged")
    library.change_tag([2], "Bundle for counsel", add=True)
    assert set(find("status:flagged").ids) == {1, 2, 3}
    assert set(find("tag:counsel").ids) == {2}
    assert set(find("tag:counsel -status:flagged").ids) == set()
    assert find('status:"in review"').total == 0
    library.set_status([3], "in_review")
    assert set(find("status:in_review").ids) == {3} == set(find('status:"in review"').ids)
    assert set(find("status:reviewed").ids) == set()


def test_filter_or_filter(find):
    either = find("force:kent OR force:essex")
    assert either.total == find("force:kent").total + find("force:essex").total


def test_facet_counts_follow_the_query(find):
    result = find("arrest")
    facets = result.facets
    assert sum(n for _, n in facets["status"]) == result.total
    assert sum(n for _, n in facets["force"]) == sum(1 for r in result_rows(result) if r.force)
    assert dict(facets["status"])["new"] == result.total
    total = dict(find("").facets["outcome"])
    assert total["no_indication_of_misconduct"] == find("outcome:no-indication").total


def test_relevance_puts_title_matches_first(find):
    result = find("railway")
    assert result.sort == "relevance"
    assert "railway line" in titles(result)[0]


def test_broad_queries_rank_the_title_matches_first_then_the_rest_newest_first(find, monkeypatch):
    import storage.searching.search as s

    everywhere = find("arrest")
    monkeypatch.setattr(s, "RANK_LIMIT", 3)
    result = find("arrest")
    assert result.sort == "relevance" and result.total == everywhere.total > 3
    rows = result_rows(result)
    in_title = [r for r in rows if "arrest" in r.title.lower() or any("arrest" in t.lower() for t in r.tags)]
    assert 0 < len(in_title) <= 3
    assert rows[: len(in_title)] == in_title
    rest = [r.published for r in rows[len(in_title) :] if r.published]
    assert rest == sorted(rest, reverse=True)
    assert any("title, tags or notes come first" in n for n in result.notes)


def test_queries_too_broad_even_for_titles_are_shown_newest_first_and_say_so(find, monkeypatch):
    import storage.searching.search as s

    monkeypatch.setattr(s, "RANK_LIMIT", 5)
    result = find("police")
    assert result.sort == "published"
    assert any("too many to rank" in n for n in result.notes)
    assert RANK_LIMIT >= 5_000  # ranking every match stays the rule for all but broad searches


def test_a_word_left_out_does_not_make_a_search_too_broad_for_titles_look_narrow(find, monkeypatch):
    """The head's own NOT sees only titles, tags and notes: cases it matches may be left out by
    the word elsewhere, so its first few are not enough to count."""
    import storage.searching.search as s

    monkeypatch.setattr(s, "RANK_LIMIT", 5)
    result = find("police -custody")
    assert result.total > 5 and result.sort == "published"
    assert any("too many to rank by relevance" in n for n in result.notes)


def incident_start(case):
    when = case.incident or case.incident_date
    return when.start if when else None


@pytest.mark.parametrize("sort", ["published", "incident", "reference", "title", "force", "status", "tags"])
@pytest.mark.parametrize("descending", [True, False])
def test_every_sort_orders_and_puts_empty_values_last(find, library, sort, descending):
    result = find("", sort=sort, descending=descending)
    assert result.total == 32 and len(set(result.ids)) == 32
    values = {
        "published": lambda c: c.published.start if c.published else None,
        "incident": incident_start,
        "reference": lambda c: c.reference,
        "title": lambda c: c.title.casefold(),
        "force": lambda c: c.force.casefold() if c.force else None,
        "status": lambda c: c.status,
        "tags": lambda c: "\n".join(c.tags).casefold() or None,
    }[sort]
    keyed = [values(library.case(int(i))) for i in result.ids]
    present = [k for k in keyed if k is not None]
    assert keyed[: len(present)] == present
    if sort != "status":
        assert present == sorted(present, reverse=descending)


def test_sorting_is_done_on_any_query(find):
    by_title = find("custody", sort="title", descending=False)
    assert titles(by_title) == sorted(titles(by_title), key=str.casefold)


def test_results_report_review_progress(find, library):
    library.set_status([1, 2], "reviewed")
    result = find("")
    assert result.reviewed == 2


def test_highlights_and_snippets(library):
    query = parse("taser")
    case_id = int(search(library, query).ids[0])
    hits = case_hits(library, case_id, query)
    narrative = library.case(case_id).narrative
    assert hits.spans["narrative"] and not hits.more
    assert all(narrative[start:end].lower().startswith("taser") for start, end in hits.spans["narrative"])
    extracts = snippets(library, [case_id], query)
    assert "[" in extracts[case_id]
    assert case_hits(library, case_id, parse("force:kent")).listed == 0


NASTY = [
    '"',
    '""',
    '"unbalanced',
    "AND",
    "OR",
    "NOT",
    "police AND",
    "OR OR OR",
    "NEAR(risk assessment)",
    "NEAR(",
    "*",
    "**",
    "a*",
    ":",
    "::",
    "force:",
    'force:"',
    "^",
    "^police",
    "title:police",
    "narrative:police",
    "-",
    "--",
    "- -",
    "-*",
    "(",
    ")",
    "(police",
    "police)",
    "{}",
    "[]",
    "'",
    "' OR 1=1 --",
    "'; DROP TABLE cases; --",
    '"; DROP TABLE cases; --',
    "\\",
    '\\"',
    "%",
    "_",
    "__",
    "police*custody",
    "year:abcd",
    "year:..",
    "year:2019..2015",
    "year:-5",
    "published:2019-13",
    "published:2019-02-30",
    "published:..",
    "ref:'",
    "ref:*",
    "batch:x",
    "batch:-1",
    "status:",
    "outcome:zzz",
    "tag:",
    "tag:\x00",
    "\x00",
    "\x01\x02\x03",
    "\t\n\r",
    "\u202e reversed",
    "😀",
    "émigré café",
    "ǅ",
    "\ufeffpolice",
    "\ue000police\ue001",
    "x" * 10_000,
    "police " * 2000,
    '"' * 999,
    "OR " * 500,
    "-" * 500,
    "a:b:c:d",
    "force:kent:essex",
    "::::force",
    "col0:x",
    "rank:1",
    "rowid:1",
    "cases_fts:police",
    "{title}:police",
    "police NOT custody",
    "police NEAR/2 custody",
    '"police" * "custody"',
    "+police",
    "police+custody",
    "0",
    "-0",
    "1e9",
    "9" * 400,
    "ref:2016/070829 OR",
    "OR ref:2016/070829",
    '-""',
    '-"',
    '"-"',
    "'\"'\"'",
    "SELECT * FROM cases",
    "%' OR '1'='1",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "file:///etc/passwd",
    "a OR -b",
    "-a OR b",
]


def test_a_hundred_nasty_queries_never_raise(library):
    assert len(NASTY) >= 100
    count = library.case_count()
    for text in NASTY:
        result = search(library, text)
        assert isinstance(result.ids, np.ndarray)
        assert result.explain()
        case_hits(library, 1, result.query)
        snippets(library, [1, 2], result.query)
    assert library.case_count() == count
