"""A review report of 500 cases, measured in a process of its own (offscreen Qt).

    python -m bench.report LIBRARY [OUT.pdf]

Prints one JSON line (bench.run prints it as a table row for each size): the cases and pages,
the seconds to lay the cases out, to paint every page, to add the outline and in all (from
the first case read to the file renamed into place), the PDF's size and the process's peak
RSS.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

CASES = 500


def measure(library: Path, out: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from gui.output.report import ReportOptions, write_report
    from storage.keeping.library import Library
    from storage.patterns.report import of_cases

    app = QGuiApplication.instance() or QGuiApplication(["bench"])
    lib = Library.open(library, check=False)
    ids = [row[0] for row in lib.conn.execute("SELECT id FROM cases ORDER BY id LIMIT ?", (CASES,))]
    marks: dict[str, float] = {}

    def progress(done: int, total: int) -> None:
        if done >= len(ids) and "laid out" not in marks:
            marks["laid out"] = time.perf_counter()
        if done >= total - 1 and "painted" not in marks:
            marks["painted"] = time.perf_counter()

    start = time.perf_counter()
    subject = of_cases(lib, "", ["Every case in the library."], ids, f"the first {len(ids)} cases")
    pages = write_report(out, lib, subject, ReportOptions(include_notes=True), progress)
    end = time.perf_counter()
    lib.close()
    del app
    return {
        "cases": len(ids),
        "pages": pages,
        "layout_s": marks["laid out"] - start,
        "paint_s": marks["painted"] - marks["laid out"],
        "outline_s": end - marks["painted"],
        "total_s": end - start,
        "pdf_mb": out.stat().st_size / 1e6,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(sys.argv[1]).with_suffix(".report.pdf")
    print(json.dumps(measure(Path(sys.argv[1]), target)))
