"""Add Casebook to a Linux desktop's applications menu (for the current user).

Writes the .desktop entry (from resources/, with the full path of this
Casebook) and the icons into the user's folders, as the freedesktop
specifications describe. Nothing outside the user's home is touched.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import resources

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def launcher() -> str:
    """The command that starts this Casebook: the bundle's executable, or the installed script."""
    if getattr(sys, "frozen", False):
        return sys.executable
    script = Path(sys.executable).with_name("casebook")
    return str(script) if script.exists() else f"{sys.executable} -m gui"


def install() -> list[Path]:
    """Install the entry and icons; return the files written."""
    written = []
    entry = resources.path("casebook.desktop").read_text("utf-8")
    command = launcher()
    quoted = f'"{command}"' if " " in command and not command.endswith("-m gui") else command
    entry = "\n".join(
        f"Exec={quoted} %F" if line.startswith("Exec=") else line for line in entry.splitlines()
    )
    applications = data_home() / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    target = applications / "casebook.desktop"
    target.write_text(entry + "\n", encoding="utf-8")
    written.append(target)
    for size in ICON_SIZES:
        source = resources.path("icons", f"casebook-{size}.png")
        if source.exists():
            folder = data_home() / "icons" / "hicolor" / f"{size}x{size}" / "apps"
            folder.mkdir(parents=True, exist_ok=True)
            written.append(Path(shutil.copyfile(source, folder / "casebook.png")))
    svg = resources.path("icons", "casebook.svg")
    if svg.exists():
        folder = data_home() / "icons" / "hicolor" / "scalable" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        written.append(Path(shutil.copyfile(svg, folder / "casebook.svg")))
    return written
