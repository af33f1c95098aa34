"""casebook-cli as a user runs it: a real process on a real library file."""

import codecs
import json
import os
import subprocess
import sys

import pytest
from conftest import BAD, REAL, SEEDS


def cli(*args, library, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "gui.cli.main", "--library", str(library), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def lib_path(tmp_path):
    path = tmp_path / "cli.casebook"
    cli("import", REAL, SEEDS, library=path)
    return path


def test_import_prints_a_report_for_every_file(tmp_path):
    path = tmp_path / "new.casebook"
    out = cli("import", REAL, BAD / "pdf-renamed.txt", library=path).stdout
    assert out.count("Imported") == 30
    assert "Not importable" in out and "PDF document" in out
    assert "warning: The IOPC reference label has no number." in out
    assert "30 imported, 0 replaced, 0 skipped, 2 not importable." in out
    again = cli("import", REAL, "--quiet", library=path).stdout
    assert "0 imported, 0 replaced, 30 skipped, 1 not importable." in again


def test_search_json(lib_path):
    data = json.loads(cli("search", "taser", "--json", "--limit", "2", library=lib_path).stdout)
    assert data["total"] == 3 and len(data["cases"]) == 2
    assert data["sort"] == "relevance"
    assert "[" in data["cases"][0]["snippet"]
    assert data["read_as"] == ["Must contain: “taser”"]


def test_search_text_output(lib_path):
    out = cli("search", "force:kent", library=lib_path).stdout
    assert out.startswith("2 cases")
    assert "Kent Police" in out


def test_search_and_similar_list_each_cases_number_which_show_takes(lib_path):
    cases = json.loads(cli("search", "--json", "--limit", "100", library=lib_path).stdout)["cases"]
    out = cli("search", "--limit", "100", library=lib_path).stdout.splitlines()
    listed = [line for line in out[1:] if not line.startswith(" ")]
    assert [line.split()[:2] for line in listed] == [[str(c["id"]), c["reference"] or "-"] for c in cases]
    nameless = next(c for c in cases if not c["reference"])
    shown = json.loads(cli("show", nameless["id"], "--json", library=lib_path).stdout)
    assert shown["title"] == nameless["title"]
    similar = json.loads(cli("similar", nameless["id"], "--json", library=lib_path).stdout)
    out = cli("similar", nameless["id"], library=lib_path).stdout.splitlines()
    listed = [line for line in out[1:] if not line.startswith(" " * 8)]
    assert [line.split()[1:3] for line in listed] == [[str(c["id"]), c["reference"] or "-"] for c in similar]


def test_show_json_has_the_documented_keys(lib_path):
    data = json.loads(cli("show", "2016/070829", "--json", library=lib_path).stdout)
    assert data["title"].startswith("Response to intelligence received")
    assert data["incident_month"] == "2016-07" and data["incident_date"] == "2016-07-27"
    assert data["published"] == "2018-10-08"
    assert data["findings"] == [
        "misconduct_case_to_answer",
        "unsatisfactory_performance",
        "learning_recommendations",
    ]
    assert len(data["source_sha256"]) == 64


def test_show_gives_the_chronology_and_the_corrected_findings(lib_path):
    from storage.keeping import finding_corrections
    from storage.keeping.library import Library

    data = json.loads(cli("show", "2018/100519", "--json", library=lib_path).stdout)  # 012
    assert data["chronology"] == [
        {
            "date": "2018-03-05",
            "precision": "day",
            "text": "5 March 2018",
            "sentence": data["chronology"][0]["sentence"],
        },
        {
            "date": "2018-03-04",
            "precision": "day",
            "text": "the night before",
            "sentence": data["chronology"][1]["sentence"],
        },
        {
            "date": "2020-02",
            "precision": "month",
            "text": "February 2020",
            "sentence": data["chronology"][2]["sentence"],
        },
    ]
    assert all(e["text"] in e["sentence"] for e in data["chronology"])
    assert data["findings_evidence"][0]["label"] == "no_indication_of_misconduct"
    with Library.open(lib_path) as lib:
        finding_corrections.correct(lib, [data["id"]], "learning_recommendations", True)
    text = cli("show", "2018/100519", library=lib_path).stdout
    assert "corrected        +learning_recommendations (by a reviewer)" in text
    assert "Chronology" in text and "2018-03-04" in text
    exported = json.loads(cli("export", "2018/100519", "--json", library=lib_path).stdout)
    assert exported[0]["findings_corrected"] == {"added": ["learning_recommendations"], "removed": []}
    assert (
        exported[0]["chronology"]
        == json.loads(cli("show", "2018/100519", "--json", library=lib_path).stdout)["chronology"]
    )


def test_show_unknown_case(lib_path):
    result = cli("show", "1999/000000", library=lib_path, check=False)
    assert result.returncode == 1 and "no case" in result.stderr


def test_export_csv_and_json_files(lib_path, tmp_path):
    cli("export", "--csv", "-o", tmp_path / "all.csv", library=lib_path)
    assert (tmp_path / "all.csv").read_text("utf-8-sig").count("\n") > 32
    cli("export", "custody", "--json", "-o", tmp_path / "custody.json", library=lib_path)
    data = json.loads((tmp_path / "custody.json").read_text("utf-8"))
    assert data and all("narrative" in d for d in data)


def test_export_to_standard_output(lib_path):
    out = cli("export", "force:kent", "--json", library=lib_path).stdout
    assert len(json.loads(out)) == 2


def test_csv_to_standard_output_is_the_same_bytes_as_a_csv_file(lib_path, tmp_path):
    cli("export", "force:kent", "--csv", "-o", tmp_path / "kent.csv", library=lib_path)
    piped = subprocess.run(
        [sys.executable, "-m", "gui.cli.main", "--library", str(lib_path), "export", "force:kent", "--csv"],
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},  # a terminal that is not UTF-8
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith(codecs.BOM_UTF8)
    assert piped.stdout == (tmp_path / "kent.csv").read_bytes()


def test_library_may_come_after_the_command(tmp_path):
    library = tmp_path / "after.casebook"
    run = [sys.executable, "-m", "gui.cli.main"]
    imported = subprocess.run([*run, "import", SEEDS, "--library", library], capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    assert library.exists() and "2 imported" in imported.stdout
    info = subprocess.run([*run, "info", "--library", library], capture_output=True, text=True)
    assert f"library   {library}" in info.stdout and "cases     2" in info.stdout
    both = subprocess.run(
        [*run, "--library", tmp_path / "other.casebook", "info", "--library", library],
        capture_output=True,
        text=True,
    )
    assert "cases     2" in both.stdout, "the one nearer the command wins"


def test_not_a_library_is_refused_plainly(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database at all, just some notes\n" * 5)
    result = cli("search", "x", library=path, check=False)
    assert result.returncode == 2
    assert "is not a Casebook library" in result.stderr
    assert "Traceback" not in result.stderr


def test_search_says_how_many_more_and_how_to_see_them(lib_path):
    out = cli("search", "police", library=lib_path).stdout
    total = int(out.split()[0])
    assert total > 20
    listed = [line for line in out.splitlines()[2:] if line[:1] not in (" ", "…")]  # after "Read as"
    assert len(listed) == 20
    assert out.rstrip().endswith(f"… and {total - 20} more: --limit {total} lists them all.")
    everything = cli("search", "police", "--limit", total, library=lib_path).stdout
    assert "more:" not in everything


def test_search_snippets_are_one_line_and_the_query_is_explained(lib_path):
    out = cli("search", "force:kent custody", library=lib_path).stdout
    lines = out.splitlines()
    assert lines[0] == "2 cases (sorted by relevance)"
    assert lines[1:3] == ["Read as: Must contain: “custody”", "Read as: Filters: force: kent"]
    snippets = [line for line in lines if line.startswith(" ")]
    assert len(snippets) == 2 and "" not in lines  # no blank lines from the narrative
    assert all(" ".join(s.split()) == s.strip() for s in snippets)


def test_the_help_says_what_the_tool_is_for(tmp_path):
    out = cli("--help", library=tmp_path / "none.casebook").stdout
    assert "thin layer" not in out
    assert "cases of a Casebook library from a terminal" in " ".join(out.split())


def test_a_missing_library_is_named_with_the_option_to_give_another(tmp_path):
    missing = tmp_path / "nowhere.casebook"
    result = cli("search", "x", library=missing, check=False)
    assert result.returncode == 2
    assert result.stderr == (
        f"casebook-cli: there is no library at {missing}.\n"
        "Give another with --library PATH, or create one there with: "
        "casebook-cli import FILES --library PATH\n"
    )
