"""Consistent copies of a library, taken with SQLite's online backup API.

A backup can be taken while the library is open and being written: SQLite
copies a consistent snapshot. Automatic backups (before a schema upgrade, and at
most daily on open) keep the newest `KEEP` files per library.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from . import paths
from .errors import LibraryLocked
from .library_files import check_output

log = logging.getLogger(__name__)

KEEP = 7
SUFFIX = ".casebook"
LOCK_WAIT = 10.0
"""Seconds a backup waits for another program's write to a non-WAL library to end."""


def backup_file(
    library: str | os.PathLike, reason: str = "manual", dest: Path | None = None, wait: float = LOCK_WAIT
) -> Path:
    """Copy `library` to `dest` (default: a new file in its backup folder) and return the path.

    Raises `LibraryLocked` if another program keeps the file locked for `wait` seconds."""
    library = Path(library)
    if dest is not None:
        check_output(dest, library, backup=True)
    if dest is None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        dest = paths.backup_dir(library) / f"{library.stem}-{stamp}-{reason}{SUFFIX}"
    tmp = dest.with_name(dest.name + ".part")
    try:
        _copy(library, tmp, wait)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info("backed up %s to %s", library, dest)
    if dest.parent == paths.backup_dir(library):
        prune(library)
    return dest


class _GaveUp(Exception):
    pass


def _copy(library: Path, target_path: Path, wait: float) -> None:
    """SQLite's backup, which on its own retries for ever while a non-WAL file is being written."""
    deadline = time.monotonic() + wait

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _GaveUp

    source = sqlite3.connect(f"{library.resolve().as_uri()}?mode=ro", uri=True, timeout=0.1)
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
        source.close()


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken: datetime  # UTC
    reason: str  # daily, manual, before-upgrade-v1, …
    size: int


_NAME = re.compile(r"-(\d{8}-\d{6})-\d+-(?P<reason>[\w-]+)$")


def describe(library: str | os.PathLike) -> list[BackupInfo]:
    """The backups of `library`, newest first, with when and why each was taken."""
    found = []
    for path in list_backups(library):
        m = _NAME.search(path.stem)
        stat = path.stat()
        taken = (
            datetime.strptime(m.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
            if m
            else datetime.fromtimestamp(stat.st_mtime, UTC)
        )
        found.append(BackupInfo(path, taken, m.group("reason") if m else "copy", stat.st_size))
    return found


def list_backups(library: str | os.PathLike) -> list[Path]:
    """Backups of `library`, newest first."""
    folder = paths.backup_dir(library)
    return sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime_ns, reverse=True)


STALE_PART = timedelta(hours=1)
"""A partial copy this old was left by a backup that Casebook quit during."""


def prune(library: str | os.PathLike, keep: int = KEEP) -> None:
    """Keep the newest `keep` backups, and remove partial copies left by interrupted ones."""
    for old in list_backups(library)[keep:]:
        old.unlink(missing_ok=True)
    now = datetime.now(UTC)
    for part in paths.backup_dir(library).glob(f"*{SUFFIX}.part"):
        with contextlib.suppress(OSError):
            if now - datetime.fromtimestamp(part.stat().st_mtime, UTC) > STALE_PART:
                part.unlink()


def backup_if_due(library: str | os.PathLike, every: timedelta = timedelta(days=1)) -> Path | None:
    """Take the daily automatic backup if the newest one is older than `every`."""
    newest = next(iter(list_backups(library)), None)
    if newest is not None:
        age = datetime.now(UTC) - datetime.fromtimestamp(newest.stat().st_mtime, UTC)
        if age < every:
            return None
    return backup_file(library, reason="daily")


def restore(backup: str | os.PathLike, library: str | os.PathLike) -> Path:
    """Put `backup` in place of `library`, keeping the replaced file beside the backups.

    The library must be closed everywhere first. Returns where the replaced file went.
    """
    library, backup = Path(library), Path(backup)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    replaced = paths.backup_dir(library) / f"{library.stem}-{stamp}-replaced{SUFFIX}.old"
    for extra in ("", "-wal", "-shm"):  # the WAL may hold the newest writes: keep it too
        current = Path(f"{library}{extra}")
        if current.exists():
            shutil.move(current, f"{replaced}{extra}")
    tmp = library.with_name(library.name + ".restoring")
    shutil.copyfile(backup, tmp)
    os.replace(tmp, library)
    log.info("restored %s from %s (old file kept as %s)", library, backup, replaced)
    return replaced
