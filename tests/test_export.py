"""CSV and JSON exports read back and compared with the library."""

import csv
import json

import pytest

from storage.export import CSV_COLUMNS, export
from storage.reading.findings import FINDINGS
from storage.searching.search import search


def test_csv_round_trip_matches_the_library(library, tmp_path):
    library.set_notes(1, '=HYPERLINK("http://evil")\nsecond line, with comma')
    library.set_tags(1, ["bundle A", "-risk"])
    ids = [int(i) for i in search(library, "").ids]
    path = tmp_path / "cases.csv"
    assert export(library, ids, path, "csv") == 32
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheets need the BOM to read UTF-8
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert "id" not in rows[0]  # the library's own numbers mean nothing to people
    cases = [library.case(i) for i in ids]
    assert [r["source_sha256"] for r in rows] == [c.source_sha256 for c in cases]
    by_case = {c.id: r for c, r in zip(cases, rows, strict=True)}
    for case in cases:
        row = by_case[case.id]
        assert row["title"] == case.title
        assert row["reference"] == (case.reference or "")
        assert row["force"] == (case.force or "")
        assert row["published"] == (case.published.day_iso() if case.published else "")
        assert row["status"] == case.status
        assert row["findings"].split("; ") == list(case.findings) or not case.findings
        for finding in FINDINGS:
            assert (row[finding.label] == "yes") == (finding.label in case.findings)
    one = by_case[1]
    assert one["notes"] == '\'=HYPERLINK("http://evil")\nsecond line, with comma'
    assert one["tags"] == "bundle A; -risk"
    assert set(CSV_COLUMNS) <= set(rows[0])


def test_json_round_trip(library, tmp_path):
    ids = [int(i) for i in search(library, "custody").ids]
    path = tmp_path / "cases.json"
    export(library, ids, path, "json")
    data = json.loads(path.read_text("utf-8"))
    assert [d["id"] for d in data] == ids
    for d in data:
        assert d == library.case(d["id"]).to_json()
    keys = {
        "id", "reference", "title", "subject", "force", "incident_month", "incident_date", "published",
        "category", "findings", "narrative", "warnings", "status", "tags", "notes", "source_name",
        "source_sha256",
    }  # fmt: skip
    assert keys <= set(data[0])


def test_failed_export_leaves_no_half_file(library, tmp_path):
    path = tmp_path / "missing-folder" / "out.csv"
    with pytest.raises(OSError):
        export(library, [1, 2], path, "csv")
    assert not path.exists()
    assert not (tmp_path / "missing-folder").exists()
