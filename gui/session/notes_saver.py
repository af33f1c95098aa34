"""Notes on their way into the library, kept until they land whatever the library is doing.

Every keystroke goes to a draft file (storage/keeping/drafts.py); a moment after typing stops
the notes are sent to the writer. When another program holds the library longer than
SQLite waits, or the disk is full, nothing is lost: the text stays in the editor, in
the draft and here, and is sent again every few seconds until it lands, while the
window says it is waiting. Drafts an earlier session left (Casebook was killed, or
closed while the library was busy) are taken up when the library opens and sent the
same way. Another window or program may have saved other notes for the case
meanwhile: the library then keeps both texts (`Library.save_notes`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from storage.errors import DiskError, DiskFull, LibraryError, LibraryLocked
from storage.keeping import drafts
from storage.keeping.library import NotesSaved
from storage.keeping.notes import merged

from .worker import Worker

log = logging.getLogger(__name__)

RETRY_MS = 2000
PASSING = (LibraryLocked, DiskFull, DiskError)
"""Errors that pass: the save is tried again until it lands."""


class NotesSaver(QObject):
    saved = Signal(int, str, object)  # case id, the text sent, NotesSaved: what the library now holds
    waiting = Signal(int, object)  # case id, the error that held the save up (it is tried again)
    failed = Signal(int, object)  # case id, an error that trying again will not mend (a draft stays)
    recovered = Signal(int, object)  # case id, NotesSaved: notes an earlier session left went in

    def __init__(self, runner: Worker, library: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self._library = library
        self._pending: dict[int, tuple[str, str | None]] = {}  # case id -> (text, the notes it goes over)
        self._sending: set[int] = set()
        self._left_over: set[int] = set()  # pending because an earlier session left them
        self._undrafted: set[int] = set()  # cases whose draft file could not be written
        self._started = False
        self._retry = QTimer(self, singleShot=True, interval=RETRY_MS)
        self._retry.timeout.connect(self._send_all)

    def take_up_drafts(self) -> None:
        """Drafts an earlier session left: shown at once (`unsaved`), sent once `start`ed."""
        for case_id, draft in drafts.all_drafts(self._library).items():
            self._pending.setdefault(case_id, draft)
            self._left_over.add(case_id)

    def start(self) -> None:
        """The library was checked and may be written: send what is waiting."""
        self._started = True
        self._send_all()

    def keep(self, case_id: int, text: str, base: str | None) -> None:
        """A keystroke: keep the text as a draft file."""
        try:
            drafts.save(self._library, case_id, text, base)
            self._undrafted.discard(case_id)
        except OSError:
            self._undrafted.add(case_id)
            log.warning("could not keep a draft of the notes of case %s", case_id, exc_info=True)

    def save(self, case_id: int, text: str, base: str | None) -> None:
        """Send `text`, typed over the notes `base`, to the library (now, and until it lands)."""
        self._pending[case_id] = (text, base)
        self.keep(case_id, text, base)
        self._send(case_id)

    def unsaved(self, case_id: int) -> tuple[str, str | None] | None:
        """(text, base) of notes of this case that have not landed yet."""
        return self._pending.get(case_id)

    def has_unsaved(self) -> bool:
        return bool(self._pending)

    def _send(self, case_id: int) -> None:
        if not self._started or case_id in self._sending or case_id not in self._pending:
            return
        text, base = self._pending[case_id]
        self._sending.add(case_id)
        self._runner.run(
            lambda lib: lib.save_notes(case_id, text, base),
            lambda result: self._landed(case_id, text, result),
            lambda error: self._held_up(case_id, error),
        )

    def _send_all(self) -> None:
        for case_id in list(self._pending):
            self._send(case_id)

    def _landed(self, case_id: int, sent: str, result: NotesSaved) -> None:
        self._sending.discard(case_id)
        latest = self._pending.get(case_id)
        if latest is not None and latest[0] == sent:
            del self._pending[case_id]
            drafts.clear(self._library, case_id, sent, result.text)
        elif latest is not None:  # typed on while it was on its way: that goes over what landed
            text = merged(latest[0], result.text, sent) if result.text != sent else latest[0]
            self._pending[case_id] = (text, result.text)
            self.keep(case_id, text, result.text)
            self._send(case_id)
        if case_id in self._left_over and case_id not in self._pending:
            self._left_over.discard(case_id)
            self.recovered.emit(case_id, result)
        self.saved.emit(case_id, sent, result)

    def _held_up(self, case_id: int, error: Exception) -> None:
        self._sending.discard(case_id)
        if isinstance(error, PASSING):
            self.waiting.emit(case_id, error)
            if not self._retry.isActive():
                self._retry.start()
        else:
            self.failed.emit(case_id, error)

    def finish(self) -> LibraryError | None:
        """Closing: one last try for every unsaved text, in one transaction, waited for here.
        None when all landed; else why not (their drafts stay, and go in when the library next
        opens; `undrafted` says which have no draft)."""
        self._retry.stop()
        if not self._pending:
            return None
        items = [(case_id, text, base) for case_id, (text, base) in self._pending.items()]
        try:
            landed = self._runner.submit(lambda lib: lib.save_many_notes(items)).result()
        except LibraryError as e:
            log.warning("notes of %s cases not saved on closing: %s", len(items), e)
            return e
        for case_id, result in landed.items():
            drafts.clear(self._library, case_id, self._pending[case_id][0], result.text)
        self._pending.clear()
        return None

    def undrafted(self) -> list[int]:
        """Unsaved notes that no draft file holds either (the disk was full, say)."""
        return sorted(self._undrafted & set(self._pending))

    def abandon(self) -> None:
        """Closing without the notes `finish` could not keep: the reviewer chose to."""
        self._pending.clear()
