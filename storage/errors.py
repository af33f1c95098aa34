"""Errors a user can cause with a library file, each with plain words and what to do next,
and what SQLite reports about a library turned into them (`problem`)."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The user cancelled long work; what it was writing was not kept."""


class LibraryError(Exception):
    """A library problem to show in the window. `message` says what, `advice` what next."""

    title = "The library could not be used"

    def __init__(self, message: str, advice: str = ""):
        super().__init__(message)
        self.message = message
        self.advice = advice

    def __str__(self) -> str:
        return f"{self.message} {self.advice}".strip()


class NotALibrary(LibraryError):
    title = "Not a Casebook library"


class LibraryDamaged(LibraryError):
    title = "The library is damaged"


class LibraryTooNew(LibraryError):
    title = "The library needs a newer Casebook"


class LibraryLocked(LibraryError):
    title = "The library is busy"


class LibraryReadOnly(LibraryError):
    title = "The library is read-only"


class LibraryMissing(LibraryError):
    title = "The library was not found"


class BackupFailed(LibraryError):
    title = "No backup could be taken"

    def __init__(self, message: str, advice: str = "", why: str = ""):
        super().__init__(message, advice)
        self.why = why  # the cause in a few words, for messages about what needed the backup


class IndexDamaged(LibraryError):
    title = "The search index needs repairing"


class DiskFull(LibraryError):
    title = "The disk is full"


class DiskError(LibraryError):
    title = "The disk reported an error"


class OutputRefused(LibraryError):
    title = "That file cannot be written"


# ----- SQLite's reports, in plain words -----------------------------------------------

SAVE_LATER = "Your change was not saved yet. Try again in a moment."
OPEN_LATER = "It was not opened. Try again when the other program has finished."


def named(path: Path) -> str:
    return f"“{path.name}”"


OPEN_ANOTHER = "Open a .casebook file, or create a new library."


def not_a_library(path: Path) -> NotALibrary:
    return NotALibrary(f"{named(path)} is not a Casebook library. It was not changed.", OPEN_ANOTHER)


def damaged(path: Path) -> LibraryDamaged:
    return LibraryDamaged(
        f"{named(path)} is damaged and cannot be used safely. Casebook has not changed it.",
        "Restore the latest backup (File › Restore from backup…) or open another library.",
    )


def is_busy(e: sqlite3.Error) -> bool:
    return _primary_code(e) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _primary_code(e: sqlite3.Error) -> int | None:
    code = getattr(e, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def disk_full(path: Path, advice: str = "Nothing was changed.") -> DiskFull:
    return DiskFull(
        f"The disk holding {named(path)} is full.", f"Free some space on it, then try again. {advice}"
    )


_DISK_CODES = (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_NOMEM)
NEARLY_FULL = 1024 * 1024
"""Free bytes under which an input/output error is taken for a full disk: SQLite reports
failing to grow its -shm file, for one, as an I/O error."""


def _no_room(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < NEARLY_FULL
    except OSError:
        return False


def problem(path: Path, e: sqlite3.Error, advice: str = "") -> LibraryError:
    """The plain-words error for what SQLite reported about the library at `path`."""
    code = _primary_code(e)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return locked(path, advice or SAVE_LATER)
    if code == sqlite3.SQLITE_FULL or (code in _DISK_CODES and _no_room(path)):
        log.error("%s: the disk is full (%s, %s)", path, getattr(e, "sqlite_errorname", "?"), e)
        return disk_full(path)
    if code in _DISK_CODES:
        log.error("%s: input/output error (%s, %s)", path, getattr(e, "sqlite_errorname", "?"), e)
        return DiskError(
            f"{named(path)} could not be read or written: the disk or the system reported an "
            f"error ({e}). This is not damage to the library.",
            "Check that the disk is connected and has free space, then try again. "
            "Details are in the log file.",
        )
    if code == sqlite3.SQLITE_READONLY:
        return read_only(path, e)
    if code == sqlite3.SQLITE_NOTADB:
        return not_a_library(path)
    log.error("%s: %s (%s)", path, e, getattr(e, "sqlite_errorname", "?"))
    return damaged(path)


def locked(path: Path, advice: str = SAVE_LATER) -> LibraryLocked:
    return LibraryLocked(
        f"{named(path)} is busy: another Casebook window or program is writing to it.", advice
    )


def read_only(path: Path, e: Exception) -> LibraryReadOnly:
    log.warning("cannot write %s: %s", path, e)
    return LibraryReadOnly(
        f"Changes to {named(path)} cannot be saved ({e}).",
        "Check that the file and its folder can be written, or open a copy.",
    )
