"""Notes being typed, kept in a small file per case until the library has them.

Notes go into the library a moment after typing stops. If Casebook is killed in
that moment, the draft file still holds what was typed, and the next time the
library is opened `recover` puts it back. Writing a few hundred bytes to a file
on each keystroke costs microseconds; a write transaction per keystroke would
hold up other writers.

A draft also keeps the notes it was typed over (its base). It is put back only
while the library still holds that base: after a restore from a backup, or
once another window or program has saved other notes, it would overwrite newer
notes, so it is kept aside instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

from . import paths
from .library import Library

log = logging.getLogger(__name__)


def draft_dir(library_path: str | os.PathLike) -> Path:
    key = hashlib.sha256(str(Path(library_path).resolve()).encode()).hexdigest()[:16]
    return paths.data_dir() / "drafts" / key


def _draft_file(library_path: str | os.PathLike, case_id: int) -> Path:
    return draft_dir(library_path) / f"{int(case_id)}.json"


def _read(path: Path) -> dict | None:
    try:
        draft = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return draft if isinstance(draft, dict) and isinstance(draft.get("text"), str) else None


def _write(path: Path, text: str, base: str | None) -> None:
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps({"base": base, "text": text}), encoding="utf-8")
    os.replace(partial, path)


def save(library_path: str | os.PathLike, case_id: int, text: str, base: str) -> None:
    """Keep `text`, typed over the notes `base`, as the draft notes of a case."""
    target = _draft_file(library_path, case_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    _write(target, text, base)


def pending(library_path: str | os.PathLike, case_id: int) -> tuple[str, str | None] | None:
    """The draft of a case not yet in the library, as (text, base), if there is one."""
    draft = _read(_draft_file(library_path, case_id))
    return (draft["text"], draft.get("base")) if draft else None


def merged(mine: str, theirs: str, stamp: str) -> str:
    """Notes typed here while another program saved other notes: both, the other's below a
    line saying where they came from (one holding the other is kept alone)."""
    if theirs in mine:
        return mine
    if mine in theirs:
        return theirs
    return f"{mine.rstrip()}\n\n——— Saved by another Casebook window or program ({stamp}) ———\n{theirs}"


def clear(library_path: str | os.PathLike, case_id: int, saved: str) -> None:
    """The library now holds `saved`: drop the draft, or if newer typing replaced it,
    make `saved` the notes it is typed over."""
    target = _draft_file(library_path, case_id)
    draft = _read(target)
    try:
        if draft is None or draft["text"] == saved:
            target.unlink(missing_ok=True)
        else:
            _write(target, draft["text"], saved)
    except OSError:
        log.warning("could not update the draft of case %s", case_id, exc_info=True)


def recover(lib: Library) -> list[int]:
    """Write drafts left by an interrupted session into the library; return the case ids."""
    folder = draft_dir(lib.path)
    if not folder.is_dir():
        return []
    recovered = []
    for path in sorted(folder.glob("*.json")) + sorted(folder.glob("*.txt")):
        draft = _read(path) if path.suffix == ".json" else _read_old(path)
        if draft is None or not path.stem.isdigit():
            log.warning("ignored unreadable draft %s", path)
            path.unlink(missing_ok=True)
            continue
        case_id, text, base = int(path.stem), draft["text"], draft.get("base")
        case = lib.case(case_id)
        if case is not None and case.notes != text:
            if lib.save_notes(case_id, text, case.notes if base is None else base) is not None:
                _keep_aside(path)
                continue
            recovered.append(case_id)
            log.info("recovered unsaved notes of case %s from %s", case_id, path)
        path.unlink(missing_ok=True)
    return recovered


def _read_old(path: Path) -> dict | None:
    """A draft from before drafts kept their base: only its text."""
    try:
        return {"text": path.read_text(encoding="utf-8"), "base": None}
    except (OSError, UnicodeDecodeError):
        return None


def _keep_aside(path: Path) -> None:
    """The case's notes changed after the draft began: keep the draft's text, unused."""
    aside = path.parent / "not-recovered"
    aside.mkdir(exist_ok=True)
    kept = aside / f"{path.stem}-{time.time_ns()}{path.suffix}"
    path.replace(kept)
    log.warning(
        "notes of case %s changed since a draft began; the draft was not put back but kept as %s",
        path.stem,
        kept,
    )
