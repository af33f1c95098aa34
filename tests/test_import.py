"""Importing into a real library file: batches, duplicates, conflicts, cancel, corrections."""

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from conftest import CUSTODY_CASE, REAL, SEEDS, write_case

from storage.errors import Cancelled
from storage.keeping import importing
from storage.keeping.importing import CorrectionError, batch_report, import_paths, import_planned, plan
from storage.keeping.library import Library
from storage.reading.files import collect_files, read_files
from storage.reading.reader import read_file

CASE = CUSTODY_CASE


def fts_hits(lib, word):
    return lib.conn.execute("SELECT count(*) FROM cases_fts WHERE cases_fts MATCH ?", (word,)).fetchone()[0]


def snapshot(lib):
    """Everything a batch could touch."""
    conn = lib.conn
    return (
        conn.execute("SELECT id, title, status, notes, tags, rev FROM cases ORDER BY id").fetchall(),
        conn.execute("SELECT count(*) FROM sources").fetchone(),
        conn.execute("SELECT count(*) FROM batches").fetchone(),
        conn.execute("SELECT count(*) FROM batch_files").fetchone(),
        conn.execute("SELECT * FROM meta ORDER BY key").fetchall(),
        fts_hits(lib, "custody"),
        conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall(),
    )


def test_importing_a_folder_records_a_batch(new_library):
    report = import_paths(new_library, [str(REAL), str(SEEDS)], label="Drop")
    assert report.imported == 32
    assert report.rejected == 2  # the two TRUTH.tsv tables
    rejected = {f.name: f.reason for f in report.files if f.outcome == "rejected"}
    assert "table" in rejected["TRUTH.tsv"]
    assert new_library.case_count() == 32
    batch = new_library.conn.execute(
        "SELECT label, files, imported, skipped, rejected, finished_at FROM batches"
    ).fetchone()
    assert batch[:5] == ("Drop", 34, 32, 0, 2) and batch[5]
    rows = new_library.conn.execute("SELECT count(*) FROM batch_files WHERE batch_id = ?", (report.batch_id,))
    assert rows.fetchone()[0] == 34
    assert fts_hits(new_library, "taser") == 3  # 030, 063 and 066 (stemmed: "Tasered")
    case = new_library.find_case("2016/070829")
    assert case.imported_at and case.source_name == "000_f3618189f69007e2.txt"
    # The batch's per-file record says which bytes each file held.
    kept = batch_report(new_library, report.batch_id).files
    assert len(kept) == 34
    for f in kept:
        assert f.sha256 == hashlib.sha256(Path(f.path).read_bytes()).hexdigest(), f.name


def test_file_tags_become_case_tags(new_library):
    import_paths(new_library, [str(REAL / "066_tasered-west-yorkshire-2017.txt")])
    case = new_library.find_case("2017/094798")
    assert "Use of force and armed policing" in case.tags
    assert case.source_tags == case.tags


def test_identical_file_is_skipped_and_reported(library):
    report = import_paths(library, [str(REAL / "066_tasered-west-yorkshire-2017.txt")])
    assert (report.imported, report.skipped) == (0, 1)
    assert "identical file" in report.files[0].reason
    assert library.case_count() == 32


@pytest.mark.parametrize("encoding,newline", [("cp1252", "\r\n"), ("utf-16", "\n")])
def test_same_text_saved_differently_is_a_duplicate(library, tmp_path, encoding, newline):
    text = (REAL / "066_tasered-west-yorkshire-2017.txt").read_text("utf-8").replace("\n", newline)
    path = write_case(tmp_path, "resaved.txt", text.encode(encoding))
    report = import_paths(library, [str(path)])
    assert report.files[0].outcome == "duplicate"
    assert "saved with another encoding or line endings" in report.files[0].reason


def test_duplicates_within_one_batch(new_library, tmp_path):
    a = write_case(tmp_path / "a", "one.txt", CASE)
    b = write_case(tmp_path / "b", "one-copy.txt", CASE)
    report = import_paths(new_library, [str(a), str(b)])
    assert [f.outcome for f in report.files] == ["imported", "duplicate"]
    assert "one.txt" in report.files[1].reason and "in this import" in report.files[1].reason


@pytest.fixture
def reviewed_case(new_library, tmp_path):
    import_paths(new_library, [str(write_case(tmp_path, "first.txt", CASE))])
    case = new_library.find_case("2019/123456")
    new_library.set_status([case.id], "flagged")
    new_library.set_notes(case.id, "Ask for the cell CCTV.")
    new_library.set_tags(case.id, ["bundle A"])
    return case.id


def revised(tmp_path):
    return write_case(tmp_path / "new", "revised.txt", CASE.replace("Medway", "Maidstone"))


def test_conflict_skip_keeps_the_library_as_it_was(new_library, reviewed_case, tmp_path):
    report = import_paths(new_library, [str(revised(tmp_path))], resolution="skip")
    assert report.files[0].outcome == "conflict_skipped"
    assert "already in the library with different text" in report.files[0].reason
    assert "Medway" in new_library.case(reviewed_case).narrative


def test_conflict_replace_keeps_review_fields(new_library, reviewed_case, tmp_path):
    report = import_paths(new_library, [str(revised(tmp_path))], resolution="replace")
    assert report.files[0].outcome == "updated" and report.files[0].case_id == reviewed_case
    case = new_library.case(reviewed_case)
    assert "Maidstone" in case.narrative
    assert (case.status, case.notes, case.tags) == ("flagged", "Ask for the cell CCTV.", ("bundle A",))
    assert case.source_name == "revised.txt"
    assert new_library.source(reviewed_case).data == (tmp_path / "new" / "revised.txt").read_bytes()
    assert fts_hits(new_library, "maidstone") == 1 and fts_hits(new_library, "medway") == 0
    assert new_library.case_count() == 1


def test_conflict_keep_both(new_library, reviewed_case, tmp_path):
    report = import_paths(new_library, [str(revised(tmp_path))], resolution="keep_both")
    assert report.files[0].outcome == "imported"
    assert new_library.case_count() == 2
    assert new_library.case(reviewed_case).notes == "Ask for the cell CCTV."


def test_conflict_within_one_batch_replace_keeps_the_later_file(new_library, tmp_path):
    first = write_case(tmp_path, "first.txt", CASE)
    report = import_paths(new_library, [str(first), str(revised(tmp_path))], resolution="replace")
    assert [f.outcome for f in report.files] == ["imported", "updated"]
    assert new_library.case_count() == 1
    assert "Maidstone" in new_library.find_case("2019/123456").narrative


@pytest.mark.parametrize("index_chunk", [1, 2, 25_000])
def test_cases_indexed_while_the_batch_is_stored_are_found_and_replaced_right(
    new_library, tmp_path, monkeypatch, index_chunk
):
    # A big import indexes its cases in slices as it stores them; a later file in the
    # same batch that replaces an indexed case must take its words out of the index.
    monkeypatch.setattr(importing, "STORE_CHUNK", 1)
    monkeypatch.setattr(importing, "INDEX_CHUNK", index_chunk)
    dover = CASE.replace("2019/123456", "2019/654321").replace("Medway", "Dover")
    other = write_case(tmp_path, "other.txt", dover)
    first = write_case(tmp_path, "first.txt", CASE)
    paths = [str(first), str(other), str(revised(tmp_path))]
    report = import_paths(new_library, paths, resolution="replace", workers=1)
    assert [f.outcome for f in report.files] == ["imported", "imported", "updated"]
    assert fts_hits(new_library, "maidstone") == 1 and fts_hits(new_library, "medway") == 0
    assert fts_hits(new_library, "dover") == 1
    new_library.conn.execute("INSERT INTO cases_fts(cases_fts) VALUES ('integrity-check')")


def test_reimport_never_loses_review_fields(library):
    case = library.find_case("2017/094798")
    library.set_notes(case.id, "Seen by counsel.")
    library.set_status([case.id], "reviewed")
    for resolution in ("skip", "replace", "keep_both"):
        import_paths(library, [str(REAL)], resolution=resolution)
    again = library.case(case.id)
    assert (again.notes, again.status) == ("Seen by counsel.", "reviewed")
    assert library.case_count() == 32


def test_cancel_midway_leaves_the_library_as_it_was(library, tmp_path):
    folder = tmp_path / "many"
    for i in range(1200):
        write_case(folder, f"{i:04}.txt", CASE.replace("2019/123456", f"2019/{500000 + i}"))
    before = snapshot(library)
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        import_paths(library, [str(folder)], cancel=cancel, workers=1)
    assert snapshot(library) == before
    library.set_notes(1, "custody")  # the index trigger is back: edits are still indexed
    assert fts_hits(library, "custody") == before[5] + (0 if "custody" in library.case(1).narrative else 1)


def test_cancel_during_indexing_leaves_nothing(library, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "LAST_INDEX_CHUNK", 10_000)  # all 2,500 indexed after storing
    folder = tmp_path / "many"
    for i in range(2500):
        write_case(folder, f"{i:04}.txt", CASE.replace("2019/123456", f"2019/{500000 + i}"))
    before = snapshot(library)
    phases = []

    def progress(phase, done, total):
        phases.append(phase)

    with pytest.raises(Cancelled):
        import_paths(library, [str(folder)], progress=progress, cancel=lambda: "index" in phases, workers=1)
    assert "index" in phases
    assert snapshot(library) == before


def test_an_error_midway_rolls_the_whole_batch_back(library, tmp_path):
    folder = tmp_path / "many"
    for i in range(1100):
        write_case(folder, f"{i:04}.txt", CASE.replace("2019/123456", f"2019/{500000 + i}"))
    before = snapshot(library)

    def explode(phase, done, total):
        if done > 600:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        import_paths(library, [str(folder)], progress=explode, workers=1)
    assert snapshot(library) == before


def test_planned_import_with_hand_corrections(new_library, tmp_path):
    text = CASE.replace(" - Kent Police, May 2019", "").replace("\n2019/123456\n", "\n")
    path = write_case(tmp_path, "partial.txt", text)
    files = plan(new_library, [read_file(str(path))])
    assert files[0].status == "warnings"
    files[0].corrections = {
        "force": "Kent Police",
        "incident": "May 2019",
        "reference": "2019/654321",
        "title": "Custody death - Kent Police, May 2019",
    }
    report = import_planned(new_library, files)
    case = new_library.case(report.files[0].case_id)
    assert (case.force, case.reference, case.incident.month_iso()) == (
        "Kent Police",
        "2019/654321",
        "2019-05",
    )
    assert case.subject == "Custody death"
    assert not any("no number" in w for w in case.warnings)
    assert any("Corrected by hand" in w for w in case.warnings)


@pytest.mark.parametrize(
    "field,value", [("reference", "2019-1"), ("incident", "soon"), ("published", "yesterday"), ("title", " ")]
)
def test_bad_corrections_are_refused_in_plain_words(new_library, tmp_path, field, value):
    files = plan(new_library, [read_file(str(write_case(tmp_path, "c.txt", CASE)))])
    files[0].corrections = {field: value}
    with pytest.raises(CorrectionError):
        _ = files[0].record


def test_unchecked_files_are_left_out(new_library, tmp_path):
    files = plan(new_library, [read_file(str(write_case(tmp_path, "c.txt", CASE)))])
    files[0].include = False
    report = import_planned(new_library, files)
    assert report.files[0].outcome == "left_out" and new_library.case_count() == 0


def test_folders_are_walked_and_everything_is_accounted_for(tmp_path):
    root = tmp_path / "drop"
    write_case(root / "a" / "b", "deep.txt", CASE)
    write_case(root, ".DS_Store", b"\x00\x01")
    (root / "empty").mkdir()
    outside = write_case(tmp_path / "outside", "secret.txt", CASE)
    os.symlink(outside, root / "link.txt")
    os.symlink(tmp_path / "outside", root / "linked-folder")
    os.symlink(root, root / "a" / "loop")
    files, refused = collect_files([root, tmp_path / "gone.txt", tmp_path / "empty-drop"])
    assert files == [str(root / "a" / "b" / "deep.txt")]
    reasons = {os.path.basename(r.source.path): r.reason for r in refused}
    assert "Hidden system file" in reasons[".DS_Store"]
    assert "not followed" in reasons["link.txt"]
    assert "not followed" in reasons["linked-folder"] and "not followed" in reasons["loop"]
    assert "does not exist" in reasons["gone.txt"]


def test_an_empty_folder_is_reported(tmp_path):
    (tmp_path / "nothing").mkdir()
    files, refused = collect_files([tmp_path / "nothing"])
    assert files == [] and "empty" in refused[0].reason


def test_parallel_reading_gives_the_same_results_in_order(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(450):
        shutil.copy(REAL / "066_tasered-west-yorkshire-2017.txt", folder / f"{i:03}.txt")
    paths, _ = collect_files([folder])
    parallel = list(read_files(paths, workers=2))
    assert [r.source.path for r in parallel] == paths
    assert all(r.ok and r.record.reference == "2017/094798" for r in parallel)


def test_library_reopens_after_import(library):
    path = library.path
    library.close()
    assert Library.open(path).case_count() == 32
