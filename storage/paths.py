"""Where Casebook keeps its files: the platform's user data and log folders.

`CASEBOOK_HOME` overrides both (tests, portable installs): data goes in
`$CASEBOOK_HOME/data`, logs in `$CASEBOOK_HOME/logs`.
"""

from __future__ import annotations

import hashlib
import logging
import logging.handlers
import os
import re
from pathlib import Path

import platformdirs

APP_NAME = "Casebook"
LIBRARY_FILE = "library.casebook"


def data_dir() -> Path:
    home = os.environ.get("CASEBOOK_HOME")
    path = Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    home = os.environ.get("CASEBOOK_HOME")
    path = Path(home) / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_library_path() -> Path:
    return data_dir() / LIBRARY_FILE


def backup_dir(library_path: str | os.PathLike[str]) -> Path:
    """Backups of a library sit in the data folder, one sub-folder per library file: its name
    and a hash of its full path, so two libraries of the same name never share backups."""
    resolved = Path(library_path).resolve()
    key = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:12]
    path = data_dir() / "backups" / f"{resolved.stem}-{key}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def legacy_backup_dir(library_path: str | os.PathLike[str]) -> Path:
    """Where Casebook 0.1 kept backups: one folder per library file *name*, so what is in it
    may be of another library with the same name."""
    return data_dir() / "backups" / Path(library_path).stem


def log_file() -> Path:
    return log_dir() / "casebook.log"


def setup_logging(level: int = logging.INFO) -> Path:
    """Send log records to a rotating file in the user's log folder; return its path."""
    path = log_file()
    root = logging.getLogger()
    if not any(getattr(h, "casebook", False) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
        handler.casebook = True  # type: ignore[attr-defined]
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
        )
        root.addHandler(handler)
        root.setLevel(level)
    return path


_UNSAFE_IN_NAMES = re.compile('[\x00-\x1f\x7f<>:"/\\\\|?*\u202a-\u202e\u2066-\u2069]')
"""Separators, what Windows refuses in a name, control characters, bidi overrides and isolates."""
_RESERVED_NAME = re.compile(r"^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:[ .]|$)", re.IGNORECASE)
"""Windows device names: "CON", "nul.txt" and "COM1 .pdf" all name a device, not a file."""
NAME_BYTES = 200
"""File names Casebook makes are at most this many bytes of UTF-8: file systems take 255, and
this leaves room for a " (2)" and a suffix."""


def safe_file_name(stem: str, suffix: str = "") -> str:
    """`stem` + `suffix` as a file name Windows, macOS and Linux all take, inside the folder it is
    written to: no separators (so no "..\\..\\x"), no character Windows refuses, no control or bidi
    character, no reserved device name, no dot or space at either end, at most NAME_BYTES bytes."""
    name = " ".join(_UNSAFE_IN_NAMES.sub("-", stem).split()).strip(" .")
    name = name.encode("utf-8")[: NAME_BYTES - len(suffix.encode("utf-8"))].decode("utf-8", "ignore")
    name = name.strip(" .") or "unnamed"
    return ("_" + name if _RESERVED_NAME.match(name) else name) + suffix
