"""Finding the files to import, and reading many of them on every core.

Every path a user gives ends up either in the list to read or in the list of
things not imported, with a reason: nothing is skipped silently. Inside a
dropped folder, links are not followed, so an import never reads outside what
the user chose.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from .. import library_files
from ..records import ReadResult, SourceFile, display_name
from .reader import read_file

PARALLEL_THRESHOLD = 400
"""Below this many files, starting worker processes costs more than it saves."""
CHUNK = 250
IN_FLIGHT = 16
"""Chunks queued per worker: enough that the workers keep reading while the caller spends a
second storing or indexing, few enough that read files waiting in memory stay under ~100 MB."""


def _not_imported(path: str, reason: str) -> ReadResult:
    name = display_name(Path(path).name or path)
    return ReadResult(SourceFile(name=name, sha256="", data=b"", path=display_name(path)), reason=reason)


_LIBRARY_FILE = (
    "This is a Casebook library (or one of its working files), not a summary. "
    "Open it with File › Open library… instead."
)


def collect_files(
    paths: Iterable[str | os.PathLike[str]], library: str | os.PathLike[str] | None = None
) -> tuple[list[str], list[ReadResult]]:
    """Expand dropped files and folders (recursively) into files to read, plus refusals.

    Library files are refused by name, and the open `library`'s own files however named."""
    files: list[str] = []
    refused: list[ReadResult] = []
    avoid = library_files.identities(library)
    avoid_inodes = {inode for _, inode in avoid}

    def add(path: str, inode: int, follow: bool = False) -> None:
        """Refuse library files; a (cheap) inode match is confirmed with the device."""
        is_library = inode in avoid_inodes and library_files.identity(path, follow) in avoid
        if is_library or library_files.has_library_name(path):
            refused.append(_not_imported(path, _LIBRARY_FILE))
        else:
            files.append(path)

    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path):
            _walk(path, add, refused)
        elif os.path.isfile(path):
            add(path, os.stat(path).st_ino, follow=True)
        elif os.path.exists(path):
            refused.append(_not_imported(path, "This is not a regular file (a device or pipe)."))
        elif os.path.islink(path):
            refused.append(_not_imported(path, "This link points to a file that does not exist."))
        else:
            refused.append(_not_imported(path, "The file or folder does not exist (any more)."))
    return files, refused


def _walk(top: str, add: Callable[[str, int], None], refused: list[ReadResult]) -> None:
    """Every file under `top`, in name order, without following links. Iterative, so that
    folders nested thousands deep cannot exhaust Python's recursion limit."""
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            refused.append(_not_imported(folder, f"The folder could not be opened ({e.strerror or e})."))
            continue
        if not entries:
            refused.append(_not_imported(folder, "The folder is empty: there was nothing to import."))
        subfolders = []
        for entry in entries:
            full = entry.path
            try:
                if entry.is_symlink():
                    what = "a link to a folder" if os.path.isdir(full) else "a link"
                    refused.append(
                        _not_imported(
                            full, f"This is {what}; links inside a dropped folder are not followed."
                        )
                    )
                elif entry.is_dir(follow_symlinks=False):
                    subfolders.append(full)
                elif entry.name.startswith("."):
                    refused.append(
                        _not_imported(full, "Hidden system file (such as .DS_Store), not a case summary.")
                    )
                elif not entry.is_file(follow_symlinks=False):
                    refused.append(_not_imported(full, "This is not a regular file (a device or pipe)."))
                else:
                    add(full, entry.inode())
            except OSError as e:
                refused.append(_not_imported(full, f"The file could not be examined ({e.strerror or e})."))
        stack.extend(reversed(subfolders))


def _read_chunk(paths: list[str]) -> list[ReadResult]:
    return [read_file(p) for p in paths]


def _start_worker() -> None:
    """Set up a reading process: it ends with the process that started it, however that one
    ended (a kill leaves the pool no chance to stop it), and it runs without the cycle
    collector (its records hold no cycles, so collecting only costs time)."""
    gc.disable()
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent,), name="end-with-parent", daemon=True).start()


def _end_with(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # returns once the parent is gone: its end of a pipe closes
    os._exit(1)


def read_files(
    paths: list[str],
    workers: int | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Iterator[ReadResult]:
    """Read `paths` in order, on `workers` processes when there are many.

    Results come back in the order of `paths`. Stops early when `cancel()` is true.
    """
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(paths) < PARALLEL_THRESHOLD:
        for p in paths:
            if cancel and cancel():
                return
            yield read_file(p)
        return
    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    # "spawn": never fork a process that runs Qt threads.
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=_start_worker
    ) as pool:
        pending = [pool.submit(_read_chunk, c) for c in chunks[: workers * IN_FLIGHT]]
        next_chunk = len(pending)
        try:
            while pending:
                results = pending.pop(0).result()
                if next_chunk < len(chunks):
                    pending.append(pool.submit(_read_chunk, chunks[next_chunk]))
                    next_chunk += 1
                for r in results:
                    if cancel and cancel():
                        return
                    yield r
        finally:
            for f in pending:
                f.cancel()
