"""Notes being typed, kept in a small file per case until the library has them.

Notes go into the library a moment after typing stops. If Casebook is killed in
that moment, the draft file still holds what was typed, and the next time the
library is opened `recover` puts it back. Writing a few hundred bytes to a file
on each keystroke costs microseconds; a write transaction per keystroke would
hold up other writers.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from . import paths
from .library import Library

log = logging.getLogger(__name__)


def draft_dir(library_path: str | os.PathLike) -> Path:
    key = hashlib.sha256(str(Path(library_path).resolve()).encode()).hexdigest()[:16]
    return paths.data_dir() / "drafts" / key


def save(library_path: str | os.PathLike, case_id: int, text: str) -> None:
    """Keep `text` as the draft notes of a case (replacing any earlier draft at once)."""
    folder = draft_dir(library_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{int(case_id)}.txt"
    partial = target.with_suffix(".part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)


def clear(library_path: str | os.PathLike, case_id: int, saved: str) -> None:
    """The library now holds `saved`: drop the draft, unless newer typing replaced it."""
    target = draft_dir(library_path) / f"{int(case_id)}.txt"
    try:
        if target.read_text(encoding="utf-8") == saved:
            target.unlink()
    except OSError:
        pass


def recover(lib: Library) -> list[int]:
    """Write drafts left by an interrupted session into the library; return the case ids."""
    folder = draft_dir(lib.path)
    if not folder.is_dir():
        return []
    recovered = []
    for draft in sorted(folder.glob("*.txt")):
        try:
            case_id, text = int(draft.stem), draft.read_text(encoding="utf-8")
        except (ValueError, OSError, UnicodeDecodeError):
            log.warning("ignored unreadable draft %s", draft)
            draft.unlink(missing_ok=True)
            continue
        case = lib.case(case_id)
        if case is not None and case.notes != text:
            lib.set_notes(case_id, text)
            recovered.append(case_id)
            log.info("recovered unsaved notes of case %s from %s", case_id, draft)
        draft.unlink(missing_ok=True)
    return recovered
