"""The statistics view on paper and in PDF: each chart, its figures as a table, and its note.

One document for print and PDF (Qt lays it out in pages for either). Charts go in as
pictures drawn at twice their export size; every text from the library goes in `escaped`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

from ..safe_text import escaped
from .charts import CountChart

IMAGE_WIDTH = 600
"""The charts' width in the document's pixels: about 16 cm on the page."""


def _table(chart: CountChart) -> str:
    heading = escaped(chart.model.HEADERS[0])
    rows = "".join(
        f"<tr><td>{escaped(bar.label)}</td><td align='right'>{bar.count:,}</td>"
        f"<td align='right'>{chart.model.share(bar)}</td></tr>"
        for bar in chart.bars
    )
    return (
        "<table cellspacing='0' cellpadding='3' border='1' style='border-collapse:collapse'>"
        f"<tr><th align='left'>{heading}</th><th align='right'>Cases</th><th align='right'>Share</th></tr>"
        f"{rows}</table>"
    )


def statistics_document(heading: str, charts: list[CountChart]) -> QTextDocument:
    document = QTextDocument()
    parts = [f"<h1>Statistics</h1><p>{escaped(heading)}</p>"]
    for number, chart in enumerate(charts):
        url = f"chart:{chart.key}"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), chart.picture())
        page = " style='page-break-before:always'" if number else ""
        note = f"<p>{escaped(chart.note)}</p>" if chart.note else ""
        parts.append(
            f"<h2{page}>{escaped(chart.title)}</h2><p><img src='{url}' width='{IMAGE_WIDTH}'></p>"
            f"{_table(chart)}{note}"
        )
    document.setHtml("".join(parts))
    return document


def write_statistics_pdf(path: Path, document: QTextDocument) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(300)
    writer.setTitle("Casebook: statistics")
    document.print_(writer)
    if not Path(path).is_file():
        raise OSError(f"The PDF could not be written to {path}")
