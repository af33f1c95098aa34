"""PDF output for casebook-cli: the same pages as the window makes, without a window."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from storage.keeping.library import Library

from .printing import PrintOptions, write_pdf

log = logging.getLogger(__name__)


def export_pdf(
    lib: Library, ids: list[int], out: str, include_notes: bool = False, page_size: str = "A4"
) -> int:
    """Write the cases `ids` to one PDF at `out`; return the number of pages."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # fonts need a Qt application, not a screen
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QGuiApplication

    qInstallMessageHandler(lambda _kind, _where, text: log.info("Qt: %s", text))  # the log, not the terminal
    app = QGuiApplication.instance() or QGuiApplication(["casebook-cli"])
    cases = list(lib.cases(ids))
    pages = write_pdf(Path(out), cases, PrintOptions(include_notes, page_size))
    del app
    return pages
