"""Notes being typed, kept in a small file per case until the library has them.

Notes go into the library a moment after typing stops. If Casebook is killed in
that moment, the draft file still holds what was typed, and the next time the
library is opened the window sends it again (gui/session/notes_saver.py).
Writing a few hundred bytes to a file on each keystroke costs microseconds; a
write transaction per keystroke would hold up other writers.

A draft also keeps the notes it was typed over (its base), so that when it goes
in after the library's notes changed (another window saved other notes, or a
backup was restored), both texts are kept (storage/keeping/notes.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from .. import paths

log = logging.getLogger(__name__)


def draft_dir(library_path: str | os.PathLike[str]) -> Path:
    key = hashlib.sha256(os.fsencode(Path(library_path).resolve())).hexdigest()[:16]
    return paths.data_dir() / "drafts" / key


def _draft_file(library_path: str | os.PathLike[str], case_id: int) -> Path:
    return draft_dir(library_path) / f"{int(case_id)}.json"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        draft = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return draft if isinstance(draft, dict) and isinstance(draft.get("text"), str) else None


def _write(path: Path, text: str, base: str | None) -> None:
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps({"base": base, "text": text}), encoding="utf-8")
    os.replace(partial, path)


def save(library_path: str | os.PathLike[str], case_id: int, text: str, base: str | None) -> None:
    """Keep `text`, typed over the notes `base`, as the draft notes of a case."""
    target = _draft_file(library_path, case_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    _write(target, text, base)


def clear(library_path: str | os.PathLike[str], case_id: int, sent: str, now: str | None = None) -> None:
    """`sent` reached the library, which now holds `now` (the same, or with other notes merged
    in): drop the draft, or if newer typing replaced it, make `now` the notes it goes over."""
    target = _draft_file(library_path, case_id)
    draft = _read(target)
    try:
        if draft is None or draft["text"] == sent:
            target.unlink(missing_ok=True)
        else:
            _write(target, draft["text"], sent if now is None else now)
    except OSError:
        log.warning("could not update the draft of case %s", case_id, exc_info=True)


def all_drafts(library_path: str | os.PathLike[str]) -> dict[int, tuple[str, str | None]]:
    """Drafts left by an earlier session, as case id -> (text, base); a draft from before
    drafts kept their base has None for it."""
    folder = draft_dir(library_path)
    found: dict[int, tuple[str, str | None]] = {}
    for path in sorted(folder.glob("*.json")) + sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        draft = _read(path) if path.suffix == ".json" else _read_old(path)
        if draft is None or not re.fullmatch("[0-9]{1,18}", path.stem):
            log.warning("ignored unreadable draft %s", path)
            path.unlink(missing_ok=True)
            continue
        found[int(path.stem)] = (draft["text"], draft.get("base"))
        if path.suffix == ".txt":  # from now on kept as .json
            path.unlink(missing_ok=True)
    return found


def _read_old(path: Path) -> dict[str, Any] | None:
    """A draft from before drafts kept their base: only its text."""
    try:
        return {"text": path.read_text(encoding="utf-8"), "base": None}
    except (OSError, UnicodeDecodeError):
        return None
