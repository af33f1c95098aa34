"""Library work off the GUI thread.

A `LibraryRunner` owns one thread and one library connection, and runs
operations on it one at a time (like Anki's task manager). An operation is a
function of the `Library`; it never touches a widget. Its result or error
comes back to a callback on the GUI thread. The window keeps two runners: a
reader for searches and exports, and a writer for review fields, imports and
backups, so a long import never holds up a search.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from storage.errors import Cancelled, LibraryError
from storage.keeping.library import Library

log = logging.getLogger(__name__)


class Cancel:
    """Handed to long operations: they poll `cancelled()` and report `progress()`."""

    def __init__(self, report: Callable[[object], None]):
        self._event = threading.Event()
        self._report = report

    def cancel(self) -> None:
        self._event.set()

    def cancelled(self) -> bool:
        return self._event.is_set()

    def progress(self, value) -> None:
        self._report(value)


class LibraryRunner(QObject):
    """Runs `op(library)` calls in order on a private thread with its own connection."""

    _deliver = Signal(object)

    def __init__(self, path: Path, name: str, check: bool = False, read_only: bool | None = None):
        super().__init__()
        self.path = path
        self._check = check
        self._read_only = read_only
        self._lib: Library | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._deliver.connect(self._on_deliver)
        self._pending = 0

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        op: Callable[[Library], object],
        done: Callable[[object], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> Future:
        """Queue `op`; `done(result)` or `failed(error)` is later called on the GUI thread."""
        self._pending += 1

        def job():
            try:
                result = op(self._library())
            except Cancelled as e:  # the user asked for it: not a failure
                log.info("%s cancelled", getattr(op, "__name__", "operation"))
                self._deliver.emit((failed, e))
                return None
            except LibraryError as e:  # said in plain words to the user; no traceback needed
                log.warning("%s: %s", getattr(op, "__name__", "operation"), e)
                self._deliver.emit((failed, e))
                return None
            except Exception as e:  # reported to the window, and logged with its traceback
                log.warning("%s failed", getattr(op, "__name__", "operation"), exc_info=True)
                self._deliver.emit((failed, e))
                return None
            self._deliver.emit((done, result))
            return result

        return self._pool.submit(job)

    def run_long(
        self,
        op: Callable[[Library, Cancel], object],
        progress: Callable[[object], None],
        done: Callable[[object], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> Cancel:
        """Like `run`, for work that reports progress and can be cancelled."""
        cancel = Cancel(lambda value: self._deliver.emit((progress, value, "progress")))
        self.run(lambda lib: op(lib, cancel), done, failed)
        return cancel

    def submit(self, op: Callable[[Library], object]) -> Future:
        """Queue `op` for a caller that waits for its result (or error) itself."""
        return self._pool.submit(lambda: op(self._library()))

    def _library(self) -> Library:
        if self._lib is None:
            self._lib = Library.open(self.path, check=self._check, read_only=self._read_only)
        return self._lib

    def _on_deliver(self, payload) -> None:
        callback, value, *kind = payload
        if not kind:
            self._pending -= 1
        if callback is not None:
            callback(value)

    def wait(self) -> None:
        """Block until everything queued so far has run (used when closing)."""
        self._pool.submit(lambda: None).result()

    def close(self) -> None:
        def shut():
            if self._lib is not None:
                self._lib.close()
                self._lib = None

        self._pool.submit(shut)
        self._pool.shutdown(wait=True)


class BackgroundJob(QObject):
    """One job on a daemon thread, for work that must never hold up closing the window:
    quitting during it simply abandons it. `failed(error)` comes back on the GUI thread."""

    _failed = Signal(object)

    def __init__(self, job: Callable[[], object], failed: Callable[[Exception], None], name: str):
        super().__init__()
        self._job = job
        self._finished = threading.Event()
        self._failed.connect(failed)
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        try:
            self._job()
        except Exception as e:
            log.warning("%s failed", threading.current_thread().name, exc_info=True)
            self._failed.emit(e)
        finally:
            self._finished.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has ended (used by tests); False on timeout."""
        return self._finished.wait(timeout)

