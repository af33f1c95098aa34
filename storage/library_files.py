"""Which files belong to a library, so that nothing reads them as summaries or writes over them.

A library is its `.casebook` file plus SQLite's `-wal` and `-shm` beside it (and a
`-journal` while an old library is upgraded). This process must never open and close
one of them other than through SQLite while it has the library open (that drops its
locks: see storage/keeping/library.py), and no export or backup may be written over one.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import OutputRefused

SUFFIX = ".casebook"
WORKING_FILES = ("-wal", "-shm", "-journal")
SUFFIXES = (SUFFIX, *(SUFFIX + extra for extra in WORKING_FILES))


def identity(path: str | os.PathLike[str], follow: bool = True) -> tuple[int, int] | None:
    """The file's device and inode, which every link and alias of it shares."""
    try:
        stat = os.stat(path, follow_symlinks=follow)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def identities(library: str | os.PathLike[str] | None) -> set[tuple[int, int]]:
    """The identities of the library's file and its working files that exist now."""
    if library is None:
        return set()
    found = (identity(f"{os.fspath(library)}{extra}") for extra in ("", *WORKING_FILES))
    return {i for i in found if i is not None}


def has_library_name(path: str | os.PathLike[str]) -> bool:
    return os.fspath(path).casefold().endswith(SUFFIXES)


def check_output(
    target: str | os.PathLike[str], library: str | os.PathLike[str] | None, backup: bool = False
) -> Path:
    """Refuse an output file that would replace a library; return the target as a Path.

    An export may not be named like a library at all. A backup is a library, so it is
    named like one, but never over any file that already exists."""
    path = Path(target)
    is_open_library = identity(path) in identities(library) or (
        library is not None and path.resolve() == Path(library).resolve()
    )
    if is_open_library:
        raise OutputRefused(
            f"“{path.name}” is the library Casebook has open: writing there would destroy it. "
            "Nothing was written.",
            "Choose another file name.",
        )
    if backup:
        if path.exists() or not path.name.casefold().endswith(SUFFIX):
            raise OutputRefused(
                f"A backup cannot be written as “{path.name}”: it is never written over another "
                "file, and its name ends in .casebook. Nothing was written.",
                "Choose a new file name ending in .casebook.",
            )
    elif has_library_name(path):
        raise OutputRefused(
            f"“{path.name}” is the name of a Casebook library: an export written there would "
            "replace it. Nothing was written.",
            "Choose a file name ending in .pdf, .csv or .json.",
        )
    return path
