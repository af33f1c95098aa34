"""Printing and PDF: cases laid out as pages with a header and a footer.

Every case starts on a new page. The header carries the reference and a
shortened title, the footer the date printed and "Page N of M" over the whole
output. The body is the same HTML as the detail pane (case_html.py) with the
print stylesheet from resources/, so the PDF holds real, selectable text.
Works on a QPrinter for paper and preview, or a QPdfWriter
for files (which, unlike a printer, may be used off the GUI thread).
"""

from __future__ import annotations

import getpass
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from PySide6.QtCore import QDate, QEventLoop, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter

import resources
from storage.errors import Cancelled
from storage.paths import safe_file_name
from storage.records import Case

from ..dialogs import version
from ..formatting import LOCALE
from ..safe_text import cell_text, shown
from .case_html import TEXT_CSS, RenderOptions, render_case

log = logging.getLogger(__name__)

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
MARGINS_MM = QMarginsF(18, 16, 18, 16)
HEADER_MM = 11
FOOTER_MM = 9
PDF_DPI = 300


@dataclass
class PrintOptions:
    include_notes: bool = False
    page_size: str = "A4"


def print_css() -> str:
    return resources.path("print.css").read_text("utf-8")


def page_layout(options: PrintOptions) -> QPageLayout:
    return QPageLayout(
        QPageSize(PAGE_SIZES.get(options.page_size, QPageSize.PageSizeId.A4)),
        QPageLayout.Orientation.Portrait,
        MARGINS_MM,
        QPageLayout.Unit.Millimeter,
    )


def document_title(cases: Sequence[Case]) -> str:
    if len(cases) == 1:
        case = cases[0]
        return cell_text(f"{case.reference} — {case.title}" if case.reference else case.title)
    return f"Casebook: {len(cases)} cases"


class _Pages:
    """Measures for painting on one device."""

    def __init__(self, device: QPrinter | QPdfWriter):
        self.device = device
        dpi = device.logicalDpiY()
        self.mm = dpi / 25.4
        self.paint = QRectF(device.pageLayout().paintRectPixels(device.resolution()))
        self.paint.moveTo(0, 0)
        self.body = self.paint.adjusted(0, HEADER_MM * self.mm, 0, -FOOTER_MM * self.mm)
        self.small = QFont()
        self.small.setPointSizeF(8)


def laid_out(html: str, pages: _Pages, css: str) -> QTextDocument:
    """`html` laid out in pages of the body's size, each page's lines only on that page."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(pages.device)
    doc.setDefaultStyleSheet(TEXT_CSS + css)
    doc.setHtml(html)
    doc.setPageSize(QSizeF(pages.body.width(), pages.body.height()))
    _split_at_page_breaks(doc)
    return doc


def _split_at_page_breaks(doc: QTextDocument) -> None:
    """End each paragraph that runs on to the next page where the page ends, and go on with it
    in a new one (no space between the two, no indent): the same lines in the same places.

    Painting a page, Qt also paints the last line above it of a paragraph that runs on to it.
    The clip hides that line on paper, but its text is in the PDF, so a search there found each
    line at a page break twice. A paragraph that ends on the page before is not painted at all."""
    for _ in range(3):  # one round does it (splitting moves no line); the others only make sure
        breaks = _paragraph_page_breaks(doc)
        if not breaks:
            return
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()  # laid out again once, not after each change
        for position in reversed(breaks):
            cursor.setPosition(position)
            rest = cursor.blockFormat()
            ended = QTextBlockFormat(rest)
            ended.setBottomMargin(0)
            cursor.setBlockFormat(ended)
            rest.setTopMargin(0)
            rest.setTextIndent(0)
            cursor.insertBlock(rest)
            listed = cursor.block().textList()
            if listed is not None:  # the rest of an item, not a new one
                listed.remove(cursor.block())
        cursor.endEditBlock()


def _paragraph_page_breaks(doc: QTextDocument) -> list[int]:
    """Where, inside a paragraph, a line starts a new page."""
    height = doc.pageSize().height()
    doc.pageCount()  # lays the whole document out
    layout = doc.documentLayout()
    found = []
    block = doc.begin()
    while block.isValid():
        lines = block.layout()
        top = layout.blockBoundingRect(block).top()
        page = None
        for i in range(lines.lineCount()):
            line = lines.lineAt(i)
            here = int((top + line.y()) // height)
            if page is not None and here != page:
                found.append(block.position() + line.textStart())
            page = here
        block = block.next()
    return found


@dataclass
class Section:
    """Part of the output that starts on a new page: its text, and its pages' header."""

    doc: QTextDocument
    left: str  # shown whole: a reference, a section's name
    right: str  # shortened to fit beside it: a title


def case_section(case: Case, options: RenderOptions, pages: _Pages, css: str) -> Section:
    doc = laid_out(render_case(case, options), pages, css)
    return Section(doc, shown(case.reference) or "No IOPC reference", shown(case.title))


def paint_cases(
    device: QPrinter | QPdfWriter,
    cases: Sequence[Case],
    options: PrintOptions,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Paint `cases` onto `device`, each from a new page; return the number of pages."""
    start_painting()
    pages = _Pages(device)
    css = print_css()
    rendering = RenderOptions(include_review=options.include_notes, for_print=True)
    sections = []
    for n, case in enumerate(cases, 1):
        if cancelled and cancelled():
            raise Cancelled
        sections.append(case_section(case, rendering, pages, css))
        if progress:
            progress(n, len(cases) * 2)

    def painted(n: int) -> None:
        if progress:
            progress(len(cases) + n, len(cases) * 2)

    return paint_sections(pages, sections, printed_on(), painted, cancelled)


def start_painting() -> None:
    """QTextDocument starts timers. A plain Python thread (the reader's) has no event
    dispatcher for them, and Qt warns for each, until a QEventLoop is made there."""
    QEventLoop()


def printed_on() -> str:
    return f"Printed {LOCALE.toString(QDate.currentDate(), 'd MMMM yyyy')}"


def paint_sections(
    pages: _Pages,
    sections: Sequence[Section],
    footer: str,
    painted: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Paint `sections` onto the device of `pages`, each from a new page, with the header of
    its section and `footer` on every page; `painted(n)` after the nth. Returns the pages."""
    total = sum(section.doc.pageCount() for section in sections)
    painter = QPainter()
    if not painter.begin(pages.device):
        raise OSError("the printer or file could not be opened for writing")
    height = pages.body.height()
    number = 0
    try:
        for n, section in enumerate(sections, 1):
            if cancelled and cancelled():
                raise Cancelled
            for page in range(section.doc.pageCount()):
                if number:
                    pages.device.newPage()
                number += 1
                _furniture(painter, pages, section, f"Page {number} of {total}", footer)
                painter.save()
                painter.translate(pages.body.topLeft())
                painter.translate(0, -page * height)
                section.doc.drawContents(painter, QRectF(0, page * height, pages.body.width(), height))
                painter.restore()
            if painted:
                painted(n)
    finally:
        painter.end()
    return total


def _furniture(painter: QPainter, pages: _Pages, section: Section, page_text: str, footer: str) -> None:
    """Header (the section's left, its right shortened) and footer (`footer`, page N of M)."""
    painter.save()
    painter.setFont(pages.small)
    painter.setPen(QPen(Qt.GlobalColor.darkGray, max(1.0, pages.mm * 0.2)))
    metrics = QFontMetricsF(pages.small, pages.device)
    line_height = metrics.height()
    top, bottom = pages.paint.top(), pages.paint.bottom()
    left_width = metrics.horizontalAdvance(section.left) + 4 * pages.mm
    right = metrics.elidedText(section.right, Qt.TextElideMode.ElideRight, pages.paint.width() - left_width)
    baseline = top + line_height
    painter.drawText(QPointF(pages.paint.left(), baseline), section.left)
    painter.drawText(QPointF(pages.paint.right() - metrics.horizontalAdvance(right), baseline), right)
    rule = top + line_height + 1.5 * pages.mm
    painter.drawLine(QPointF(pages.paint.left(), rule), QPointF(pages.paint.right(), rule))
    foot = bottom - line_height - 1.5 * pages.mm
    painter.drawLine(QPointF(pages.paint.left(), foot), QPointF(pages.paint.right(), foot))
    painter.drawText(QPointF(pages.paint.left(), bottom - metrics.descent()), footer)
    painter.drawText(
        QPointF(pages.paint.right() - metrics.horizontalAdvance(page_text), bottom - metrics.descent()),
        page_text,
    )
    painter.restore()


def write_pdf(
    path: str | Path,
    cases: Sequence[Case],
    options: PrintOptions,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write one PDF holding `cases`; a cancelled or failed file is removed. Returns pages."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(partial))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout(options))
    writer.setTitle(document_title(cases))
    writer.setAuthor(author())
    writer.setCreator(f"Casebook {version()}")
    try:
        pages = paint_cases(writer, cases, options, progress, cancelled)
    except BaseException:
        del writer
        partial.unlink(missing_ok=True)
        raise
    del writer  # closes the file
    partial.replace(path)
    return pages


def author() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some locked-down systems
        return "Casebook"


def pdf_name(case: Case, taken: set[str]) -> str:
    """A file name for one case's PDF: its reference (2016-070829.pdf), else the first words of
    its title, else its file's name (never the library's own number, which means nothing to
    people); safe on every system whatever a (copied) library holds, and not one of `taken`."""
    if case.reference:
        stem = case.reference.replace("/", "-")
    else:
        words = re.sub(r"[^\w\s-]", "", case.title, flags=re.UNICODE).replace(" - ", " ").split()[:12]
        stem = " ".join(words) or PurePath(case.source_name or "").stem or "case"
    name = safe_file_name(stem, ".pdf")
    base, n = name.removesuffix(".pdf"), 2
    while name.casefold() in taken:
        name, n = f"{base} ({n}).pdf", n + 1
    taken.add(name.casefold())
    return name


@dataclass
class WrittenPdfs:
    written: list[Path]
    failed: list[tuple[Case, str]]  # each case whose PDF could not be written, and why


def write_pdfs(
    folder: str | Path,
    cases: Sequence[Case],
    options: PrintOptions,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> WrittenPdfs:
    """One PDF per case into `folder`, named by reference; existing files are not overwritten.

    A PDF that cannot be written is listed with the reason, and the others are written all the
    same (each file is whole or absent). A cancel removes the PDFs written so far."""
    folder = Path(folder)
    taken = {p.name.casefold() for p in folder.iterdir()} if folder.exists() else set()
    result = WrittenPdfs([], [])
    try:
        for n, case in enumerate(cases, 1):
            if cancelled and cancelled():
                raise Cancelled
            target = folder / pdf_name(case, taken)
            try:
                write_pdf(target, [case], options)
                result.written.append(target)
            except OSError as e:
                log.warning("could not write %s", target, exc_info=True)
                result.failed.append((case, e.strerror or str(e)))
            if progress:
                progress(n, len(cases))
    except Cancelled:
        for path in result.written:
            path.unlink(missing_ok=True)
        raise
    return result
