"""PDF output for casebook-cli: the same pages as the window makes, without a window."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from storage.keeping.library import Library
from storage.patterns.report import of_search

from .printing import PrintOptions, write_pdf

log = logging.getLogger(__name__)


def _start_qt():
    """A Qt application without a screen: fonts need one, not a display."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QGuiApplication

    qInstallMessageHandler(lambda _kind, _where, text: log.info("Qt: %s", text))  # the log, not the terminal
    return QGuiApplication.instance() or QGuiApplication(["casebook-cli"])


def export_pdf(
    lib: Library, ids: list[int], out: str, include_notes: bool = False, page_size: str = "A4"
) -> int:
    """Write the cases `ids` to one PDF at `out`; return the number of pages."""
    app = _start_qt()
    cases = list(lib.cases(ids))
    pages = write_pdf(Path(out), cases, PrintOptions(include_notes, page_size))
    del app
    return pages


def report_pdf(
    lib: Library, query: str, out: str, title: str | None, reviewer: str | None, notes: bool, page_size: str
) -> tuple[int, int]:
    """Write the review report of the cases `query` finds to `out`: (cases, pages). The reviewer's
    name is the one the window keeps in its settings unless `reviewer` is given."""
    app = _start_qt()
    from ..settings import Settings
    from .report import DEFAULT_TITLE, ReportOptions, write_report

    subject = of_search(lib, query)
    if not subject.ids:
        return 0, 0
    name = Settings().get("reviewer/name") if reviewer is None else reviewer
    options = ReportOptions(title or DEFAULT_TITLE, name, notes, page_size)
    pages = write_report(out, lib, subject, options)
    del app
    return len(subject.ids), pages
