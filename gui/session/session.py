"""The library open in the window, and everything the window does with it.

The session owns the GUI thread's connection (a page of the list or one case: a few
milliseconds), a reader worker (searches, exports) and a writer worker (every change,
imports, checks), each with its own connection, a worker for backups and upgrades, the
notes saver and the watch on other programs. Every change goes through `write`: an
operation (operations.py) runs on the writer and says what it changed, and the session
emits `changed`, to which the views listen and refresh themselves. A change another
program made arrives the same way, marked `elsewhere`.

What to ask the reviewer (a damaged library, notes that cannot be kept) is the
window's part: the session says what happened with signals and return values.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from storage.errors import LibraryError
from storage.keeping import backup
from storage.keeping.importing import BatchReport
from storage.keeping.library import Library, is_current, needs_upgrade
from storage.searching.columns import columns

from .library_watch import LibraryWatch
from .notes_saver import PASSING, RETRY_MS, NotesSaver
from .operations import ANYTHING, Changes, Check
from .worker import Cancel, Done, Failed, LongOp, Progress, Worker

log = logging.getLogger(__name__)

Changed = Callable[[Changes], None]
Ask = Callable[[int, LibraryError], str]
"""Asked when closing finds notes that can neither be saved nor kept as drafts:
(how many cases, why) -> "retry", "discard" or "keep-open"."""


_prepared: Worker | None = None
"""A reader started by `prepare_reader` that no session has taken over yet."""


def prepare_reader(path: Path) -> None:
    """Start the reader of the library the window is about to open and have it read the
    library's column store while the rest of the window is imported and built: at 100,000
    cases that is a third of a second, most of the first search. The session that opens
    `path` takes the reader over. Only a library known at once to be of this version is read
    ahead: one that needs upgrading waits for its backup, and one another program is writing
    to is not waited for here (the window says it is busy)."""
    global _prepared
    if path.is_file() and is_current(path):
        _prepared = Worker("reader", path)
        _prepared.run(columns)


def _take_prepared(path: Path, read_only: bool | None) -> Worker | None:
    """The prepared reader if it suits `path` opened for writing; any other is closed."""
    global _prepared
    worker, _prepared = _prepared, None
    if worker is None or (not read_only and worker.path and worker.path.resolve() == path.resolve()):
        return worker
    worker.close(wait=False)
    return None


class Session(QObject):
    opened = Signal(object)  # Library: a library was opened (the views start afresh)
    closed = Signal()
    changed = Signal(object)  # Changes: what an operation or another program changed
    tags_known = Signal(list)  # every tag in the library, for completion
    failed = Signal(object, str)  # an operation's error, and what was being done
    upgrading = Signal(object)  # Path: an older library is being upgraded (a backup first)
    open_failed = Signal(object, object)  # Path, LibraryError: opening (after an upgrade) failed
    check_failed = Signal(object)  # LibraryError: the writer found the library unusable
    damage_found = Signal(object)  # repair.Findings: values the integrity check cannot judge
    backup_failed = Signal(object)  # Exception: an automatic backup could not be made
    busy_message = Signal(str)  # something the status bar may say for a moment
    notes_deferred = Signal(str)  # closing: notes could not be saved but go in next time
    notes_saved = Signal(int, str, object)  # case id, text sent, NotesSaved
    notes_waiting = Signal(int, object)  # case id, LibraryError (tried again)
    notes_failed = Signal(int, object)  # case id, error (the draft stays)
    notes_recovered = Signal(int, object)  # case id, NotesSaved: notes an earlier session left
    ready = Signal()  # the writer has checked the library: notes, the watch and backups have started
    library_gone = Signal(object)  # Path: another program deleted, moved or replaced the open library's file

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.lib: Library | None = None
        self.reader: Worker | None = None
        self.writer: Worker | None = None
        self.notes_saver: NotesSaver | None = None
        self.watch: LibraryWatch | None = None
        self.gone = False  # another program deleted, moved or replaced the open library's file
        self.backups = Worker("backups")  # also upgrades: jobs that copy a whole file

    @property
    def path(self) -> Path | None:
        return self.lib.path if self.lib else None

    # ----- opening and closing ------------------------------------------------------

    def open(self, path: Path, create: bool = False, ask: Ask | None = None) -> bool:
        """Open the library at `path` in place of the open one (closing it, if `ask` lets it).

        An older library is upgraded first, on the backup worker (a backup comes first:
        seconds for a big one): `upgrading` says so, and `opened` or `open_failed` follow.
        Raises the `LibraryError` opening raises; False if the open library stayed open."""
        if needs_upgrade(path):
            self.upgrading.emit(path)
            self.backups.run(
                lambda: Library.open(path).close(),
                lambda _: self._open_upgraded(path, ask),
                lambda e: self.open_failed.emit(path, e),
            )
            return True
        return self._open_now(path, create, ask)

    def _open_upgraded(self, path: Path, ask: Ask | None) -> None:
        try:
            self._open_now(path, False, ask)
        except LibraryError as e:
            self.open_failed.emit(path, e)

    def _open_now(self, path: Path, create: bool, ask: Ask | None) -> bool:
        lib = Library.open(path, create=create, check=False)
        if not self.close(ask):
            lib.close()
            return False
        self.lib, self.gone = lib, False
        read_only = lib.read_only or None
        self.reader = _take_prepared(lib.path, read_only) or Worker("reader", lib.path, read_only=read_only)
        self.writer = Worker("writer", lib.path, check=True, read_only=read_only)
        self.notes_saver = NotesSaver(self.writer, lib.path, self)
        self.notes_saver.saved.connect(self.notes_saved)
        self.notes_saver.waiting.connect(self.notes_waiting)
        self.notes_saver.failed.connect(self.notes_failed)
        self.notes_saver.recovered.connect(self.notes_recovered)
        self.notes_saver.take_up_drafts()
        self.watch = LibraryWatch(self.writer, self)
        self.watch.changed.connect(lambda: self._did(_ELSEWHERE, None))
        self.watch.gone.connect(lambda: self._gone(path))
        self.opened.emit(lib)  # the views ask the reader for the library's first search
        # The integrity check (a second at 100,000 cases) and the day's backup wait for it: on
        # two cores they held the list back by a third of a second.
        self.reader.run(lambda _lib: None, lambda _: self._check(), lambda _: self._check())
        self._read_tags()
        return True

    def _read_tags(self) -> None:
        """Every tag in the library, for completion (read off the GUI thread: a scan of all cases)."""
        self.read(lambda lib: lib.all_tags(), self.tags_known.emit)

    def _check(self) -> None:
        """The writer checks the library's integrity as it opens its connection: only a sound
        library gets its drafts written, its daily backup and its deeper check."""
        writer = self.writer
        assert writer is not None
        writer.run(lambda lib: lib.case_count(), self._sound, lambda e: self._unsound(writer, e))

    def _sound(self, _count: int) -> None:
        if self.watch is not None:
            self.watch.start()
        if self.notes_saver is not None:
            self.notes_saver.start()
        self.backup_if_due()
        self.read_and_write(Check(with_index=False), self._checked)
        self.ready.emit()

    def _checked(self, changes: Changes) -> None:
        if not changes.result.ok:
            self.damage_found.emit(changes.result)

    def _unsound(self, writer: Worker, error: Exception) -> None:
        if writer is not self.writer:
            return
        if isinstance(error, PASSING):  # busy, or a full disk: check again in a moment
            self.busy_message.emit(f"{error.message} Casebook will try again in a moment.")

            def again() -> None:
                if writer is self.writer:
                    self._check()

            QTimer.singleShot(RETRY_MS, again)
            return
        if isinstance(error, LibraryError) and self.lib is not None:
            self.lib.read_only = True  # a damaged library is never written to
        self.check_failed.emit(error)

    def close(self, ask: Ask | None = None) -> bool:
        """Close the open library; False if `ask` chose to keep it open because notes could
        neither be saved nor kept for later."""
        if self.lib is None:
            return True
        if self.notes_saver is not None:
            if not self._notes_may_close(self.notes_saver, ask):
                return False
            self.notes_saver.deleteLater()
        if self.watch is not None:
            self.watch.stop()
            self.watch.deleteLater()
        for worker in (self.writer, self.reader):
            if worker is not None:
                worker.close()
        self.lib.close()
        self.lib = self.reader = self.writer = self.notes_saver = self.watch = None
        self.closed.emit()
        return True

    def _notes_may_close(self, saver: NotesSaver, ask: Ask | None) -> bool:
        """A last try for unsaved notes. Those with a draft go in next time; for those without
        one `ask` decides."""
        while (error := saver.finish()) is not None:
            lost = saver.undrafted()
            if not lost:
                self.notes_deferred.emit(
                    f"Some notes could not be saved yet. {error.message} They are kept, and go into "
                    "the library the next time you open it."
                )
                return True
            choice = ask(len(lost), error) if ask else "keep-open"
            if choice == "discard":
                saver.abandon()
                return True
            if choice == "keep-open":
                return False
        return True

    def restore(self, info: backup.BackupInfo, path: Path, ask: Ask | None = None) -> Path | None:
        """Put a backup in place of the library at `path` (closed first, reopened after);
        return where the library as it was is kept, None if it stayed open."""
        if self.lib is not None and self.lib.path == path and not self.close(ask):
            return None
        try:
            kept = backup.restore(info.path, path)
        except (OSError, LibraryError):
            self._open_upgraded(path, ask)  # as it was
            raise
        self._open_upgraded(path, ask)
        return kept

    # ----- running operations -------------------------------------------------------

    def read(self, op: Callable[[Library], Any], done: Done, failed: Failed | None = None) -> None:
        """Run `op` on the reader; `done(result)` on the GUI thread."""
        if self.reader is not None:
            self.reader.run(op, done, failed)

    def read_long(self, op: LongOp, progress: Progress, done: Done, failed: Failed) -> Cancel | None:
        return self.reader.run_long(op, progress, done, failed) if self.reader else None

    def write(
        self,
        op: Callable[[Library], Changes],
        doing: str,
        done: Changed | None = None,
        failed: Failed | None = None,
    ) -> None:
        """Run the operation `op` on the writer; the views hear of its `Changes`, then `done`
        gets them. An error reaches `failed` (the signal), with `doing` for its message, and
        then `failed(error)` if given."""
        if self.writer is None:
            return
        self.writer.run(
            op, lambda changes: self._did(changes, done), lambda e: self._failed(e, doing, failed)
        )

    def write_long(
        self, op: LongOp, progress: Progress, done: Changed | None, failed: Failed
    ) -> Cancel | None:
        """A long operation (an import): progress, cancel, and `failed` handled by the caller."""
        if self.writer is None:
            return None
        return self.writer.run_long(op, progress, lambda changes: self._did(changes, done), failed)

    def read_and_write(self, op: Callable[[Library], Changes], done: Callable[[Changes], None]) -> None:
        """An operation that needs the writer's connection but changes nothing (a check)."""
        if self.writer is not None:
            self.writer.run(op, done, lambda e: self._failed(e, "checking the library"))

    def _did(self, changes: Changes, done: Changed | None) -> None:
        if changes.cases or changes.review or changes.tags or changes.saved_searches:
            self.changed.emit(changes)
        if changes.tags:
            self._read_tags()
        if isinstance(changes.result, BatchReport) and changes.result.first_import and self.lib:
            path, report = self.lib.path, changes.result
            self.backups.run(lambda: backup.after_first_import(path, report), failed=self.backup_failed.emit)
        if done is not None:
            done(changes)

    def _gone(self, path: Path) -> None:
        self.gone = True
        self.library_gone.emit(path)

    def _failed(self, error: Exception, doing: str, then: Failed | None = None) -> None:
        self.failed.emit(error, doing)
        self.changed.emit(ANYTHING)  # show the library as it is
        if then is not None:
            then(error)

    # ----- backups ------------------------------------------------------------------

    def backup_if_due(self) -> None:
        """The day's backup copies the whole file (seconds at 100,000 cases): on the backup
        worker, so notes typed meanwhile are saved at once, and abandoned on closing."""
        if self.lib is not None and not self.lib.read_only:
            path = self.lib.path
            self.backups.run(lambda: backup.backup_if_due(path), failed=self.backup_failed.emit)

    # ----- notes --------------------------------------------------------------------

    def keep_draft(self, case_id: int, text: str, base: str | None) -> None:
        if self.notes_saver is not None:
            self.notes_saver.keep(case_id, text, base)

    def save_notes(self, case_id: int, text: str, base: str | None) -> None:
        if self.notes_saver is not None:
            self.notes_saver.save(case_id, text, base)

    def unsaved_notes(self, case_id: int) -> tuple[str, str | None] | None:
        return self.notes_saver.unsaved(case_id) if self.notes_saver else None


_ELSEWHERE = Changes(ids=None, cases=True, review=True, tags=True, saved_searches=True, elsewhere=True)
