"""Damage SQLite's quick check cannot see, found and mended.

Two kinds: a full-text index out of step with the cases (searches then fail), and values
of the wrong kind in a case's row (see `schema.VALUE_RULES`; reading already puts a safe
value in their place, so they cost no search, but they should be said and mended). A
repair takes a backup first, then mends everything in one transaction: malformed values
are replaced (text of the wrong type is kept as text where it can be), and the index is
rebuilt from the cases.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field

from . import backup, schema
from .library import Library

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Malformed:
    case_id: int
    title: str
    columns: tuple[str, ...]

    def describe(self) -> str:
        return f"case {self.case_id} (“{self.title}”): {', '.join(c.replace('_', ' ') for c in self.columns)}"


@dataclass
class Findings:
    """What a check found: malformed rows (the first few) and whether the index is sound."""

    malformed: list[Malformed] = field(default_factory=list)
    malformed_total: int = 0
    index_sound: bool | None = None  # None: not checked

    @property
    def ok(self) -> bool:
        return not self.malformed_total and self.index_sound is not False

    def describe(self) -> list[str]:
        lines = []
        if self.index_sound is False:
            lines.append("The search index is out of step with the cases.")
        if self.malformed_total:
            lines.append(
                f"{self.malformed_total:,} case{'s have' if self.malformed_total != 1 else ' has'} "
                "values Casebook cannot read:"
            )
            lines += [f"  {m.describe()}" for m in self.malformed]
            if self.malformed_total > len(self.malformed):
                lines.append(f"  … and {self.malformed_total - len(self.malformed):,} more")
        return lines


_ANY_MALFORMED = " OR ".join(f"({schema.malformed(c)})" for c in schema.VALUE_RULES)


def malformed_rows(lib: Library, limit: int = 10) -> tuple[list[Malformed], int]:
    """The first `limit` cases holding malformed values, and how many there are."""
    columns = tuple(schema.VALUE_RULES)
    flags = ", ".join(f"({schema.malformed(c)})" for c in columns)
    rows = lib.conn.execute(
        f"SELECT id, {schema.sound('title')}, {flags} FROM cases WHERE {_ANY_MALFORMED} ORDER BY id"
    ).fetchall()
    found = [
        Malformed(r[0], r[1] or "untitled", tuple(c for c, bad in zip(columns, r[2:], strict=True) if bad))
        for r in rows[:limit]
    ]
    return found, len(rows)


def index_sound(lib: Library) -> bool:
    """Whether the full-text index matches the cases (reads all of it: seconds at 100,000).
    Needs a library open for writing: FTS5 runs its check as a write statement."""
    fts = schema.FTS_TABLE
    try:
        lib.conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as e:
        if (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF != sqlite3.SQLITE_CORRUPT:
            raise
        log.error("full-text index of %s: %s", lib.path, e)
        return False
    return True


def check(lib: Library, with_index: bool = True) -> Findings:
    rows, total = malformed_rows(lib)
    return Findings(rows, total, index_sound(lib) if with_index else None)


def repair(lib: Library) -> Findings:
    """Mend what `check` finds, after a backup; return what was found."""
    found = check(lib)
    if found.ok:
        return found
    backup.backup_file(lib.path, reason="before-repair")
    with lib.write() as conn:
        _mend_text_of_other_types(conn)
        assignments = ", ".join(f"{c} = {schema.sound(c)}" for c in schema.VALUE_RULES)
        conn.execute(f"UPDATE cases SET {assignments} WHERE {_ANY_MALFORMED}")
        conn.execute(f"INSERT INTO {schema.FTS_TABLE}({schema.FTS_TABLE}) VALUES ('rebuild')")
        lib.bump("rev", "content_gen", "deleted")  # every reader reloads what it holds
    log.warning("repaired %s: %s", lib.path, "; ".join(found.describe()))
    return found


def _mend_text_of_other_types(conn: sqlite3.Connection) -> None:
    """Text columns holding bytes or numbers keep them as text (the reviewer's notes, say)."""
    for column in schema.TEXT_COLUMNS:
        rows = conn.execute(
            f"SELECT id, {column} FROM cases WHERE typeof({column}) IN ('blob', 'integer', 'real')"
        ).fetchall()
        for case_id, value in rows:
            text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
            conn.execute(f"UPDATE cases SET {column} = ? WHERE id = ?", (text, case_id))
