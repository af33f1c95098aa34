"""Statistics of a search: counts a reviewer can check against the cases themselves."""

import json
from collections import Counter

import pytest
from test_cli import cli

from storage.patterns.stats import statistics
from storage.searching.search import search


def figures_of(lib, text=""):
    return statistics(lib, search(lib, text))


def cases_of(lib, text=""):
    return list(lib.cases([int(i) for i in search(lib, text).ids]))


def test_counts_match_the_cases_of_the_search(library):
    cases = cases_of(library, "custody")
    figures = figures_of(library, "custody")
    assert figures.total == len(cases) > 3
    forces = Counter(c.force for c in cases if c.force)
    assert all(forces[name] == n for name, n in figures.by_force)
    assert sum(n for _, n in figures.by_force) + figures.other_forces == sum(forces.values())
    assert figures.no_force == sum(1 for c in cases if not c.force)
    findings = Counter(f for c in cases for f in c.findings)
    assert dict(figures.by_finding) == dict(findings)
    assert figures.no_finding == sum(1 for c in cases if not c.findings)
    years = Counter(str(c.incident.start.year) for c in cases if c.incident)
    assert {y: n for y, n in figures.by_incident_year if n} == dict(years)


@pytest.mark.parametrize("text", ["year:2016", "force:metropolitan", "status:new custody", "-year:2016"])
def test_a_chosen_force_year_or_status_counts_only_the_cases_it_chose(library, text):
    """The filter panel counts a chosen force, year or status as if it were not chosen; the
    statistics describe the cases the search shows."""
    cases = cases_of(library, text)
    figures = figures_of(library, text)
    assert figures.total == len(cases) > 0
    years = Counter(str(c.incident.start.year) for c in cases if c.incident)
    assert {y: n for y, n in figures.by_incident_year if n} == dict(years)
    forces = Counter(c.force for c in cases if c.force)
    assert all(forces[name] == n for name, n in figures.by_force)
    assert sum(n for _, n in figures.by_status) == len(cases)


def test_years_run_without_gaps_oldest_first(library):
    years = [int(y) for y, _ in figures_of(library).by_incident_year]
    assert years == list(range(years[0], years[-1] + 1))
    assert sum(n for _, n in figures_of(library).by_incident_year) == figures_of(library).total


def test_forces_beyond_the_top_are_counted_together(library):
    figures = statistics(library, search(library, ""), top=3)
    assert len(figures.by_force) == 3
    named = sum(n for _, n in figures.by_force)
    assert named + figures.other_forces + figures.no_force == figures.total
    assert figures.other_forces > 0


def test_review_status_and_reviewed_follow_the_reviewer(library):
    ids = [int(i) for i in search(library, "custody").ids[:3]]
    library.set_status(ids, "reviewed")
    library.set_status(ids[:1], "flagged")
    figures = figures_of(library, "custody")
    assert figures.reviewed == 2
    assert dict(figures.by_status) == {
        "new": figures.total - 3,
        "in_review": 0,
        "reviewed": 2,
        "flagged": 1,
    }


def test_tags_counted_per_case(library):
    ids = [int(i) for i in search(library, "").ids[:4]]
    for case_id in ids:
        library.change_tag([case_id], "to check", add=True)
    figures = figures_of(library)
    assert dict(figures.by_tag)["to check"] == 4
    tagged = sum(1 for c in cases_of(library) if c.tags)
    assert figures.untagged == figures.total - tagged


def test_publication_lag_from_incident_to_publication(library):
    cases = cases_of(library)
    days = sorted(
        (c.published.start - c.incident.start).days for c in cases if c.incident and c.published
    )
    lag = figures_of(library).publication_lag
    assert lag.count == len(days) > 10
    assert lag.shortest == days[0] and lag.longest == days[-1]
    middle = len(days) // 2
    assert lag.median == (days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2)
    assert lag.quartiles[0] <= lag.median <= lag.quartiles[1]
    assert sum(n for _, n in lag.bands) == lag.count
    assert lag.undated == len(cases) - len(days)


def test_an_empty_result_has_no_figures(library):
    figures = figures_of(library, "nosuchwordanywhere")
    assert figures.total == 0 and figures.by_force == [] and figures.by_incident_year == []
    assert figures.publication_lag.count == 0 and figures.publication_lag.median is None


def test_cli_stats_json(library):
    library.close()
    out = cli("stats", "custody", "--json", library=library.path).stdout
    data = json.loads(out)
    for key in ("by_force", "by_incident_year", "by_finding", "by_status"):
        assert isinstance(data[key], dict) and all(isinstance(v, int) for v in data[key].values())
    lag = data["publication_lag_days"]
    assert lag["count"] > 0 and lag["quartiles"][0] <= lag["median"] <= lag["quartiles"][1]
    assert data["total"] == sum(data["by_status"].values())


def test_cli_stats_text(library):
    library.close()
    out = cli("stats", "force:kent", library=library.path).stdout
    assert out.startswith("2 cases; 0 reviewed")
    assert "Kent Police" in out and "median" in out
