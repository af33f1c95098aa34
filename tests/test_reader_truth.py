"""Every scored field of every development case and seed, against TRUTH.tsv."""

import csv

import pytest
from conftest import MORE, REAL, SEEDS

from storage.reading.reader import read_file


def truth_rows():
    for folder in (REAL, MORE, SEEDS):
        with open(folder / "TRUTH.tsv", encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                yield pytest.param(folder / row["file"], row, id=row["file"])


def fields_of(record):
    return {
        "title": record.title,
        "subject": record.subject,
        "force": record.force or "",
        "category": record.category or "",
        "reference": record.reference or "",
        "incident_month": (record.incident.month_iso() if record.incident else None) or "",
        "published": (record.published.day_iso() if record.published else None) or "",
        "incident_date": (record.incident_date.day_iso() if record.incident_date else None) or "",
    }


@pytest.mark.parametrize("path,truth", list(truth_rows()))
def test_scored_fields_match_truth(path, truth):
    result = read_file(str(path))
    assert result.ok, result.reason
    got = fields_of(result.record)
    for name, value in got.items():
        if truth[name] != "*":
            assert value == truth[name], f"{name} of {path.name}"
    if truth["findings"] != "*":
        expected = {label for label in truth["findings"].split(",") if label}
        assert set(result.record.findings) == expected


@pytest.mark.parametrize("path,truth", list(truth_rows()))
def test_original_bytes_and_hash_are_kept(path, truth):
    import hashlib

    result = read_file(str(path))
    data = path.read_bytes()
    assert result.source.data == data
    assert result.source.sha256 == hashlib.sha256(data).hexdigest()
    assert result.source.name == path.name
