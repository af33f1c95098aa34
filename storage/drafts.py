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
import re
import sqlite3
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


def _notes_in_library(library_path: str | os.PathLike, case_id: int) -> str | None:
    """The case's notes as the library holds them now, or None if it cannot tell."""
    try:
        conn = sqlite3.connect(f"{Path(library_path).resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            row = conn.execute("SELECT notes FROM cases WHERE id = ?", (int(case_id),)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        log.warning("could not read the notes of case %s for its draft", case_id, exc_info=True)
        return None
    return row[0] if row else None


def save(library_path: str | os.PathLike, case_id: int, text: str) -> None:
    """Keep `text` as the draft notes of a case (replacing any earlier draft at once).

    The first keystroke of a draft reads the notes it is typed over from the library."""
    target = _draft_file(library_path, case_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    earlier = _read(target) if target.exists() else None
    base = earlier["base"] if earlier else _notes_in_library(library_path, case_id)
    _write(target, text, base)


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
        if draft is None or not re.fullmatch("[0-9]{1,18}", path.stem):
            log.warning("ignored unreadable draft %s", path)
            path.unlink(missing_ok=True)
            continue
        case_id, text, base = int(path.stem), draft["text"], draft.get("base")
        case = lib.case(case_id)
        if case is not None and case.notes != text:
            if base is None or case.notes == base:
                lib.set_notes(case_id, text)
                recovered.append(case_id)
                log.info("recovered unsaved notes of case %s from %s", case_id, path)
            else:
                _keep_aside(path)
                continue
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
