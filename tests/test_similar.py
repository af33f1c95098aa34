"""Similar cases, measured against hand-made topics, and "more like this" as a search."""

import csv
import json
import math
import re
import shutil
from collections import Counter

import pytest
from conftest import FIXTURES, MORE, REAL
from test_cli import cli

from storage.keeping.importing import import_paths
from storage.keeping.library import Library
from storage.searching.search import search
from storage.searching.similar import similar_cases

BROAD = {"death_or_serious_injury", "recommendation_page"}
"""Topics too broad to make two cases alike on their own."""
FLOOR = 0.78
"""Ours measured 0.81 on these 60 cases (0.77 for those from real/, 0.85 for those from more/,
each ranked against all 60), a plain tf-idf cosine 0.62, random choice 0.29."""


def topics() -> dict[str, set[str]]:
    with open(FIXTURES / "cases" / "TOPICS.tsv", encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t")
        return {row["file"]: set(row["topics"].split(",")) - BROAD for row in rows}


@pytest.fixture
def development(new_library):
    """The 60 development cases that have topics."""
    import_paths(new_library, [str(REAL), str(MORE)])
    return new_library


def precision_at_5(names: dict[int, str], ranked) -> float:
    """Share of the five cases given for each case that share a specific topic with it."""
    truth = topics()
    right = given = 0
    for case_id, name in names.items():
        top = ranked(case_id)[:5]
        right += sum(1 for other in top if truth[names[other]] & truth[name])
        given += 5
    return right / given


def plain_tfidf(lib, names):
    """The yardstick's baseline: tf-idf cosine over every word of every file."""
    words = {
        case_id: Counter(re.findall(r"\w\w+", lib.source(case_id).data.decode("utf-8", "replace").lower()))
        for case_id in names
    }
    held = Counter(w for counted in words.values() for w in counted)
    vectors = {}
    for case_id, counted in words.items():
        v = {w: n * math.log(len(words) / held[w]) for w, n in counted.items()}
        norm = math.sqrt(sum(x * x for x in v.values()))
        vectors[case_id] = {w: x / norm for w, x in v.items()}

    def ranked(case_id):
        mine = vectors[case_id]
        others = [o for o in names if o != case_id]
        return sorted(others, key=lambda o: -sum(x * vectors[o].get(w, 0) for w, x in mine.items()))

    return ranked


def test_precision_at_5_on_the_development_topics(development, capsys):
    names = dict(development.conn.execute("SELECT case_id, file_name FROM sources"))
    assert len(names) == 60 and set(names.values()) == set(topics())
    ours = precision_at_5(names, lambda case_id: [s.case_id for s in similar_cases(development, case_id)])
    plain = precision_at_5(names, plain_tfidf(development, names))
    with capsys.disabled():
        print(f"\nsimilar cases, precision at 5 on the 60 development cases: {ours:.3f}", end=" ")
        print(f"(plain tf-idf cosine {plain:.3f})")
    assert ours >= FLOOR
    assert ours > plain


def test_ten_others_best_first_with_reasons(library):
    case = library.find_case("2016/075093")  # a man Tasered at home, who died
    found = similar_cases(library, case.id)
    assert len(found) == 10
    assert case.id not in [s.case_id for s in found]
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert "taser" in found[0].words or "taser" in found[1].words
    assert all(s.reason() and s.reason()[0].isupper() for s in found)


def test_where_and_when_are_not_what_makes_cases_alike(library):
    """Force names, their initials, months and numbers say nothing about the incident."""
    for case_id in [int(i) for i in search(library, "").ids[:8]]:
        for s in similar_cases(library, case_id):
            for word in s.words:
                assert not any(ch.isdigit() for ch in word)
                assert word not in {"police", "constabulary", "metropolitan", "kent", "yorkshire", "gmp"}
                assert word not in {"january", "february", "march", "november", "december"}


def test_the_same_force_is_said_but_not_required(library):
    case = library.find_case("2017/094798")  # West Yorkshire, Taser
    found = similar_cases(library, case.id)
    forces = {library.case(s.case_id).force for s in found}
    assert len(forces) > 3
    for s in found:
        same = library.case(s.case_id).force == case.force
        assert (s.same_force == case.force) == same
        assert ("same force" in s.reason()) == same


def test_a_missing_case_has_no_similar_cases(library):
    assert similar_cases(library, 99999) == []


def test_more_like_this_as_a_search(library):
    case = library.find_case("2016/075093")
    expected = [s.case_id for s in similar_cases(library, case.id)]
    for term in ("like:2016/075093", f"like:{case.id}", "similar:2016/075093"):
        result = search(library, term)
        assert [int(i) for i in result.ids] == expected
        assert any("most like" in line for line in result.explain())
    narrowed = search(library, "like:2016/075093 taser")
    assert 0 < narrowed.total < len(expected) and set(narrowed.ids) <= set(expected)
    assert [int(i) for i in search(library, "-like:2016/075093").ids if int(i) in expected] == []


@pytest.mark.parametrize(
    "term", ["like:1999/000000", "like:", 'like:"', "like:-1", "like:*", "like:999999999999"]
)
def test_more_like_a_case_that_is_not_there(library, term):
    result = search(library, term)
    assert result.total in (0, library.case_count())  # "like:" alone is left out, as other empty filters


def test_cli_similar_json(library):
    library.close()
    out = cli("similar", "2016/075093", "--limit", "3", "--json", library=library.path).stdout
    listed = json.loads(out)
    assert len(listed) == 3
    shown = json.loads(cli("show", str(listed[0]["id"]), "--json", library=library.path).stdout)
    assert set(shown) | {"score", "reason", "words"} == set(listed[0])
    assert listed[0]["score"] >= listed[1]["score"] >= listed[2]["score"] > 0
    assert listed[0]["reason"]


def test_cli_similar_unknown_case(library):
    library.close()
    result = cli("similar", "1999/000000", library=library.path, check=False)
    assert result.returncode == 1 and "no case" in result.stderr and "Traceback" not in result.stderr


def test_an_upgraded_library_has_its_word_counts(tmp_path):
    path = tmp_path / "v1.casebook"
    shutil.copy(FIXTURES / "libraries" / "v1.casebook", path)
    with Library.open(path) as lib:
        assert lib.conn.execute("SELECT count(*) FROM term_counts").fetchone()[0] > 100
        counted = lib.conn.execute("SELECT value FROM meta WHERE key = 'term_counts_cases'").fetchone()[0]
        assert counted == lib.case_count() == 3
        assert all(s.case_id != 1 for s in similar_cases(lib, 1))
