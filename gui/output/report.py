"""A review report: one PDF of a search's cases (or some of them) for someone to read.

Its pages, in order: a cover (the title, the reviewer, the date, the search as typed and as
read, counts by status and finding), the contents with page numbers, a summary table of the
cases, the statistics of those cases as tables, and one section per case (case_html.py, with
each finding's evidence and the chronology). Every page has the report's title and page N of
M. The PDF's outline (bookmarks) has the parts and, under "Cases", one entry per case.

Qt paints the pages (printing.py). Qt cannot write an outline (QPdfWriter has no API for one
in PySide6 6.11), so pypdf copies the file Qt wrote and adds it. See docs/REPORT.md.

The report is written to a temporary file beside the target and renamed over it at the end:
a cancelled or failed report leaves no file behind, and an older file of that name stays
whole until the new one is complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QPageLayout, QPdfWriter, QTextCursor

from storage.errors import Cancelled
from storage.keeping.library import Library
from storage.patterns.report import ReportSubject
from storage.records import Case

from ..dialogs import version
from ..formatting import LOCALE
from ..safe_text import cell_text, shown
from .case_html import RenderOptions
from .printing import (
    PDF_DPI,
    PrintOptions,
    Section,
    _Pages,
    author,
    case_section,
    laid_out,
    page_layout,
    paint_sections,
    print_css,
    start_painting,
)
from .report_html import (
    REPORT_CSS,
    Entry,
    case_entry,
    contents_html,
    cover_html,
    statistics_html,
    summary_html,
)

DEFAULT_TITLE = "Case review report"
PARTS = ("Contents", "Summary of the cases", "Statistics")


@dataclass
class ReportOptions:
    title: str = DEFAULT_TITLE
    reviewer: str = ""
    include_notes: bool = False
    page_size: str = "A4"


@dataclass
class Mark:
    """An entry of the PDF's outline: its text and the page (from 0) it points at."""

    text: str
    page: int
    children: list[Mark] = field(default_factory=list)


@dataclass(frozen=True)
class Jump:
    """A line of the contents as a link: on page `page` (from 0), the rectangle `rect` (left,
    bottom, right, top in points, as PDF measures them) goes to page `target`."""

    page: int
    rect: tuple[float, float, float, float]
    target: int


Progress = Callable[[int, int], None]


def write_report(
    path: str | os.PathLike,
    lib: Library,
    subject: ReportSubject,
    options: ReportOptions,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write the report of `subject` to `path`; return its number of pages. Whole or not at all:
    cancelled (`Cancelled`) or failed, nothing is left at `path` that was not there before."""
    path = Path(path)
    cancelled = cancelled or (lambda: False)
    steps = 2 * len(subject.ids) + 1

    def step(n: int) -> None:
        if progress:
            progress(n, steps)

    painted, finished = _temporary(path), _temporary(path)
    try:
        pages, outline, jumps = _paint(painted, lib, subject, options, step, cancelled)
        if cancelled():
            raise Cancelled
        add_outline(painted, finished, outline, jumps)
        step(steps)
        os.replace(finished, path)
    except BaseException:
        finished.unlink(missing_ok=True)
        raise
    finally:
        painted.unlink(missing_ok=True)
    return pages


def _temporary(path: Path) -> Path:
    """A new, empty file beside `path` (same folder: renaming it over `path` cannot fail half-way)."""
    handle, name = tempfile.mkstemp(prefix=f".{path.stem[:40]}-", suffix=".part", dir=path.parent)
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)  # as a file opened for writing would be, not private to its owner
    return Path(name)


def _paint(
    target: Path,
    lib: Library,
    subject: ReportSubject,
    options: ReportOptions,
    step: Callable[[int], None],
    cancelled: Callable[[], bool],
) -> tuple[int, list[Mark], list[Jump]]:
    start_painting()
    title = cell_text(options.title.strip() or DEFAULT_TITLE)
    writer = QPdfWriter(str(target))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout(PrintOptions(page_size=options.page_size)))
    writer.setTitle(title)
    writer.setAuthor(cell_text(options.reviewer) or author())
    writer.setCreator(f"Casebook {version()}")
    pages = _Pages(writer)
    css = print_css() + REPORT_CSS
    rendering = RenderOptions(include_review=options.include_notes, for_print=True)

    cases: list[Case] = []
    case_sections = []
    for case in lib.cases(subject.ids):
        if cancelled():
            raise Cancelled
        cases.append(case)
        case_sections.append(replace(case_section(case, rendering, pages, css), right=shown(title)))
        step(len(cases))

    def part(html: str, name: str) -> Section:
        return Section(laid_out(html, pages, css), name, shown(title))

    made_on = LOCALE.toString(QDate.currentDate(), "d MMMM yyyy")
    cover_page = cover_html(title, options.reviewer, made_on, subject, options.include_notes)
    cover = part(cover_page, "Review report")
    summary = part(summary_html(cases), PARTS[1])
    figures = part(statistics_html(subject.figures), PARTS[2])
    contents, outline, entries = _contents(
        cover.doc.pageCount(), [summary, figures], case_sections, cases, lambda html: part(html, PARTS[0])
    )
    sections = [cover, contents, summary, figures, *case_sections]
    parts = len(sections) - len(cases)
    total = paint_sections(
        pages, sections, f"Made {made_on}", lambda n: step(len(cases) + max(0, n - parts)), cancelled
    )
    jumps = _jumps(contents, cover.doc.pageCount(), pages, [e.page - 1 for e in entries])
    return total, outline, jumps  # the painter has ended: Qt has written and closed the file


def _contents(
    first: int,
    parts: Sequence[Section],
    case_sections: Sequence[Section],
    cases: Sequence[Case],
    make: Callable[[str], Section],
) -> tuple[Section, list[Mark], list[Entry]]:
    """The contents (after the `first` pages), the outline and the contents' entries: each part
    and case with the page it starts on. The contents are laid out again until their own length is the one
    their page numbers assumed."""
    length = 1
    for _ in range(5):
        page = first + length
        starts = []
        for section in [*parts, *case_sections]:
            starts.append(page)
            page += section.doc.pageCount()
        entries = [Entry(name, starts[i] + 1, part=True) for i, name in enumerate(PARTS[1:])]
        if cases:
            entries.append(Entry("Cases", starts[len(parts)] + 1, part=True))
        entries += [Entry(case_entry(c), s + 1) for c, s in zip(cases, starts[len(parts) :], strict=True)]
        contents = make(contents_html(entries))
        if contents.doc.pageCount() == length:
            break
        length = contents.doc.pageCount()
    outline = [Mark(PARTS[0], first)] + [Mark(e.text, e.page - 1) for e in entries if e.part]
    if cases:
        outline[-1].children = [Mark(e.text, e.page - 1) for e in entries if not e.part]
    return contents, outline, entries


def _jumps(contents: Section, first: int, pages: _Pages, targets: Sequence[int]) -> list[Jump]:
    """Each line of the contents (after the `first` pages) as a link to the page of its entry:
    where its first cell was laid out, as the PDF measures it."""
    doc = contents.doc
    layout, height = doc.documentLayout(), pages.body.height()
    page_height = pages.device.pageLayout().fullRect(QPageLayout.Unit.Point).height()
    margins = pages.device.pageLayout().margins(QPageLayout.Unit.Point)
    point = 72 / pages.device.resolution()
    rows = []
    block = doc.begin()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        if table is not None and table.cellAt(block.position()).column() == 0:
            rows.append(layout.blockBoundingRect(block))
        block = block.next()
    jumps = []
    for rect, target in zip(rows, targets, strict=True):
        page = int(rect.top() // height)
        top = margins.top() + (pages.body.top() + rect.top() - page * height) * point
        left = margins.left() + pages.body.left() * point
        right = left + pages.body.width() * point
        jumps.append(
            Jump(
                first + page,
                (left, page_height - top - rect.height() * point, right, page_height - top),
                target,
            )
        )
    return jumps


def add_outline(source: Path, target: Path, outline: Sequence[Mark], jumps: Sequence[Jump] = ()) -> None:
    """Write `source` to `target` with `outline` as its bookmarks, shown when the PDF opens, and
    `jumps` as links."""
    from pypdf import PdfReader, PdfWriter  # 0.1 s to import, for reports only: not at the window's start
    from pypdf.annotations import Link

    writer = PdfWriter(clone_from=PdfReader(source), keep_initial_header=True)
    for mark in outline:
        parent = writer.add_outline_item(title=shown(mark.text), page_number=mark.page)
        for child in mark.children:
            writer.add_outline_item(title=shown(child.text), page_number=child.page, parent=parent)
    for jump in jumps:
        writer.add_annotation(
            jump.page, Link(rect=jump.rect, target_page_index=jump.target, border=[0, 0, 0])
        )
    writer.page_mode = "/UseOutlines"
    writer.write(target)
