"""The window's figures, measured in a fresh process on a real library (offscreen):

- shown: from process start (the time the parent passes in, or this module's import)
  to the main window on screen;
- listed: from process start to the case list filled by the first search;
- scroll to the end: making the last row of the list ready to paint;
- search as you type: from the moment typing stops (after the debounce) to the
  list showing the new result, through the real search bar and model;
- the statistics tab: from the list showing a search to the tab's charts redrawn for it
  (counted on the reader after the search, then drawn);
- peak RSS after all of that.

    python -m bench.window LIBRARY [SPAWNED_AT]     (prints one JSON object)

SPAWNED_AT is the parent's `time.time()` just before it started this process, so
that starting Python and importing Qt are counted too.
"""

from __future__ import annotations

import time

STARTED = time.monotonic()  # as early as this module can see: before Qt is imported
STARTED_WALL = time.time()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from bench import offscreen  # noqa: E402

QUERIES = (
    "custody",
    "police",
    "risk assessment",
    '"call handler"',
    "assess*",
    "taser force:kent",
    "year:2015..2018",
)


def peak_rss_mb() -> float:
    """This process's peak RSS. On Linux from VmHWM, which starts afresh at exec: getrusage's
    ru_maxrss keeps the peak of the process this one was forked from (the benchmark itself)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            line = next(line for line in f if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(library: str, spawned_at: float | None = None, rounds: int = 10) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", offscreen())
    os.environ.setdefault("CASEBOOK_HOME", tempfile.mkdtemp(prefix="casebook-bench-"))
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.session.session import prepare_reader
    from gui.settings import Settings

    app = QApplication([])
    prepare_reader(Path(library))  # as the app does: before the window is imported and built
    from gui.app import start_window

    window = start_window(Settings(), library)
    assert window is not None
    loop = QEventLoop()
    window.search_finished.connect(lambda _: loop.quit())
    ready, settled = QEventLoop(), []
    window.session.ready.connect(lambda: (settled.append(True), ready.quit()))
    window.resize(1600, 920)
    window.show()
    app.processEvents()
    shown = time.monotonic() - STARTED
    if window.result is None:  # the first search may have finished during processEvents
        loop.exec()
    listed = time.monotonic() - STARTED

    if spawned_at is not None:  # move the origin back to the moment the process was started
        shown, listed = (t + (STARTED_WALL - spawned_at) for t in (shown, listed))
    rows = window.model.rowCount()
    started = time.monotonic()
    window.select_row(rows - 1)
    app.processEvents()
    scroll_end = time.monotonic() - started

    # Typing is measured once the opening's background work is done: the writer's check of the
    # library (0.7 s at 100,000 cases) and the day's backup (1.3 GB, every run here, as each
    # run has a new CASEBOOK_HOME), which start once the list is filled.
    if not settled:
        ready.exec()
    window.session.backups.wait()
    latencies: dict[str, list[float]] = {q: [] for q in QUERIES}
    for _ in range(rounds):
        for query in (*QUERIES, ""):
            window.search_bar.edit.setText(query)
            started = time.monotonic()
            window.search_bar._emit()  # what the debounce timer calls when typing stops
            loop.exec()
            app.processEvents()  # the list repainted with the new result
            if query:
                latencies[query].append(time.monotonic() - started)
    statistics_ms = statistics_tab(app, window, loop, rounds)
    QTimer.singleShot(0, window.close)
    app.processEvents()
    return {
        "cases": rows,
        "shown_s": round(shown, 3),
        "listed_s": round(listed, 3),
        "scroll_end_ms": round(scroll_end * 1000, 2),
        "search_ms": {q: spread(v) for q, v in latencies.items()},
        "statistics_ms": {q: spread(v) for q, v in statistics_ms.items()},
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def spread(seconds: list[float]) -> dict[str, float]:
    """p50, p95 and the worst, in milliseconds."""
    return {
        "p50": round(statistics.median(seconds) * 1000, 1),
        "p95": round(statistics.quantiles(seconds, n=20, method="inclusive")[-1] * 1000, 1),
        "max": round(max(seconds) * 1000, 1),
    }


def statistics_tab(app, window, search_loop, rounds: int) -> dict[str, list[float]]:
    """Seconds from the list showing each search to the statistics tab redrawn for it."""
    from PySide6.QtCore import QEventLoop

    marks: dict[str, float] = {}
    counted = QEventLoop()
    window.search_finished.connect(lambda _: marks.__setitem__("listed", time.monotonic()))
    window.statistics.updated.connect(lambda _: (marks.__setitem__("counted", 1), counted.quit()))
    window.views.setCurrentWidget(window.statistics)
    app.processEvents()
    if window.statistics.figures is None:
        counted.exec()
    times: dict[str, list[float]] = {q: [] for q in (*QUERIES, "")}
    for _ in range(rounds):
        for query in times:
            marks.clear()
            window.search_bar.edit.setText(query)
            window.search_bar._emit()
            search_loop.exec()
            if "counted" not in marks:
                counted.exec()
            app.processEvents()  # the charts repainted
            times[query].append(time.monotonic() - marks["listed"])
    return times


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else None)))
