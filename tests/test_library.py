"""Opening, creating and refusing library files; review fields; the schema."""

import sqlite3

import pytest

from storage.errors import LibraryDamaged, LibraryMissing, LibraryTooNew, NotALibrary
from storage.keeping import schema
from storage.keeping.library import Library, needs_upgrade
from storage.searching.columns import _READ_SQL


def test_new_library_is_wal_with_foreign_keys_and_current_schema(tmp_path):
    lib = Library.open(tmp_path / "sub" / "new.casebook", create=True)
    conn = lib.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert lib.case_count() == 0
    lib.close()
    reopened = Library.open(tmp_path / "sub" / "new.casebook")
    assert reopened.case_count() == 0


def test_missing_library_is_not_created_unless_asked(tmp_path):
    with pytest.raises(LibraryMissing):
        Library.open(tmp_path / "nope.casebook")
    assert not (tmp_path / "nope.casebook").exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, I am a text file\n" * 10, bytes(range(256)) * 8],
    ids=["empty", "text", "random"],
)
def test_non_library_files_are_refused_and_left_unchanged(tmp_path, content):
    path = tmp_path / "x.casebook"
    path.write_bytes(content)
    with pytest.raises(NotALibrary) as e:
        Library.open(path)
    assert "not changed" in e.value.message or "empty" in e.value.message
    assert path.read_bytes() == content


def test_other_sqlite_database_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotALibrary):
        Library.open(path)
    assert path.read_bytes() == before


def test_truncated_library_is_refused_as_damaged_and_left_unchanged(library, tmp_path):
    path = library.path
    library.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()
    data = path.read_bytes()
    cut = tmp_path / "cut.casebook"
    cut.write_bytes(data[: len(data) // 2])
    before = cut.read_bytes()
    with pytest.raises((LibraryDamaged, NotALibrary)) as e:
        Library.open(cut)
    assert "Casebook has not changed it" in e.value.message or "not changed" in e.value.message
    assert cut.read_bytes() == before


def test_newer_schema_is_refused_and_left_unchanged(new_library):
    path = new_library.path
    new_library.conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    new_library.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    new_library.close()
    before = path.read_bytes()
    with pytest.raises(LibraryTooNew) as e:
        Library.open(path)
    assert "newer version of Casebook" in e.value.message
    assert path.read_bytes() == before


def test_read_only_file_opens_read_only_and_refuses_writes(library):
    from storage.errors import LibraryReadOnly

    path = library.path
    library.close()
    lib = Library.open(path, read_only=True)
    assert lib.read_only
    assert lib.case_count() == 32
    with pytest.raises(LibraryReadOnly):
        lib.set_notes(1, "x")


def test_locked_library_gives_a_plain_busy_error(library):
    from storage.errors import LibraryLocked
    from storage.keeping.library import BUSY_TIMEOUT_MS  # noqa: F401

    other = sqlite3.connect(library.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        library.conn.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(LibraryLocked) as e:
            library.set_status([1], "flagged")
        assert "busy" in e.value.message
    finally:
        other.execute("ROLLBACK")
        other.close()
    library.set_status([1], "flagged")
    assert library.case(1).status == "flagged"


def test_review_fields_persist_across_reopen(library):
    library.set_status([1, 2], "flagged")
    library.set_notes(1, "Risk assessment missed — follow up with PSD.")
    library.set_tags(2, ["bundle A", "Bundle a", " risk  "])
    library.change_tag([1, 2], "learning", add=True)
    library.change_tag([2], "risk", add=False)
    path = library.path
    library.close()
    lib = Library.open(path)
    one, two = lib.case(1), lib.case(2)
    assert (one.status, two.status) == ("flagged", "flagged")
    assert one.notes == "Risk assessment missed — follow up with PSD."
    assert one.tags == ("learning",)
    assert two.tags == ("bundle A", "learning")
    assert one.updated_at
    assert {"bundle A", "learning"} <= set(lib.all_tags())


def test_unknown_status_is_refused(library):
    with pytest.raises(ValueError):
        library.set_status([1], "done")


def test_original_text_is_kept_byte_for_byte(library):
    from conftest import REAL

    case = library.find_case("2022/171090")
    source = library.source(case.id)
    original = (REAL / "003_handling-complaint-merseyside-2022.txt").read_bytes()
    assert source.data == original
    assert source.name == "003_handling-complaint-merseyside-2022.txt"
    import hashlib

    assert source.sha256 == case.source_sha256 == hashlib.sha256(original).hexdigest()


def test_full_text_index_follows_edits(library):
    def hits(word):
        return library.conn.execute(
            "SELECT count(*) FROM cases_fts WHERE cases_fts MATCH ?", (word,)
        ).fetchone()[0]

    assert hits("zebracrossing") == 0
    library.set_notes(3, "Check the zebracrossing footage")
    assert hits("zebracrossing") == 1
    library.set_notes(3, "")
    assert hits("zebracrossing") == 0
    library.set_tags(4, ["kettling"])
    assert hits("kettling") == 1


def test_saved_searches(library):
    library.save_search("Taser West", "taser force:west")
    library.save_search("Taser West", 'taser force:"west yorkshire"')
    library.save_search("all flagged", "status:flagged")
    assert library.saved_searches() == [
        ("all flagged", "status:flagged"),
        ("Taser West", 'taser force:"west yorkshire"'),
    ]
    library.delete_saved_search("all flagged")
    assert [n for n, _ in library.saved_searches()] == ["Taser West"]


def test_the_column_store_loads_from_a_covering_index(new_library):
    # Read from the table, the load would go through every case's 4 KB narrative.
    plan = new_library.conn.execute("EXPLAIN QUERY PLAN " + _READ_SQL.format(where="id > 0")).fetchall()
    assert "COVERING INDEX cases_column_store" in str(plan)


@pytest.mark.parametrize("version", [1, schema.SCHEMA_VERSION])
def test_other_database_with_a_user_version_is_refused_before_any_backup(tmp_path, version):
    from storage import paths

    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotALibrary) as e:
        Library.open(path)
    assert "not a Casebook library" in e.value.message
    assert path.read_bytes() == before
    assert not list(paths.backup_dir(path).iterdir()), "a backup was taken of a foreign file"
    assert not needs_upgrade(path), "the window would say it is upgrading it"


def test_refusing_a_wal_file_leaves_its_folder_as_it_was(library, tmp_path):
    """Reading a WAL file, even read-only, makes -wal and -shm files: none may be left behind."""
    path = library.path
    library.close()
    assert path.read_bytes()[18] == 2, "the library is in WAL mode"
    data = bytearray(path.read_bytes())
    data[4096 : 4096 + 8192] = bytes((i * 31) % 256 for i in range(8192))
    path.write_bytes(data)
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t(x)")
    conn.close()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(LibraryDamaged):
        Library.open(path)
    with pytest.raises(NotALibrary):
        Library.open(foreign)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
