"""The library's tables, full-text index and migrations.

The schema version lives in `PRAGMA user_version`; `APPLICATION_ID` marks a
file as a Casebook library so that some other SQLite file is never taken for one.
Tables are created with sqlite-utils. The full-text triggers are written by hand
because they fire only when an indexed column changes: a status change must not
re-index a 5 KB narrative.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from . import case_reading

if TYPE_CHECKING:
    import sqlite_utils

SCHEMA_VERSION = 6
APPLICATION_ID = 0x43426F6B  # "CBok"

FTS_TABLE = "cases_fts"
# Largest column first: FTS5 stores it more compactly (measured: 26% smaller).
FTS_COLUMNS = ("narrative", "recommendations", "title", "subject", "force", "reference", "notes", "tags")
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"

CASE_COLUMNS = {
    "id": int,
    "reference": str,
    "title": str,
    "subject": str,
    "force": str,
    "kind": str,
    "category": str,
    "incident_text": str,
    "incident_start": str,
    "incident_end": str,
    "incident_precision": str,
    "incident_date": str,
    "incident_date_text": str,
    "published": str,
    "published_text": str,
    "published_precision": str,
    "findings": str,
    "narrative": str,
    "recommendations": str,
    "source_tags": str,
    "warnings": str,
    "content_hash": str,
    "status": str,
    "tags": str,
    "notes": str,
    "created_at": str,
    "updated_at": str,
    "rev": int,
}


TEXT_COLUMNS = (
    "title", "subject", "narrative", "findings", "recommendations", "source_tags", "tags", "notes",
)  # fmt: skip
"""Columns that always hold text (empty when there is none)."""


def _value_rules() -> dict[str, tuple[str, str]]:
    """column -> (SQL true when the stored value is malformed, SQL of the value to use instead).

    Casebook never writes such values; another tool, a bug or damage that SQLite's own
    checks cannot see may. Reading puts the replacement in their place so that one bad
    value cannot break every search; storage/keeping/repair.py finds and mends them."""
    rules: dict[str, tuple[str, str]] = {}
    for column in TEXT_COLUMNS:
        rules[column] = ("typeof({c}) != 'text'", "''")
    for column in ("reference", "force", "category", "incident_text", "incident_date_text", "published_text",
                   "content_hash", "created_at", "updated_at", "findings_read"):  # fmt: skip
        rules[column] = ("typeof({c}) NOT IN ('text', 'null')", "NULL")
    for column in ("incident_start", "incident_end", "incident_date", "published"):
        rules[column] = ("{c} IS NOT NULL AND (typeof({c}) != 'text' OR date({c}) IS NOT {c})", "NULL")
    for column in ("incident_precision", "published_precision"):
        rules[column] = ("{c} IS NOT NULL AND {c} NOT IN ('day', 'month', 'year')", "NULL")
    rules["status"] = ("{c} IS NOT 'new' AND {c} NOT IN ('in_review', 'reviewed', 'flagged')", "'new'")
    rules["kind"] = ("{c} IS NOT 'investigation' AND {c} IS NOT 'learning'", "'investigation'")
    # json_type() raises on text that is not JSON, so it is asked only of valid JSON
    rules["warnings"] = (
        "typeof({c}) != 'text' OR CASE WHEN json_valid({c}) THEN json_type({c}) != 'array' ELSE 1 END", "'[]'"
    )
    rules["rev"] = ("typeof({c}) != 'integer'", "0")
    rules["batch_id"] = ("typeof({c}) NOT IN ('integer', 'null')", "NULL")
    return rules


VALUE_RULES = _value_rules()


def malformed(column: str, prefix: str = "") -> str:
    """SQL that is true when `column` holds a malformed value."""
    return VALUE_RULES[column][0].format(c=prefix + column)


def sound(column: str, prefix: str = "") -> str:
    """SQL for `column`'s value, with the replacement in place of a malformed one."""
    bad, instead = VALUE_RULES[column]
    name = prefix + column
    return f"CASE WHEN {bad.format(c=name)} THEN {instead} ELSE {name} END"


META_DEFAULTS = {
    "rev": 0,  # bumped by every write to a case: lets readers refresh only what changed
    "content_gen": 0,  # bumped when cases are added, replaced, corrected or removed
    "deleted": 0,  # bumped when cases are removed
}


def change_state(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """The change counters every Casebook write advances (`meta`: rev, content_gen, deleted)."""
    rev, content_gen, deleted = conn.execute(
        "SELECT (SELECT value FROM meta WHERE key = 'rev'),"
        " (SELECT value FROM meta WHERE key = 'content_gen'), (SELECT value FROM meta WHERE key = 'deleted')"
    ).fetchone()
    return rev, content_gen, deleted


def _create_v1(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": int}, pk="key")
    db.table("meta").insert_all([{"key": k, "value": v} for k, v in META_DEFAULTS.items()])
    db.table("batches").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "label": str,
            "files": int,
            "imported": int,
            "updated": int,
            "skipped": int,
            "rejected": int,
        },
        pk="id",
    )
    columns = {**CASE_COLUMNS, "batch_id": int}
    db.table("cases").create(
        columns,
        pk="id",
        not_null={"title", "subject", "kind", "status", "findings", "narrative", "rev"},
        defaults={
            "kind": "investigation",
            "status": "new",
            "findings": "",
            "narrative": "",
            "recommendations": "",
            "source_tags": "",
            "warnings": "[]",
            "tags": "",
            "notes": "",
            "rev": 0,
        },
        foreign_keys=[("batch_id", "batches", "id")],
    )
    db.table("sources").create(
        {
            "case_id": int,
            "file_name": str,
            "path": str,
            "sha256": str,
            "encoding": str,
            "size": int,
            "original": bytes,
            "imported_at": str,
            "batch_id": int,
        },
        pk="case_id",
        not_null={"file_name", "sha256", "original", "imported_at"},
        foreign_keys=[("case_id", "cases", "id"), ("batch_id", "batches", "id")],
    )
    db.table("batch_files").create(
        {
            "id": int,
            "batch_id": int,
            "path": str,
            "file_name": str,
            "sha256": str,
            "outcome": str,
            "case_id": int,
            "reason": str,
            "warnings": str,
        },
        pk="id",
        foreign_keys=[("batch_id", "batches", "id")],
    )
    db.table("sources").create_index(["sha256"], unique=True)
    db.table("batch_files").create_index(["batch_id"])
    for column in ("reference", "content_hash", "rev", "batch_id"):
        db.table("cases").create_index([column])
    db.table("cases").enable_fts(
        list(FTS_COLUMNS), fts_version="FTS5", tokenize=FTS_TOKENIZER, create_triggers=False
    )
    # Fewer, larger merges while importing: ~30% faster bulk indexing (bench/).
    db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('automerge', 8)")
    create_fts_triggers(db.conn)


def _v2_saved_searches(db: sqlite_utils.Database) -> None:
    """Version 2: saved searches live with the library they search."""
    db.table("saved_searches").create({"name": str, "query": str, "created_at": str}, pk="name")


COLUMN_STORE_INDEX = (
    "id", "force", "incident_start", "incident_date", "published", "status", "findings", "batch_id", "tags",
)  # fmt: skip
"""What the in-memory column store reads (storage/searching/columns.py). In the table these columns sit
around the 4 KB narrative, so a scan of them reads every row's overflow pages; as a covering
index the same scan reads a tenth of the bytes (100,000 cases: 0.9 s -> 0.35 s)."""


def _v3_column_store_index(db: sqlite_utils.Database) -> None:
    """Version 3: a covering index for loading the column store when a library opens."""
    db.table("cases").create_index(list(COLUMN_STORE_INDEX), index_name="cases_column_store")


def _v4_patterns(db: sqlite_utils.Database) -> None:
    """Version 4: what similar cases and near-duplicates are found with (storage/searching/similar.py,
    storage/patterns/duplicates.py): how many cases hold each indexed word, and each case's MinHash
    signature with its LSH band keys. Kept apart from the cases table."""
    # WITHOUT ROWID (which sqlite-utils cannot create): a lookup table keyed by its whole row is
    # half the size this way, and minhash_bands holds 16 rows a case.
    db.execute(
        "CREATE TABLE term_counts (term TEXT PRIMARY KEY, cases INTEGER NOT NULL, uses INTEGER NOT NULL)"
        " WITHOUT ROWID"
    )
    # Counted now for the cases already there (1.6 s at 100,000), then after imports.
    db.execute(f"CREATE VIRTUAL TABLE temp.v4_words USING fts5vocab(main, {FTS_TABLE}, row)")
    db.execute("INSERT INTO term_counts(term, cases, uses) SELECT term, doc, cnt FROM temp.v4_words")
    db.execute("DROP TABLE temp.v4_words")
    db.execute("INSERT INTO meta(key, value) VALUES ('term_counts_cases', (SELECT count(*) FROM cases))")
    db.table("case_minhash").create(
        {"case_id": int, "signature": bytes},
        pk="case_id",
        not_null={"signature"},
        foreign_keys=[("case_id", "cases", "id")],
    )
    db.execute(
        "CREATE TABLE minhash_bands (band_key INTEGER, case_id INTEGER, PRIMARY KEY (band_key, case_id))"
        " WITHOUT ROWID"
    )
    # No index on case_id: it would double the cost of storing bands at import. A removed
    # case's band rows are swept later (duplicates.library_duplicates) and ignored till then.
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS cases_minhash_ad AFTER DELETE ON cases BEGIN "
        "DELETE FROM case_minhash WHERE case_id = old.id; END"
    )


def _v5_chronology_and_evidence(db: sqlite_utils.Database) -> None:
    """Version 5: each case's dated events, the passages that gave its findings, and the reviewer's
    corrections of its findings (`findings` then holds the corrected labels, `findings_read` what
    the reader found). Cases already in the library are read for events and evidence here."""
    db.table("cases").add_column("findings_read", str)
    create_reading_tables(db)
    case_reading.fill(db.conn)


def create_reading_tables(db: sqlite_utils.Database) -> None:
    """The tables version 5 adds (see `_v5_chronology_and_evidence`)."""
    db.table("events").create(
        {
            "case_id": int,
            "seq": int,  # order in the narrative
            "date": str,  # YYYY-MM-DD, YYYY-MM or YYYY
            "precision": str,
            "text": str,  # the words as written: narrative[start:end]
            "start": int,
            "end": int,
            "first_day": str,  # the period the date names (the event filter and the timeline
            "last_day": str,  # read them into memory: storage/searching/event_columns.py)
        },
        pk=("case_id", "seq"),
        not_null={"date", "precision", "first_day", "last_day"},
        foreign_keys=[("case_id", "cases", "id")],
    )
    db.table("finding_evidence").create(
        {"case_id": int, "label": str, "field": str, "start": int, "end": int},
        not_null={"label", "field"},
        foreign_keys=[("case_id", "cases", "id")],
    )
    db.table("finding_evidence").create_index(["case_id"])
    db.table("finding_corrections").create(
        {"case_id": int, "label": str, "present": int, "corrected_at": str},
        pk=("case_id", "label"),
        not_null={"present"},
        foreign_keys=[("case_id", "cases", "id")],
    )
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS cases_reading_ad AFTER DELETE ON cases BEGIN "
        "DELETE FROM events WHERE case_id = old.id; DELETE FROM finding_evidence WHERE case_id = old.id; "
        "DELETE FROM finding_corrections WHERE case_id = old.id; END"
    )


SORTED_BY_INDEX = {"title": "title COLLATE NOCASE", "tags": "tags COLLATE NOCASE"}
"""The list's text orders, each read in order from an index of the cases that have a value
(storage/searching/columns.py)."""


def _v6_sort_indexes(db: sqlite_utils.Database) -> None:
    """Version 6: indexes the list's title and tag orders are read from. Sorting by title scanned
    every row of a 100,000-case library and took 0.94 s; reading the index takes a tenth."""
    db.execute(f"CREATE INDEX cases_title ON cases({SORTED_BY_INDEX['title']})")
    db.execute(f"CREATE INDEX cases_tags ON cases({SORTED_BY_INDEX['tags']}) WHERE tags != ''")


MIGRATIONS = {
    1: _create_v1,
    2: _v2_saved_searches,
    3: _v3_column_store_index,
    4: _v4_patterns,
    5: _v5_chronology_and_evidence,
    6: _v6_sort_indexes,
}
"""MIGRATIONS[n] turns a version n-1 library into version n (0 is an empty file)."""


def _fts_values(prefix: str) -> str:
    return ", ".join(f"{prefix}.{c}" for c in FTS_COLUMNS)


BULK_TRIGGERS = ("cases_fts_ai", "cases_fts_au")
"""Set aside while a batch imports; the batch indexes its rows itself (see importing)."""
_COLUMN_LIST = ", ".join(FTS_COLUMNS)


def create_fts_triggers(conn: sqlite3.Connection) -> None:
    """Create the full-text triggers that are missing."""
    conn.execute(
        f"CREATE TRIGGER IF NOT EXISTS cases_fts_ai AFTER INSERT ON cases BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMN_LIST}) VALUES (new.id, {_fts_values('new')}); END"
    )
    conn.execute(
        f"CREATE TRIGGER IF NOT EXISTS cases_fts_ad AFTER DELETE ON cases BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMN_LIST}) "
        f"VALUES ('delete', old.id, {_fts_values('old')}); END"
    )
    conn.execute(
        f"CREATE TRIGGER IF NOT EXISTS cases_fts_au AFTER UPDATE OF {_COLUMN_LIST} ON cases BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMN_LIST}) "
        f"VALUES ('delete', old.id, {_fts_values('old')}); "
        f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMN_LIST}) VALUES (new.id, {_fts_values('new')}); END"
    )


def index_rows_sql(where: str) -> str:
    """Add the cases matching `where` to the full-text index in one statement."""
    return (
        f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMN_LIST}) SELECT id, {_COLUMN_LIST} FROM cases WHERE {where}"
    )


def unindex_rows_sql(where: str) -> str:
    """Take the cases matching `where` out of the full-text index (with their indexed values)."""
    return (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMN_LIST}) "
        f"SELECT 'delete', id, {_COLUMN_LIST} FROM cases WHERE {where}"
    )


def migrate(conn: sqlite3.Connection, from_version: int) -> None:
    """Bring a library from `from_version` to `SCHEMA_VERSION` in one transaction."""
    import sqlite_utils  # here: importing it costs a tenth of a second at every start

    db = sqlite_utils.Database(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(from_version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[version](db)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
