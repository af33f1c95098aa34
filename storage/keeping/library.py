"""The case library: one SQLite file, opened safely, read and written in transactions.

Opening checks the file before anything writes to it: a file that is not a
Casebook library, is damaged, or comes from a newer Casebook is refused and left
exactly as it was. A `Library` is one connection; use one per thread.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import (
    OPEN_ANOTHER,
    OPEN_LATER,
    BackupFailed,
    LibraryError,
    LibraryMissing,
    LibraryReadOnly,
    LibraryTooNew,
    NotALibrary,
    damaged,
    is_busy,
    named,
    problem,
)
from ..library_files import identity
from ..reading.decoding import ascii_digits
from ..records import STATUSES, Case, CaseRow, FuzzyDate, SourceFile
from . import backup, case_reading, schema
from .notes import merged

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class NotesSaved:
    text: str  # the case's notes in the library now
    merged: bool  # other notes saved meanwhile are in `text` too


def split_tags(text: str | None) -> tuple[str, ...]:
    return tuple(t for t in (text or "").split("\n") if t)


def join_tags(tags: Iterable[str]) -> str:
    """Tags are stored one per line, trimmed, without repeats (first spelling wins)."""
    seen: dict[str, str] = {}
    for tag in tags:
        clean = " ".join(str(tag).split())
        if clean and clean.casefold() not in seen:
            seen[clean.casefold()] = clean
    return "\n".join(seen.values())


def _connect(path: Path, read_only: bool, wait_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    if read_only:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=wait_ms / 1000)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as e:
            if is_busy(e):
                raise  # another program is writing: reading it as immutable would see half a write
            if getattr(e, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK" and _writable(path):
                _roll_back(path)  # a first import stopped part-way (`write_once`): undo it first
                return _connect(path, read_only=True, wait_ms=wait_ms)
            # A WAL library in a folder we cannot write: read it as immutable.
            conn = sqlite3.connect(
                f"{uri}&immutable=1", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
    else:  # the absolute path: a name such as ":memory:" is a file like any other
        conn = sqlite3.connect(str(path.absolute()), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {wait_ms}")
    conn.text_factory = _text
    return conn


def _text(data: bytes) -> str:
    """Stored text. Bytes that are not UTF-8 (another tool's, or damage) read as U+FFFD: failing
    to decode them failed every search and every list page that reached them."""
    return data.decode("utf-8", "replace")


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _roll_back(path: Path) -> None:
    """Undo the transaction a stopped writer left in the library's rollback journal, as SQLite
    does when a connection that may write first reads the library."""
    conn = sqlite3.connect(str(path.absolute()), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def needs_upgrade(path: str | os.PathLike[str]) -> bool:
    """True when the file at `path` is a Casebook library of an older schema version, which
    opening it for writing upgrades (after a backup: seconds for a big library). Asks SQLite
    read-only, so it is cheap and writes nothing."""
    try:
        return 0 < _inspect(Path(path), check=False) < schema.SCHEMA_VERSION
    except LibraryError:
        return False


def is_current(path: str | os.PathLike[str]) -> bool:
    """True when the file at `path` is a library of this schema version, as far as can be told
    at once: a library another program is writing to this moment is not waited for (False)."""
    try:
        return _inspect(Path(path), check=False, wait_ms=0) == schema.SCHEMA_VERSION
    except LibraryError:
        return False


def _inspect(path: Path, check: bool, wait_ms: int = BUSY_TIMEOUT_MS) -> int:
    """Look at a library file without writing to it; return its schema version.

    Only SQLite reads the file: a plain open() and close() of it would drop every POSIX
    lock this process holds on it, and another program would then take the WAL from under
    this process's connections (SQLite's "How To Corrupt", section 2.2)."""
    if path.is_dir():
        raise NotALibrary(f"{named(path)} is a folder, not a library file.", "Choose a .casebook file.")
    if not os.access(path, os.R_OK):
        raise LibraryReadOnly(
            f"Casebook is not allowed to read {named(path)}.",
            "Ask whoever manages this computer for access, or open another library.",
        )
    if path.stat().st_size == 0:
        raise NotALibrary(f"{named(path)} is empty. It was not changed.", OPEN_ANOTHER)
    absent = [extra for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")) if not extra.exists()]
    try:
        return _check(path, check, wait_ms)
    except LibraryError:
        _remove_unused(path, absent)
        raise


def _remove_unused(path: Path, absent: list[Path]) -> None:
    """Remove the -wal/-shm files that reading a WAL library made beside a refused file.

    A read-only connection writes nothing to the log: a log that is not empty was
    written by someone else, so then both files stay."""
    wal = Path(f"{path}-wal")
    if wal in absent and not (wal.exists() and wal.stat().st_size):
        for extra in absent:
            extra.unlink(missing_ok=True)


def _check(path: Path, check: bool, wait_ms: int = BUSY_TIMEOUT_MS) -> int:
    """The schema version of a file that is a sound Casebook library; raise otherwise."""
    try:
        conn = _connect(path, read_only=True, wait_ms=wait_ms)
    except sqlite3.Error as e:
        raise problem(path, e, OPEN_LATER) from e
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        # Every Casebook schema, from version 1 on, was written with its application id.
        if app_id != schema.APPLICATION_ID:
            raise NotALibrary(
                f"{named(path)} is a database, but not a Casebook library. It was not changed.",
                OPEN_ANOTHER,
            )
        if version > schema.SCHEMA_VERSION:
            raise LibraryTooNew(
                f"{named(path)} was saved by a newer version of Casebook "
                f"(library version {version}; this Casebook reads up to {schema.SCHEMA_VERSION}).",
                "Install the newer Casebook to open it. The file was not changed.",
            )
        wal = conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
        # Opening for writing changes a file that is older or not yet in WAL mode:
        # check it first, whatever the caller asked, so a damaged file is never written.
        if check or version < schema.SCHEMA_VERSION or not wal:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
            if problems != ["ok"]:
                log.error("quick_check of %s: %s", path, problems)
                raise damaged(path)
        return version
    except sqlite3.Error as e:
        log.warning("inspecting %s", path, exc_info=True)
        raise problem(path, e, OPEN_LATER) from e
    finally:
        conn.close()


def _backup_before_upgrade(path: Path, version: int) -> None:
    try:
        backup.backup_file(path, reason=f"before-upgrade-v{version}")
    except BackupFailed as e:
        raise BackupFailed(
            f"{named(path)} needs upgrading to this version of Casebook, but the backup that "
            f"comes first could not be written ({e.why}). The library was not changed.",
            "Check that Casebook's data folder (where backups go) can be written and the disk "
            "has room, then open the library again.",
        ) from e


class Library:
    """One open library file. Not thread-safe: each thread opens its own."""

    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: bool):
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self._columns: object = None  # the in-memory column store, made by search on first use
        self._identity = identity(path)

    def file_replaced(self) -> bool:
        """Whether the library's path no longer leads to the file open here: deleted, moved, or
        another file put in its place by another program. The connection still reads and
        writes the file it opened, which nobody else can open any more."""
        return identity(self.path) != self._identity

    # ----- opening -----------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = False,
        read_only: bool | None = None,
        check: bool = True,
    ) -> Library:
        """Open (or with `create`, make) a library.

        `read_only=None` opens read-only only when the file cannot be written.
        `check` runs SQLite's quick integrity check first (slow on a cold 1 GB file;
        the window runs it in the background instead).
        Raises a `LibraryError` with plain words for anything a user can cause.
        """
        path = Path(path)
        if not path.exists():
            if not create:
                raise LibraryMissing(
                    f"There is no library at {path}.", "Open another library or create a new one."
                )
            return cls._create(path)
        version = _inspect(path, check)
        if read_only is None:
            read_only = not _writable(path)
        if read_only:
            return cls(_connect(path, read_only=True), path, read_only=True)
        if version < schema.SCHEMA_VERSION:
            _backup_before_upgrade(path, version)
        try:
            conn = _connect(path, read_only=False)
        except sqlite3.Error as e:
            raise problem(path, e, OPEN_LATER) from e
        lib = cls(conn, path, read_only=False)
        try:
            lib._prepare(version)
        except sqlite3.Error as e:
            conn.close()
            raise problem(path, e, OPEN_LATER) from e
        return lib

    @classmethod
    def _create(cls, path: Path) -> Library:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = _connect(path, read_only=False)
        except (OSError, sqlite3.Error) as e:
            raise LibraryReadOnly(
                f"A library cannot be created at {path}.", "Choose a folder you can write to."
            ) from e
        lib = cls(conn, path, read_only=False)
        try:
            lib._prepare(0)
        except sqlite3.Error as e:
            conn.close()
            raise problem(path, e) from e
        log.info("created library %s", path)
        return lib

    def _prepare(self, version: int) -> None:
        conn = self.conn
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -32000")
        conn.execute("PRAGMA temp_store = MEMORY")
        if version < schema.SCHEMA_VERSION:
            schema.migrate(conn, version)
            log.info("library %s now at schema version %s", self.path, schema.SCHEMA_VERSION)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- writing -----------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, rolled back whole on any error. SQLite's busy, full-disk,
        input/output and read-only errors become plain `LibraryError`s."""
        if self.read_only:
            raise LibraryReadOnly(
                f"{named(self.path)} is open read-only, so changes cannot be saved.",
                "Open a copy you can write to, or close the other program using it.",
            )
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise problem(self.path, e) from e
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as e:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:  # SQLite rolls back by itself when it cannot go on
                    log.warning("rollback of %s failed", self.path, exc_info=True)
            if isinstance(e, sqlite3.OperationalError):
                raise problem(self.path, e) from e
            raise

    @contextlib.contextmanager
    def write_once(self) -> Iterator[sqlite3.Connection]:
        """`write()` for a large batch into a library that holds no cases yet and that no other
        connection has open: its pages are written once, into the library, with a rollback
        journal, instead of into the write-ahead log and again into the library at the
        checkpoint. Leaving WAL mode needs the library to itself; it is tried without waiting,
        and with another connection open (the window's, another program's) this is `write()`.
        Another program that opens the library meanwhile is told it is busy; a crash leaves a
        journal that the next opening rolls back (`_roll_back`). WAL comes back at the end."""
        conn = self.conn
        switched = False
        if not conn.execute("SELECT EXISTS (SELECT 1 FROM cases)").fetchone()[0]:
            conn.execute("PRAGMA busy_timeout = 0")
            try:
                switched = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0].lower() == "delete"
            except sqlite3.OperationalError:
                log.info("%s is open elsewhere: importing through the write-ahead log", self.path)
            finally:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if switched:
            conn.execute("PRAGMA synchronous = FULL")  # NORMAL is safe with WAL only
        try:
            with self.write():
                yield conn
        finally:
            if switched:
                conn.execute("PRAGMA synchronous = NORMAL")
                try:
                    conn.execute("PRAGMA journal_mode = WAL")
                    # Read the schema again now: else a checkpoint asked next fails as "locked".
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except sqlite3.OperationalError:  # read by another program: opening switches it
                    log.warning("%s left in rollback-journal mode for now", self.path, exc_info=True)

    def bump(self, *keys: str) -> int:
        """Advance the change counters in `meta` (inside a write); return the new `rev`."""
        for key in keys:
            self.conn.execute("UPDATE meta SET value = value + 1 WHERE key = ?", (key,))
        return self.meta("rev")

    def meta(self, key: str) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else 0

    # ----- reading -----------------------------------------------------------------

    def case_count(self) -> int:
        count: int = self.conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        return count

    def case(self, case_id: int) -> Case | None:
        return next(self.cases([case_id]), None)

    def cases(self, ids: Sequence[int], chunk: int = 500) -> Iterator[Case]:
        """Full cases for `ids`, in the order given, read a slice at a time."""
        for start in range(0, len(ids), chunk):
            part = [int(i) for i in ids[start : start + chunk]]
            cursor = self.conn.execute(_CASES_SQL, (json.dumps(part),))
            names = [d[0] for d in cursor.description]
            found = {row[0]: _case_from_row(dict(zip(names, row, strict=True))) for row in cursor}
            case_reading.attach(self.conn, found)
            yield from (found[i] for i in part if i in found)

    def find_case(self, ref_or_id: str) -> Case | None:
        """A case by IOPC reference (newest if several) or by its number in this library."""
        text = ascii_digits(ref_or_id.strip())
        row = self.conn.execute(
            "SELECT id FROM cases WHERE reference = ? ORDER BY id DESC LIMIT 1", (text,)
        ).fetchone()
        if row is None and re.fullmatch("[0-9]{1,18}", text):
            row = (int(text),)
        return self.case(row[0]) if row else None

    def rows(self, ids: Sequence[int]) -> list[CaseRow]:
        """List rows for `ids`, in the order given (missing ids are left out)."""
        found = {
            r[0]: CaseRow(
                id=r[0],
                reference=r[1],
                title=r[2],
                force=r[3],
                incident=r[4] or r[5],
                published=r[6],
                status=r[7],
                tags=split_tags(r[8]),
                warnings=r[9],
                subject=r[10],
            )
            for r in self.conn.execute(_ROWS_SQL, (json.dumps([int(i) for i in ids]),))
        }
        return [found[i] for i in ids if i in found]

    def source(self, case_id: int) -> SourceFile | None:
        row = self.conn.execute(
            "SELECT file_name, sha256, original, encoding, path FROM sources WHERE case_id = ?",
            (case_id,),
        ).fetchone()
        if row is None:
            return None
        return SourceFile(name=row[0], sha256=row[1], data=bytes(row[2]), encoding=row[3], path=row[4])

    def all_tags(self) -> list[str]:
        tags: set[str] = set()
        for (text,) in self.conn.execute("SELECT DISTINCT tags FROM cases WHERE tags != ''"):
            tags.update(split_tags(text))
        return sorted(tags, key=str.casefold)

    # ----- review fields -----------------------------------------------------------

    def set_status(self, ids: Iterable[int], status: str) -> dict[int, str]:
        """Give every case in `ids` the status; return the statuses it changed, as they were
        (for an undo)."""
        return self.set_statuses({case_id: status for case_id in ids})

    def set_statuses(self, statuses: dict[int, str]) -> dict[int, str]:
        """Give each case its status, in one transaction; return the statuses changed, as they were."""
        if unknown := set(statuses.values()) - set(STATUSES):
            raise ValueError(f"unknown status {unknown.pop()!r}")
        with self.write() as conn:
            before = dict(
                conn.execute(
                    "SELECT id, status FROM cases WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps(list(statuses)),),
                ).fetchall()
            )
            changed = {case_id: old for case_id, old in before.items() if old != statuses[case_id]}
            if changed:
                rev, stamp = self.bump("rev"), now()
                conn.executemany(
                    "UPDATE cases SET status = ?, updated_at = ?, rev = ? WHERE id = ?",
                    [(statuses[case_id], stamp, rev, case_id) for case_id in changed],
                )
        return changed

    def set_notes(self, case_id: int, notes: str) -> None:
        with self.write() as conn:
            rev = self.bump("rev")
            conn.execute(
                "UPDATE cases SET notes = ?, updated_at = ?, rev = ? WHERE id = ? AND notes != ?",
                (notes, now(), rev, case_id, notes),
            )

    def save_notes(self, case_id: int, notes: str, base: str | None) -> NotesSaved:
        """Save notes typed over `base` (the notes as they were when typing began; None when
        not known). If another window or program saved other notes since, both are kept:
        the three texts are merged (storage/keeping/notes.py) and the result says so."""
        return self.save_many_notes([(case_id, notes, base)]).get(case_id, NotesSaved(notes, merged=False))

    def save_many_notes(self, items: Iterable[tuple[int, str, str | None]]) -> dict[int, NotesSaved]:
        """`save_notes` for many cases in one transaction (one wait for a busy library)."""
        saved: dict[int, NotesSaved] = {}
        with self.write() as conn:
            stamp = None
            for case_id, text, base in items:
                row = conn.execute("SELECT notes FROM cases WHERE id = ?", (case_id,)).fetchone()
                if row is None:  # the case is no longer in the library: nothing to save to
                    continue
                current = row[0] if isinstance(row[0], str) else ""
                final = text if base is None or current == base else merged(text, current, base)
                if final != current:
                    stamp = stamp or (now(), self.bump("rev"))
                    conn.execute(
                        "UPDATE cases SET notes = ?, updated_at = ?, rev = ? WHERE id = ?",
                        (final, *stamp, case_id),
                    )
                saved[case_id] = NotesSaved(final, merged=final != text)
        return saved

    def data_version(self) -> int:
        """Changes when another connection (another program, say) commits to the library:
        a poll that costs microseconds (SQLite's PRAGMA data_version)."""
        version: int = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return version

    def change_state(self) -> tuple[int, int, int]:
        return schema.change_state(self.conn)

    def set_tags(self, case_id: int, tags: Iterable[str]) -> None:
        text = join_tags(tags)
        with self.write() as conn:
            rev = self.bump("rev")
            conn.execute(
                "UPDATE cases SET tags = ?, updated_at = ?, rev = ? WHERE id = ? AND tags != ?",
                (text, now(), rev, case_id, text),
            )

    def change_tag(self, ids: Iterable[int], tag: str, add: bool) -> list[int]:
        """Add `tag` to (or remove it from) every case in `ids`, in one transaction; return
        the cases it changed (for an undo)."""
        ids = list(ids)
        key = " ".join(tag.split()).casefold()
        changed: list[int] = []
        if not key:
            return changed
        with self.write() as conn:
            rev = self.bump("rev")
            rows = conn.execute(
                "SELECT id, tags FROM cases WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),),
            ).fetchall()
            stamp = now()
            for case_id, text in rows:
                current = split_tags(text)
                kept = [t for t in current if t.casefold() != key]
                new = join_tags([*kept, tag] if add else kept)
                if new != text and (add or len(kept) != len(current)):
                    conn.execute(
                        "UPDATE cases SET tags = ?, updated_at = ?, rev = ? WHERE id = ?",
                        (new, stamp, rev, case_id),
                    )
                    changed.append(case_id)
        return changed

    # ----- saved searches ------------------------------------------------------------

    def saved_searches(self) -> list[tuple[str, str]]:
        return self.conn.execute(
            "SELECT name, query FROM saved_searches ORDER BY name COLLATE NOCASE"
        ).fetchall()

    def save_search(self, name: str, query: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO saved_searches(name, query, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET query = excluded.query",
                (name.strip(), query, now()),
            )

    def delete_saved_search(self, name: str) -> None:
        with self.write() as conn:
            conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,))


_CASES_SQL = (
    "SELECT c.id, "
    + ", ".join(f"{schema.sound(column, 'c.')} AS {column}" for column in schema.VALUE_RULES)
    + ", s.file_name, s.sha256, s.encoding, s.imported_at"
    " FROM cases c LEFT JOIN sources s ON s.case_id = c.id WHERE c.id IN (SELECT value FROM json_each(?))"
)
"""Whole cases, each value as `schema.sound` reads it."""
_ROW_COLUMNS = (
    "reference", "title", "force", "incident_text", "incident_date_text", "published", "status", "tags",
)  # fmt: skip
_ROWS_SQL = (
    f"SELECT id, {', '.join(schema.sound(c) for c in _ROW_COLUMNS)},"
    f" json_array_length({schema.sound('warnings')}), {schema.sound('subject')}"
    " FROM cases WHERE id IN (SELECT value FROM json_each(?))"
)


def _case_from_row(r: dict[str, Any]) -> Case:
    return Case(
        id=r["id"],
        title=r["title"],
        subject=r["subject"],
        reference=r["reference"],
        force=r["force"],
        kind=r["kind"],
        category=r["category"],
        incident=FuzzyDate.from_db(
            r["incident_text"], r["incident_start"], r["incident_end"], r["incident_precision"]
        ),
        incident_date=FuzzyDate.from_db(r["incident_date_text"], r["incident_date"], None, "day"),
        published=FuzzyDate.from_db(r["published_text"], r["published"], None, r["published_precision"]),
        findings=tuple(r["findings"].split()),
        findings_read=tuple((r["findings_read"] or "").split()),
        narrative=r["narrative"],
        recommendations=r["recommendations"] or "",
        source_tags=split_tags(r["source_tags"]),
        warnings=tuple(w["message"] for w in json.loads(r["warnings"] or "[]")),
        status=r["status"],
        tags=split_tags(r["tags"]),
        notes=r["notes"],
        updated_at=r["updated_at"],
        source_name=r["file_name"],
        source_sha256=r["sha256"],
        source_encoding=r["encoding"],
        imported_at=r["imported_at"],
    )
