"""Consistent copies of a library, taken with SQLite's online backup API.

A backup can be taken while the library is open and being written: SQLite
copies a consistent snapshot. Casebook takes one before a schema upgrade, at most
daily on open, after the first import into a library and before an import that
replaces cases; it keeps the newest `KEEP` per library, in a folder of that
library's own (see paths.backup_dir).
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from ..errors import BackupFailed, DiskFull, LibraryDamaged, LibraryLocked, NotALibrary, named, problem
from ..library_files import check_output
from .schema import change_state

if TYPE_CHECKING:
    from .importing import BatchReport

log = logging.getLogger(__name__)

KEEP = 7
SUFFIX = ".casebook"
ELSEWHERE = "elsewhere.json"
"""In a library's backup folder: the backups of it written elsewhere (File › Back up library…)."""
LOCK_WAIT = 10.0
"""Seconds a backup waits for another program's write to a non-WAL library to end."""


def backup_file(
    library: str | os.PathLike[str],
    reason: str = "manual",
    dest: Path | None = None,
    wait: float = LOCK_WAIT,
    prune_after: bool = True,
    source: sqlite3.Connection | None = None,
) -> Path:
    """Copy `library` to `dest` (default: a new file in its backup folder) and return the path.
    The copy is read through a new connection, or through `source`, a connection that has the
    library open (the only way to a library whose file another program has deleted).

    A copy made elsewhere (File › Back up library…) is remembered in the backup folder, so
    that Restore lists it too. Raises `LibraryLocked` if another program keeps the file
    locked for `wait` seconds, `OutputRefused` if `dest` exists or is a library's file."""
    library = Path(library)
    try:
        folder = paths.backup_dir(library)
    except OSError as e:
        raise _not_taken(library, library, e) from e
    if dest is not None:
        check_output(dest, library, backup=True)
    else:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        dest = folder / f"{library.stem}-{stamp}-{reason}{SUFFIX}"
    tmp = dest.with_name(dest.name + ".part")
    try:
        _copy(library, tmp, wait, source)
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as e:
        tmp.unlink(missing_ok=True)
        raise _not_taken(library, tmp, e) from e
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info("backed up %s to %s", library, dest)
    if dest.parent != folder:
        _remember_elsewhere(library, dest)
    elif prune_after:
        prune(library)
    return dest


def _not_taken(library: Path, copy: Path, e: OSError | sqlite3.Error) -> BackupFailed:
    log.warning("no backup of %s: %s", library, e, exc_info=True)
    full = (isinstance(e, OSError) and e.errno == errno.ENOSPC) or (
        isinstance(e, sqlite3.Error) and isinstance(problem(copy, e), DiskFull)
    )
    why = "the disk it goes on is full" if full else (getattr(e, "strerror", None) or str(e))
    return BackupFailed(
        f"No backup of {named(library)} could be taken: {why}.",
        "Check that Casebook's data folder (or the folder you chose) can be written and its disk "
        "has room, then try again.",
        why=why,
    )


def _elsewhere_file(library: Path) -> Path:
    return paths.backup_dir(library) / ELSEWHERE


def _elsewhere(library: Path) -> list[Path]:
    """Backups of `library` written outside its backup folder that are still there."""
    try:
        listed = json.loads(_elsewhere_file(library).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(listed, list):
        return []
    return [Path(p) for p in listed if isinstance(p, str) and Path(p).is_file()]


def _remember_elsewhere(library: Path, dest: Path) -> None:
    listed = [str(p) for p in _elsewhere(library) if p != dest.resolve()] + [str(dest.resolve())]
    target = _elsewhere_file(library)
    partial = target.with_suffix(".part")
    partial.write_text(json.dumps(listed, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, target)


class _GaveUp(Exception):
    pass


def _copy(library: Path, target_path: Path, wait: float, given: sqlite3.Connection | None = None) -> None:
    """SQLite's backup, which on its own retries for ever while a non-WAL file is being written."""
    deadline = time.monotonic() + wait

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _GaveUp

    source = given or sqlite3.connect(f"{library.resolve().as_uri()}?mode=ro", uri=True, timeout=0.1)
    try:
        target = sqlite3.connect(str(target_path))
        try:
            source.backup(target, progress=progress, sleep=0.05)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    except _GaveUp:
        raise LibraryLocked(
            f"“{library.name}” could not be backed up: another program has been writing to it "
            f"for more than {wait:g} seconds.",
            "Close the other program, then try again.",
        ) from None
    finally:
        if given is None:
            source.close()


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken: datetime  # UTC
    reason: str  # daily, manual, first-import, before-replace, before-upgrade-v1, …
    size: int
    cases: int | None  # None when the copy cannot be read
    of_this_library: bool = True  # False for copies Casebook 0.1 filed by library name only


_NAME = re.compile(r"-(\d{8}-\d{6})-\d+-(?P<reason>[\w-]+)$")


def _info(path: Path, reason: str | None = None, of_this_library: bool = True) -> BackupInfo:
    m = _NAME.search(path.stem)
    stat = path.stat()
    taken = (
        datetime.strptime(m.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        if m
        else datetime.fromtimestamp(stat.st_mtime, UTC)
    )
    reason = reason or (m.group("reason") if m else "copy")
    return BackupInfo(path, taken, reason, stat.st_size, case_count(path), of_this_library)


def case_count(path: Path) -> int | None:
    """How many cases a backup holds (read-only; None if it cannot be read as a library)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
        try:
            count: int = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
            return count
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def describe(library: str | os.PathLike[str]) -> list[BackupInfo]:
    """Every backup of `library`, newest first: those Casebook took, those the reviewer wrote
    elsewhere, then any an older Casebook filed under the library's name only."""
    library = Path(library)
    found = [_info(p) for p in list_backups(library)]
    found += [_info(p, "manual") for p in _elsewhere(library)]
    found.sort(key=lambda info: info.taken, reverse=True)
    legacy = paths.legacy_backup_dir(library)
    if legacy.is_dir():
        old = sorted(legacy.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        found += [_info(p, of_this_library=False) for p in old]
    return found


def latest(library: str | os.PathLike[str]) -> BackupInfo | None:
    """The newest backup known to be of `library`."""
    return next((info for info in describe(library) if info.of_this_library), None)


def list_backups(library: str | os.PathLike[str]) -> list[Path]:
    """The copies Casebook took of `library` in its backup folder, newest first."""
    folder = paths.backup_dir(library)
    return sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime_ns, reverse=True)


STALE_PART = timedelta(hours=1)
"""A partial copy this old was left by a backup that Casebook quit during."""


def prune(library: str | os.PathLike[str], keep: int = KEEP) -> None:
    """Keep the newest `keep` backups, and remove partial copies left by interrupted ones."""
    for old in list_backups(library)[keep:]:
        old.unlink(missing_ok=True)
    now = datetime.now(UTC)
    for part in paths.backup_dir(library).glob(f"*{SUFFIX}.part"):
        with contextlib.suppress(OSError):
            if now - datetime.fromtimestamp(part.stat().st_mtime, UTC) > STALE_PART:
                part.unlink()


def backup_if_due(library: str | os.PathLike[str], every: timedelta = timedelta(days=1)) -> Path | None:
    """Take the daily automatic backup if the newest one is older than `every`."""
    newest = next(iter(list_backups(library)), None)
    if newest is not None:
        age = datetime.now(UTC) - datetime.fromtimestamp(newest.stat().st_mtime, UTC)
        if age < every:
            return None
    return backup_file(library, reason="daily")


def after_first_import(library: str | os.PathLike[str], report: BatchReport) -> Path | None:
    """Back up a library that has just received its first cases (the daily backup taken at
    its first opening holds none). `report` is the import's `BatchReport`."""
    return backup_file(library, reason="first-import") if report.first_import else None


def restore(backup: str | os.PathLike[str], library: str | os.PathLike[str]) -> Path:
    """Put the cases of `backup` in place of those of `library`; return where the library as
    it was is kept (listed with the backups as "replaced").

    A sound library gets the backup copied into it through SQLite, in one transaction:
    another program with it open sees one more change (its later work goes into the restored
    library, not into a file moved aside), and a failure such as a full disk leaves it as it
    was. A damaged one, which SQLite cannot copy, is moved aside whole instead."""
    library, backup = Path(library), Path(backup)
    if not _sound(library):
        return _swap_in(backup, library)
    kept = backup_file(library, reason="replaced", prune_after=False)  # the chosen one may be the oldest
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(library, timeout=LOCK_WAIT)
    try:
        before = change_state(target)
        source.backup(target)
        # Counters past any value a reader holds, so that every reader loads the cases afresh.
        target.executemany(
            "UPDATE meta SET value = ? WHERE key = ?",
            [(max(value, old) + 1, key) for key, value, old in zip(
                ("rev", "content_gen", "deleted"), change_state(target), before, strict=True)],
        )  # fmt: skip
        target.commit()
    except sqlite3.Error as e:
        raise problem(library, e) from e
    finally:
        source.close()
        target.close()
    prune(library)
    log.info("restored %s from %s (as it was: %s)", library, backup, kept)
    return kept


def _sound(library: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{library.resolve().as_uri()}?mode=ro", uri=True, timeout=LOCK_WAIT)
        try:
            return bool(conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok")
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        if isinstance(problem(library, e), (LibraryDamaged, NotALibrary)):
            return False
        raise problem(library, e) from e


def _swap_in(backup: Path, library: Path) -> Path:
    """Restore over a damaged library: copy the backup beside it first (so a full disk
    leaves everything as it was), then move the damaged file and its WAL to the backups."""
    target = library.resolve()  # through a link, the file it points to
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    replaced = paths.backup_dir(library) / f"{library.stem}-{stamp}-replaced-damaged{SUFFIX}.old"
    incoming = target.with_name(target.name + ".restoring")
    try:
        shutil.copyfile(backup, incoming)
    except OSError:
        incoming.unlink(missing_ok=True)
        raise
    for extra in ("", "-wal", "-shm"):  # the WAL may hold the newest writes: keep it too
        current = Path(f"{target}{extra}")
        if current.exists():
            shutil.move(current, f"{replaced}{extra}")
    os.replace(incoming, target)
    log.info("restored damaged %s from %s (damaged file kept as %s)", library, backup, replaced)
    return replaced
