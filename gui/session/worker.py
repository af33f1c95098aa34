"""The one way the window works off the GUI thread.

A `Worker` owns one thread and runs jobs on it one at a time, in order (like Anki's task
manager). A worker for a library also owns one connection to it, opened on the first job:
each job is then a function of that `Library`, and never touches a widget. Its result or
error comes back to a callback on the GUI thread. The session keeps a reader (searches,
exports), a writer (every change, imports, checks) and one without a library for backups
and upgrades, whose copies of the file must never hold up a note being saved.

Threads are daemons: closing the window waits for the reader and the writer to finish
what they hold (`close`), but abandons a backup in progress (`close(wait=False)`); the
next opening takes it again.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from storage.errors import Cancelled, LibraryError
from storage.keeping.library import Library

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[Exception], None]
Progress = Callable[[Any], None]


class Cancel:
    """Handed to long jobs: they poll `cancelled()` and report `progress()`."""

    def __init__(self, report: Callable[[object], None]):
        self._event = threading.Event()
        self._report = report

    def cancel(self) -> None:
        self._event.set()

    def cancelled(self) -> bool:
        return self._event.is_set()

    def progress(self, value: object) -> None:
        self._report(value)


LongOp = Callable[[Library, Cancel], Any]
"""A long job: `op(lib, cancel)` polls `cancel.cancelled()` and reports `cancel.progress()`."""


class Worker(QObject):
    """Runs jobs in order on a thread of its own; with `library`, each job gets the worker's
    own connection to it (opened with `check` and `read_only` as `Library.open` takes them)."""

    _deliver = Signal(object)

    def __init__(
        self, name: str, library: Path | None = None, *, check: bool = False, read_only: bool | None = None
    ):
        super().__init__()
        self.path = library
        self._check = check
        self._read_only = read_only
        self._lib: Library | None = None
        self._jobs: queue.Queue[tuple[Callable[[], object], Future[Any]] | None] = queue.Queue()  # None: stop
        self._pending = 0  # jobs whose callback has not come back yet (GUI thread)
        self._queued = 0  # jobs not yet run (any thread, under _lock)
        self._lock = threading.Condition()
        self._closed = False
        self._deliver.connect(self._on_deliver)
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self, op: Callable[..., Any], done: Done | None = None, failed: Failed | None = None
    ) -> Future[Any]:
        """Queue `op` (of the worker's `Library`, or of nothing); `done(result)` or
        `failed(error)` is later called on the GUI thread."""
        self._pending += 1
        name = getattr(op, "__name__", "job")

        def job() -> object:
            try:
                result = op(self._library()) if self.path is not None else op()
            except Cancelled as e:  # the user asked for it: not a failure
                log.info("%s cancelled", name)
                self._deliver.emit((failed, e))
                return None
            except LibraryError as e:  # said in plain words to the user; no traceback needed
                log.warning("%s: %s", name, e)
                self._deliver.emit((failed, e))
                return None
            except Exception as e:  # reported to the window, and logged with its traceback
                log.warning("%s failed", name, exc_info=True)
                self._deliver.emit((failed, e))
                return None
            self._deliver.emit((done, result))
            return result

        return self._queue(job)

    def run_long(
        self,
        op: Callable[..., Any],
        progress: Progress,
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> Cancel:
        """Like `run`, for work that reports progress and can be cancelled: `op(lib, cancel)`."""
        cancel = Cancel(lambda value: self._deliver.emit((progress, value, "progress")))
        self.run(lambda *lib: op(*lib, cancel), done, failed)
        return cancel

    def submit(self, op: Callable[..., Any]) -> Future[Any]:
        """Queue `op` for a caller that waits for its result (or error) itself."""
        return self._queue(lambda: op(self._library()) if self.path is not None else op())

    def wait(self, timeout: float | None = None) -> bool:
        """Block until everything queued so far has run; False if `timeout` passed first."""
        with self._lock:
            return self._lock.wait_for(lambda: self._queued == 0, timeout)

    def close(self, wait: bool = True) -> None:
        """No more jobs: close the connection after those queued. `wait` for them, or leave
        them to end with the process (a backup that closing must not wait for). Results that
        come back after this go nowhere: those who asked for them may be gone."""
        self._closed = True
        self._jobs.put(None)
        if wait:
            self._thread.join()

    def _queue(self, job: Callable[[], object]) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            self._queued += 1
        self._jobs.put((job, future))
        return future

    def _serve(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                break
            job, future = item
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(job())
                except BaseException as e:
                    future.set_exception(e)
            with self._lock:
                self._queued -= 1
                self._lock.notify_all()
        if self._lib is not None:
            self._lib.close()
            self._lib = None

    def _library(self) -> Library:
        if self._lib is None:
            assert self.path is not None
            self._lib = Library.open(self.path, check=self._check, read_only=self._read_only)
        return self._lib

    def _on_deliver(self, payload: tuple[Any, ...]) -> None:
        callback, value, *kind = payload
        if not kind:
            self._pending -= 1
        if callback is not None and not self._closed:
            callback(value)
