"""When something unexpected breaks: a report in the log folder and a plain message,
instead of a window that vanishes."""

from __future__ import annotations

import faulthandler
import logging
import sys
import traceback
from datetime import datetime
from pathlib import Path

from storage import paths

log = logging.getLogger("casebook.crash")
_fault_file = None


def write_report(kind, value, tb) -> Path:
    """Write a crash report with the traceback; return its path."""
    from .dialogs import version

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    about = f"Casebook {version()} on Python {sys.version.split()[0]} ({sys.platform}), {datetime.now()}"
    text = "".join(traceback.format_exception(kind, value, tb))
    name, n = f"crash-{stamp}.txt", 1
    while True:  # two crashes in one second get a report each
        path = paths.log_dir() / name
        try:
            with open(path, "x", encoding="utf-8") as report:
                report.write(f"{about}\n\n{text}")
            return path
        except FileExistsError:
            n += 1
            name = f"crash-{stamp}-{n}.txt"


def install() -> None:
    """Catch unhandled errors (in Qt slots too) and hard crashes."""
    global _fault_file
    _fault_file = open(paths.log_dir() / "fatal-errors.txt", "a", encoding="utf-8")  # noqa: SIM115 - kept open
    faulthandler.enable(_fault_file)

    def hook(kind, value, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.critical("unhandled error", exc_info=(kind, value, tb))
        try:
            report = write_report(kind, value, tb)
        except OSError:
            report = paths.log_file()
        _tell(report)

    sys.excepthook = hook


def _tell(report: Path) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from .safe_text import message

    if QApplication.instance() is None:
        print(f"Casebook hit an unexpected problem. A report was written to {report}", file=sys.stderr)
        return
    message(
        QApplication.activeWindow(),
        QMessageBox.Icon.Critical,
        "Casebook",
        "Casebook hit a problem it did not expect. Your notes and changes so far are saved.\n\n"
        f"A report was written to:\n{report}\n\n"
        "If it happens again, please send that file to whoever supports Casebook.",
    )
