"""Notes on their way into the library, kept until they land whatever the library is doing.

Every keystroke goes to a draft file (storage/drafts.py); a moment after typing stops
the notes are sent to the writer. When another program holds the library longer than
SQLite waits, or the disk is full, nothing is lost: the text stays in the editor, in
the draft and here, and is sent again every few seconds until it lands, while the
window says it is waiting. Another window or program may have saved other notes for
the case meanwhile: then both texts are kept (`drafts.merged`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from storage import drafts
from storage.errors import DiskError, DiskFull, LibraryError, LibraryLocked

from .runner import LibraryRunner

log = logging.getLogger(__name__)

RETRY_MS = 2000
PASSING = (LibraryLocked, DiskFull, DiskError)
"""Errors that pass: the save is tried again until it lands."""


def stamp() -> str:
    return datetime.now().strftime("%d %b %Y %H:%M")


class NotesSaver(QObject):
    saved = Signal(int, str)  # case id, the notes the library now holds
    waiting = Signal(int, object)  # case id, the error that held the save up (it is tried again)
    failed = Signal(int, object)  # case id, an error that trying again will not mend (kept as a draft)
    conflict = Signal(int, str)  # case id, other notes saved meanwhile: `merge` or the editor keeps both

    def __init__(self, runner: LibraryRunner, library: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self._library = library
        self._pending: dict[int, tuple[str, str]] = {}  # case id -> (text, the notes it goes over)
        self._sending: set[int] = set()
        self._retry = QTimer(self, singleShot=True, interval=RETRY_MS)
        self._retry.timeout.connect(self._send_all)

    def keep(self, case_id: int, text: str, base: str) -> None:
        """A keystroke: keep the text as a draft file."""
        try:
            drafts.save(self._library, case_id, text, base)
        except OSError:
            log.warning("could not keep a draft of the notes of case %s", case_id, exc_info=True)

    def save(self, case_id: int, text: str, base: str) -> None:
        """Send `text`, typed over the notes `base`, to the library (now, and until it lands)."""
        self._pending[case_id] = (text, base)
        self.keep(case_id, text, base)
        self._send(case_id)

    def unsaved(self, case_id: int) -> tuple[str, str] | None:
        """(text, base) of notes of this case that have not landed yet."""
        return self._pending.get(case_id)

    def has_unsaved(self) -> bool:
        return bool(self._pending)

    def merge(self, case_id: int, theirs: str) -> None:
        """Keep both the unsaved text and the notes saved meanwhile, and send them."""
        text, _ = self._pending[case_id]
        self._pending[case_id] = (drafts.merged(text, theirs, stamp()), theirs)
        self.keep(case_id, *self._pending[case_id])
        self._send(case_id)

    def _send(self, case_id: int) -> None:
        if case_id in self._sending or case_id not in self._pending:
            return
        text, base = self._pending[case_id]
        self._sending.add(case_id)
        self._runner.run(
            lambda lib: lib.save_notes(case_id, text, base),
            lambda theirs: self._answered(case_id, text, theirs),
            lambda error: self._held_up(case_id, error),
        )

    def _send_all(self) -> None:
        for case_id in list(self._pending):
            self._send(case_id)

    def _answered(self, case_id: int, text: str, theirs: str | None) -> None:
        self._sending.discard(case_id)
        latest = self._pending.get(case_id)
        if latest is None:
            return
        if theirs is not None:
            if latest[1] == theirs:  # settled since it was sent: send the newer text
                self._send(case_id)
            else:
                self.conflict.emit(case_id, theirs)
            return
        if latest[0] == text:
            del self._pending[case_id]
            drafts.clear(self._library, case_id, text)
        else:  # typed on while it was on its way: the newer text now goes over what landed
            self._pending[case_id] = (latest[0], text)
            self._send(case_id)
        self.saved.emit(case_id, text)

    def _held_up(self, case_id: int, error: Exception) -> None:
        self._sending.discard(case_id)
        if isinstance(error, PASSING):
            self.waiting.emit(case_id, error)
            if not self._retry.isActive():
                self._retry.start()
        else:
            self.failed.emit(case_id, error)

    def finish(self) -> int:
        """Closing: one last try for every unsaved text, waited for here; return how many did
        not land. Their drafts stay, and are put back the next time the library opens."""
        left = 0
        for case_id, (text, base) in list(self._pending.items()):
            attempt = self._runner.submit(lambda lib, c=case_id, t=text, b=base: lib.save_notes(c, t, b))
            try:
                theirs = attempt.result()
            except LibraryError as e:
                log.warning("notes of case %s not saved on closing: %s", case_id, e)
                left += 1
                continue
            if theirs is None:
                drafts.clear(self._library, case_id, text)
            else:  # the draft, with both texts, goes in when the library next opens
                self.keep(case_id, drafts.merged(text, theirs, stamp()), theirs)
                left += 1
        self._pending.clear()
        self._retry.stop()
        return left
