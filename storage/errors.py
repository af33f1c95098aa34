"""Errors a user can cause with a library file, each with plain words and what to do next."""

from __future__ import annotations


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


class IndexDamaged(LibraryError):
    title = "The search index needs repairing"


class DiskFull(LibraryError):
    title = "The disk is full"


class DiskError(LibraryError):
    title = "The disk reported an error"


class OutputRefused(LibraryError):
    title = "That file cannot be written"
