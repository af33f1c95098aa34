"""The peers Casebook's import is measured against: a plain importer and a read-only floor.

`plain_import` is what a competent developer would write in an afternoon with
sqlite-utils: read each file, pull out the title, force, month, published date,
reference and narrative with a few regular expressions and dateutil, insert
everything with `insert_all` in one transaction, then build an FTS5 index. It
keeps no original bytes, hashes, findings or warnings, and does no duplicate
checks, so it does less than Casebook does. The target says Casebook's import
must still be faster.

`read_floor` only reads every file's bytes: nothing can import faster than that.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlite_utils
from dateutil import parser as dateparser

TABLE = "cases"
FTS_TABLE = f"{TABLE}_fts"
FTS_COLUMNS = ["narrative", "title", "subject", "force", "reference"]

TITLE = re.compile(r"^(?P<subject>.+?)\s+[-–]\s+(?P<force>.+),\s+(?P<month>[A-Za-z ]*\d{4})\s*$")
PUBLISHED = re.compile(r"^Published:?\s+(?P<date>.+?)\s*$", re.MULTILINE)
REFERENCE = re.compile(r"^I[OP][PC]C reference\s*\n\s*(?P<ref>\d{4}/\d+)", re.MULTILINE)
HEADER = re.compile(r"^(?:Published:?\s.*|Investigation|Learning)\s*$")


@dataclass
class PlainTimes:
    total: float
    insert: float  # reading, parsing and inserting
    index: float  # enable_fts afterwards


def read_floor(paths: list[str]) -> int:
    """Read every file's bytes and nothing else; return the byte count."""
    total = 0
    for path in paths:
        with open(path, "rb") as f:
            total += len(f.read())
    return total


def _date(text: str | None, **options) -> str | None:
    if not text:
        return None
    try:
        return dateparser.parse(text, **options).date().isoformat()
    except (ValueError, OverflowError):
        return None


def _month(text: str) -> str | None:
    day = _date(text, default=datetime(2000, 1, 1))
    return day[:7] if day else None


def parse(path: str) -> dict:
    """The fields of one summary file, the simple way."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    title, _, rest = text.strip().partition("\n")
    m = TITLE.match(title)
    published = PUBLISHED.search(text)
    reference = REFERENCE.search(text)
    body = rest.split("IOPC reference")[0]
    paragraphs = [p.strip() for p in body.split("\n") if p.strip() and not HEADER.match(p.strip())]
    return {
        "path": path,
        "title": title.strip(),
        "subject": m["subject"] if m else title.strip(),
        "force": m["force"] if m else None,
        "month": _month(m["month"]) if m else None,
        "published": _date(published["date"], dayfirst=True) if published else None,
        "reference": reference["ref"] if reference else None,
        "narrative": "\n\n".join(paragraphs),
    }


def _rows(paths: list[str]) -> Iterator[dict]:
    return (parse(p) for p in paths)


def plain_import(db_path: str | Path, paths: list[str]) -> PlainTimes:
    """Import `paths` into a new database at `db_path` the plain way; return the times taken."""
    start = time.perf_counter()
    db = sqlite_utils.Database(db_path)
    with db.atomic():
        db[TABLE].insert_all(_rows(paths))
    inserted = time.perf_counter()
    db[TABLE].enable_fts(FTS_COLUMNS, fts_version="FTS5", tokenize="porter unicode61 remove_diacritics 2")
    done = time.perf_counter()
    db.close()
    return PlainTimes(total=done - start, insert=inserted - start, index=done - inserted)


def plain_search(conn: sqlite3.Connection, match: str | None, where: str | None) -> int:
    """The plain peer's search: the best 50 by rank (or newest 50 for a column filter), and the count."""
    if match is not None:
        conn.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY rank LIMIT 50", (match,)
        ).fetchall()
        count = conn.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", (match,))
        return count.fetchone()[0]
    conn.execute(f"SELECT rowid FROM {TABLE} WHERE {where} ORDER BY published DESC LIMIT 50").fetchall()
    return conn.execute(f"SELECT count(*) FROM {TABLE} WHERE {where}").fetchone()[0]


def most_common_term(db_path: str | Path, at_most: int) -> str:
    """The indexed word (as stemmed) found in the most files, but in no more than `at_most`."""
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute(f"CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, {FTS_TABLE}, 'row')")
        row = conn.execute(
            "SELECT term FROM temp.vocab WHERE doc <= ? AND length(term) >= 4 AND term GLOB '[a-z]*'"
            " ORDER BY doc DESC, term LIMIT 1",
            (at_most,),
        ).fetchone()
    return row[0]
