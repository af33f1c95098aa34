"""Finding the files to import, and reading many of them on every core.

Every path a user gives ends up either in the list to read or in the list of
things not imported, with a reason: nothing is skipped silently. Inside a
dropped folder, links are not followed, so an import never reads outside what
the user chose.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from .reader import read_file
from .records import ReadResult, SourceFile

PARALLEL_THRESHOLD = 400
"""Below this many files, starting worker processes costs more than it saves."""
CHUNK = 250


def _not_imported(path: str, reason: str) -> ReadResult:
    return ReadResult(SourceFile(name=Path(path).name, sha256="", data=b"", path=path), reason=reason)


def collect_files(paths: Iterable[str | os.PathLike]) -> tuple[list[str], list[ReadResult]]:
    """Expand dropped files and folders (recursively) into files to read, plus refusals."""
    files: list[str] = []
    refused: list[ReadResult] = []
    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path):
            _walk(path, files, refused)
        elif os.path.exists(path):
            files.append(path)
        elif os.path.islink(path):
            refused.append(_not_imported(path, "This link points to a file that does not exist."))
        else:
            refused.append(_not_imported(path, "The file or folder does not exist (any more)."))
    return files, refused


def _walk(top: str, files: list[str], refused: list[ReadResult]) -> None:
    def on_error(error: OSError) -> None:
        refused.append(
            _not_imported(error.filename or top, f"The folder could not be opened ({error.strerror}).")
        )

    for folder, dirs, names in os.walk(top, onerror=on_error, followlinks=False):
        if not dirs and not names:
            refused.append(_not_imported(folder, "The folder is empty: there was nothing to import."))
        dirs.sort()
        for d in list(dirs):
            full = os.path.join(folder, d)
            if os.path.islink(full):
                dirs.remove(d)
                refused.append(
                    _not_imported(
                        full, "This is a link to a folder; links inside a dropped folder are not followed."
                    )
                )
        for name in sorted(names):
            full = os.path.join(folder, name)
            if os.path.islink(full):
                refused.append(
                    _not_imported(full, "This is a link; links inside a dropped folder are not followed.")
                )
            elif name.startswith("."):
                refused.append(
                    _not_imported(full, "Hidden system file (such as .DS_Store), not a case summary.")
                )
            elif not os.path.isfile(full):
                refused.append(_not_imported(full, "This is not a regular file (a device or pipe)."))
            else:
                files.append(full)


def _read_chunk(paths: list[str]) -> list[ReadResult]:
    return [read_file(p) for p in paths]


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
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        pending = [pool.submit(_read_chunk, c) for c in chunks[: workers * 2]]
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
