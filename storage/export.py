"""Exporting cases as data: CSV for spreadsheets and JSON for programs.

CSV is UTF-8 with a byte-order mark so that Excel reads accents and £ right,
has one yes/blank column per finding for counting (the corrected findings; what the
reviewer changed is listed in `findings_corrected`), the chronology in one cell
("2019-03-05 5 March 2019; 2019-06 June 2019"), and neutralises cells that
a spreadsheet would run as a formula (text from a file is never trusted).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO, TypeVar

from .errors import Cancelled
from .keeping.importing import OUTCOME_LABELS, BatchReport
from .keeping.library import Library
from .library_files import check_output
from .reading.findings import FINDINGS
from .records import Case

CSV_COLUMNS = (  # for people: not the library's own case numbers (JSON, for programs, has them)
    "reference", "title", "subject", "force", "kind", "category", "incident_period",
    "incident_month", "incident_date", "published", "findings", "findings_corrected", "status", "tags",
    "notes", "source_name", "source_sha256", "imported_at", "chronology",
)  # fmt: skip
Progress = Callable[[int], None]
T = TypeVar("T")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A spreadsheet cell that is shown as text, never run as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(case: Case) -> list[str]:
    data = case.to_json()
    data["findings"] = "; ".join(case.findings)
    data["findings_corrected"] = "; ".join(
        [*(f"added {f}" for f in case.findings_added), *(f"removed {f}" for f in case.findings_removed)]
    )
    data["tags"] = "; ".join(case.tags)
    data["chronology"] = "; ".join(f"{e.date} {e.text}" for e in case.chronology)
    row = [safe_cell(data[c]) for c in CSV_COLUMNS]
    row += ["yes" if f.label in case.findings else "" for f in FINDINGS]
    return row


def write_csv(cases: Iterable[Case], stream: TextIO, progress: Progress | None = None) -> int:
    """Write cases as CSV to a text stream; return how many were written."""
    writer = csv.writer(stream)
    writer.writerow([*CSV_COLUMNS, *(f.label for f in FINDINGS)])
    count = 0
    for count, case in enumerate(cases, 1):
        writer.writerow(csv_row(case))
        if progress and count % 500 == 0:
            progress(count)
    return count


def write_json(cases: Iterable[Case], stream: TextIO, progress: Progress | None = None) -> int:
    """Write cases as a JSON list (see `Case.to_json`) to a text stream; return the count."""
    stream.write("[")
    count = 0
    for count, case in enumerate(cases, 1):
        stream.write(",\n" if count > 1 else "\n")
        stream.write(json.dumps(case.to_json(), ensure_ascii=False))
        if progress and count % 500 == 0:
            progress(count)
    stream.write("\n]\n")
    return count


WRITERS = {"csv": (write_csv, "utf-8-sig"), "json": (write_json, "utf-8")}


def export(
    lib: Library,
    ids: Sequence[int],
    path: str | os.PathLike[str],
    fmt: str,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Export the cases `ids` (in that order) to a "csv" or "json" file, all or nothing.
    Never over a library (`OutputRefused`)."""
    writer, encoding = WRITERS[fmt]

    def report(count: int) -> None:
        if cancelled and cancelled():
            raise Cancelled
        if progress:
            progress(count)

    return write_file(path, lib.path, encoding, lambda stream: writer(lib.cases(list(ids)), stream, report))


def write_file(
    path: str | os.PathLike[str], library: os.PathLike[str], encoding: str, write: Callable[[TextIO], T]
) -> T:
    """Write a file all or nothing (`write` fills a stream that takes its place when done),
    never over a library (`OutputRefused`)."""
    check_output(path, library)
    tmp = f"{os.fspath(path)}.part"
    try:
        with open(tmp, "w", encoding=encoding, newline="") as stream:
            result = write(stream)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return result


REPORT_COLUMNS = ("file", "folder", "outcome", "reason", "case_id", "warnings")


def write_report_csv(report: BatchReport, path: str | os.PathLike[str]) -> None:
    """An import report, one row per file."""
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(REPORT_COLUMNS)
        for f in report.files:
            folder = os.path.dirname(f.path) if f.path else ""
            writer.writerow(
                [
                    safe_cell(f.name),
                    safe_cell(folder),
                    OUTCOME_LABELS.get(f.outcome, f.outcome),
                    safe_cell(f.reason),
                    f.case_id or "",
                    safe_cell("; ".join(f.warnings)),
                ]
            )
