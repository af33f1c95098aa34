"""Chronology, evidence and corrected findings as the library keeps them: stored on import,
read back with a case, searched, counted, exported, kept across a re-import, and filled in
when an older library is upgraded."""

import csv
import io
import json

import numpy as np
import pytest
from conftest import MORE, REAL, custody_case, write_case

from bench.chronology import as_version_3
from storage.export import write_csv, write_json
from storage.keeping import finding_corrections, schema
from storage.keeping.importing import import_paths
from storage.keeping.library import Library
from storage.patterns import timeline
from storage.reading.reader import read_file
from storage.searching.search import search

NO_INDICATION = "no_indication_of_misconduct"
NO_CASE = "no_case_to_answer"
LEARNING = "learning_recommendations"


@pytest.fixture
def library(new_library):
    """Every development case (both folders)."""
    import_paths(new_library, [str(REAL), str(MORE)])
    return new_library


def test_each_case_keeps_what_the_reader_found(library):
    by_file = {c.source_name: c for c in library.cases(list(search(library, "").ids))}
    for path in sorted([*REAL.glob("*.txt"), *MORE.glob("*.txt")]):
        record, case = read_file(str(path)).record, by_file[path.name]
        assert case.chronology == record.chronology, path.name
        assert case.evidence == record.evidence, path.name
        assert case.findings == case.findings_read == record.findings


def test_the_case_json_carries_its_chronology_and_the_evidence_of_its_findings(library):
    case = library.find_case("2017/095703")  # 101 moped strike: events out of order
    data = case.to_json()
    sentence = (
        "On 28 November 2017 we received a complaint from a member of the public who alleged that a "
        "police officer wearing a knuckleduster had punched him on 31 October 2017."
    )
    assert data["chronology"][:2] == [
        {"date": "2017-11-28", "precision": "day", "text": "28 November 2017", "sentence": sentence},
        {"date": "2017-10-31", "precision": "day", "text": "31 October 2017", "sentence": sentence},
    ]
    assert [e["date"] for e in data["chronology"]] == [e.date for e in case.chronology]
    for event in data["chronology"]:
        assert event["text"] in event["sentence"] and event["sentence"] in case.narrative
    (evidence,) = data["findings_evidence"]
    assert evidence["label"] == NO_INDICATION
    assert "no indication" in evidence["text"] and evidence["text"] in case.narrative
    assert data["findings_corrected"] == {"added": [], "removed": []}


@pytest.mark.parametrize("path", sorted(MORE.glob("1[01]*.txt"))[:6], ids=lambda p: p.name[:3])
def test_evidence_spans_mark_sentences_of_the_narrative(new_library, path):
    import_paths(new_library, [str(path)])
    case = new_library.case(1)
    for e in case.evidence:
        if e.field == "narrative":
            passage = case.passage(e)
            after = case.narrative[e.end : e.end + 1]
            assert passage == passage.strip()
            assert passage[-1] in ".!?”’\"')" or after in ("", "\n")  # 105 has a sentence without a stop
    for event in case.chronology:
        start, end = event.sentence_span(case.narrative)
        assert start <= event.start < event.end <= end
        assert case.narrative[event.start : event.end] == event.text


# ----- corrections --------------------------------------------------------------------------------


def test_a_correction_changes_the_findings_search_facets_and_counts_see(library):
    case = library.find_case("2017/095703")
    assert case.findings == (NO_INDICATION,)
    before = search(library, "outcome:no-case")
    finding_corrections.set_findings(library, case.id, [NO_CASE])
    corrected = library.case(case.id)
    assert corrected.findings == (NO_CASE,)
    assert corrected.findings_read == (NO_INDICATION,)
    assert (corrected.findings_added, corrected.findings_removed) == ((NO_CASE,), (NO_INDICATION,))
    after = search(library, "outcome:no-case")
    assert after.total == before.total + 1 and case.id in after.ids
    assert case.id not in search(library, "outcome:no-indication").ids
    facets = dict(search(library, "").facets["outcome"])
    assert facets[NO_CASE] == after.total


def test_corrections_for_a_selection_and_taking_them_back(library):
    ids = [int(i) for i in search(library, "outcome:no-indication").ids[:3]]
    finding_corrections.correct(library, ids, LEARNING, True)
    assert all(LEARNING in library.case(i).findings for i in ids)
    assert set(ids) <= set(search(library, "outcome:learning").ids.tolist())
    finding_corrections.correct(library, ids[:1], NO_INDICATION, False)
    assert NO_INDICATION not in library.case(ids[0]).findings
    finding_corrections.clear(library, ids)
    assert [library.case(i).findings for i in ids] == [library.case(i).findings_read for i in ids]
    assert finding_corrections.decisions(library, ids[0]) == {}


def test_agreeing_with_the_reader_is_no_correction(library):
    case = library.find_case("2017/095703")
    finding_corrections.set_findings(library, case.id, [NO_CASE])
    finding_corrections.set_findings(library, case.id, case.findings_read)
    assert finding_corrections.decisions(library, case.id) == {}
    assert library.case(case.id).findings == case.findings_read


def test_an_unknown_label_is_refused(library):
    with pytest.raises(ValueError):
        finding_corrections.correct(library, [1], "innocent", True)


def test_corrections_are_marked_in_csv_and_json(library):
    case = library.find_case("2017/095703")
    finding_corrections.set_findings(library, case.id, [NO_CASE])
    stream = io.StringIO()
    write_csv(library.cases([case.id]), stream)
    (row,) = csv.DictReader(io.StringIO(stream.getvalue()))
    assert row["findings"] == NO_CASE and row[NO_CASE] == "yes" and row[NO_INDICATION] == ""
    assert row["findings_corrected"] == f"added {NO_CASE}; removed {NO_INDICATION}"
    assert row["chronology"].startswith("2017-11-28 28 November 2017; 2017-10-31 31 October 2017")
    stream = io.StringIO()
    write_json(library.cases([case.id]), stream)
    (data,) = json.loads(stream.getvalue())
    assert data["findings"] == [NO_CASE] and data["findings_read"] == [NO_INDICATION]
    assert data["findings_corrected"] == {"added": [NO_CASE], "removed": [NO_INDICATION]}


def test_corrections_survive_reimporting_the_same_file(tmp_path, new_library):
    path = write_case(tmp_path / "in", "custody.txt", custody_case())
    import_paths(new_library, [str(path)])
    finding_corrections.correct(new_library, [1], LEARNING, True)
    report = import_paths(new_library, [str(path)])
    assert report.files[0].outcome == "duplicate"
    assert new_library.case(1).findings == (LEARNING, NO_INDICATION)


def test_corrections_survive_a_reimport_that_replaces_the_text(tmp_path, new_library):
    first = write_case(tmp_path / "a", "custody.txt", custody_case())
    import_paths(new_library, [str(first)])
    finding_corrections.correct(new_library, [1], LEARNING, True)
    finding_corrections.correct(new_library, [1], NO_INDICATION, False)
    new_text = (
        custody_case()
        .replace("On 3 May 2019", "On 4 May 2019")
        .replace(
            "disciplinary proceedings.", "disciplinary proceedings. We made two recommendations to the force."
        )
    )
    second = write_case(tmp_path / "b", "custody.txt", new_text)
    report = import_paths(new_library, [str(second)], resolution="replace")
    assert report.files[0].outcome == "updated"
    case = new_library.case(1)
    assert case.findings_read == (LEARNING, NO_INDICATION)  # the new text's reading
    assert case.findings == (LEARNING,)  # the reviewer's word still stands
    assert [e.date for e in case.chronology] == ["2019-05-04"]  # the new text's events
    assert {e.label for e in case.evidence} == {LEARNING, NO_INDICATION}
    assert search(new_library, "outcome:no-indication").total == 0
    assert search(new_library, "event:2019-05-03").total == 0
    assert search(new_library, "event:2019-05-04").total == 1


# ----- the event filter -----------------------------------------------------------------------------


def test_the_event_filter_finds_cases_by_the_dates_in_their_narrative(library):
    by_case = {c.id: c.chronology for c in library.cases(list(search(library, "").ids))}
    march = search(library, "event:2018-03")
    assert set(march.ids.tolist()) == {
        i for i, events in by_case.items() if any(e.date.startswith("2018-03") for e in events)
    }
    assert march.total == 3
    spanning = search(library, "event:2018..2019")
    assert set(spanning.ids.tolist()) == {
        i for i, events in by_case.items() if any(e.date[:4] in ("2018", "2019") for e in events)
    }
    assert set(search(library, "-event:2018..2019").ids.tolist()) == set(by_case) - set(spanning.ids.tolist())
    assert search(library, "event:2018-03").explain() == ["Filters: an event in the narrative dated 2018-03"]


def test_a_year_alone_is_not_an_event_in_each_of_its_months(library):
    with_year_only = [
        c.id
        for c in library.cases(list(search(library, "").ids))
        if any(e.precision == "year" for e in c.chronology)
    ]
    assert with_year_only
    case = library.case(with_year_only[0])
    year = next(e.date for e in case.chronology if e.precision == "year")
    assert case.id in search(library, f"event:{year}").ids
    months_of_that_year = {
        e.date[:7] for e in case.chronology if e.date.startswith(year) and e.precision != "year"
    }
    for month in [f"{year}-{m:02d}" for m in range(1, 13)]:
        found = case.id in search(library, f"event:{month}").ids
        assert found == (month in months_of_that_year)


@pytest.mark.parametrize(
    "value",
    ["", "2019-99999999999999999999", "99999", "..", "2019..x", "¹²³⁴", "2019-02-30", "0000", "-", "'; DROP"],
)
def test_any_event_filter_is_safe(library, value):
    result = search(library, f"event:{value}")
    assert result.total >= 0
    assert result.explain()


# ----- the timeline across cases -----------------------------------------------------------------


def test_events_by_month_count_the_events_of_the_cases_given(library):
    ids = search(library, "").ids
    cases = list(library.cases([int(i) for i in ids]))
    result = timeline.events_by_month(library, ids)
    months = {}
    for case in cases:
        for e in case.chronology:
            if e.precision != "year":
                months.setdefault(e.date[:7], []).append(case.id)
    assert [p.period for p in result.months] == sorted(months)
    for p in result.months:
        assert (p.events, p.cases) == (len(months[p.period]), len(set(months[p.period])))
    years = sorted({e.date for c in cases for e in c.chronology if e.precision == "year"})
    assert [p.period for p in result.years] == years
    assert result.undated_cases == sum(1 for c in cases if not c.chronology)
    listed = timeline.events_in(library, ids, result.months[0].period)
    assert len(listed) == result.months[0].events
    assert all(e.date.startswith(result.months[0].period) for e in listed)
    assert timeline.events_in(library, ids, "not a month") == []


def test_the_timeline_follows_the_cases_given(library):
    some = search(library, "force:kent").ids
    result = timeline.events_by_month(library, some)
    assert sum(p.cases for p in result.months) >= 1
    assert {e.case_id for p in result.months for e in timeline.events_in(library, some, p.period)} <= set(
        some.tolist()
    )
    assert timeline.events_by_month(library, np.zeros(0, np.int64)).months == []


def test_publication_lag_is_the_days_from_incident_to_publication(library):
    ids = search(library, "").ids
    lag = timeline.publication_lag(library, ids)
    for case_id, days in zip(lag.ids.tolist(), lag.days.tolist(), strict=True):
        case = library.case(case_id)
        incident = case.incident.start if case.incident else case.incident_date.start
        assert days == (case.published.start - incident).days
    without = [c.id for c in library.cases([int(i) for i in ids]) if not c.published]
    assert without and not set(without) & set(lag.ids.tolist())
    q1, median, q3 = lag.quartiles()
    assert 0 < q1 <= median <= q3


# ----- an older library is upgraded ---------------------------------------------------------------


def test_upgrading_a_version_3_library_reads_events_and_evidence_of_its_cases(library):
    path = library.path
    before = {c.id: c for c in library.cases(list(search(library, "").ids))}
    # A v3 library read its findings with the rules of its day: they are kept as they are.
    library.conn.execute("UPDATE cases SET findings = 'criminal_referral' WHERE id = 1")
    library.close()
    as_version_3(path)
    lib = Library.open(path)
    try:
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        for case in lib.cases(list(before)):
            assert case.chronology == before[case.id].chronology
            if case.id == 1:
                assert case.findings == case.findings_read == ("criminal_referral",)
                assert case.evidence == ()
            else:
                assert case.findings == before[case.id].findings
                assert {e.label for e in case.evidence} <= set(case.findings)
        assert search(lib, "event:2018-03").total == 3
        finding_corrections.correct(lib, [2], NO_CASE, True)
        assert NO_CASE in lib.case(2).findings
    finally:
        lib.close()
