"""The detail pane on a case as large as an import allows, in a fresh process (offscreen):

- show: from selecting the case in the list to the pane painted with its hits marked
  (finding the hits, laying out the top of the case, marking the hits on screen);
- the first F3 at once after that, and the rest of the layout, which Qt otherwise does in
  slices while the window is idle;
- F3 and Shift+F3: from the key to the pane repainted at the next hit, stepping through
  the first hits and jumping to the middle and the last one.

    python -m bench.big_case LIBRARY WORD      (prints one JSON object)

The library holds the case: bench.run writes it (bench.hostile.big_case) and imports it.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import offscreen

F3_PRESSES = 30


def main(library: str, word: str) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", offscreen())
    os.environ.setdefault("CASEBOOK_HOME", tempfile.mkdtemp(prefix="casebook-bench-"))
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.settings import Settings
    from gui.window.main_window import MainWindow

    app = QApplication([])
    window = MainWindow(Settings())
    loop = QEventLoop()
    window.search_finished.connect(lambda _: loop.quit())
    window.open_library(Path(library))
    window.resize(1600, 920)
    window.show()
    app.processEvents()
    if window.result is None:
        loop.exec()
    window.search_bar.edit.setText(word)
    window.search_bar._emit()  # what the debounce timer calls when typing stops
    loop.exec()
    app.processEvents()
    rows = range(window.model.rowCount())
    row = max(rows, key=lambda r: window.lib.case(window.model.id_at(r)).narrative.count(word))
    other = next(r for r in rows if r != row)
    detail = window.detail
    document = detail.browser.document()

    def painted(action) -> float:
        """From the action to the pane painted (no other events: the layout Qt goes on with in
        idle time is not counted here)."""
        start = time.perf_counter()
        action()
        detail.browser.viewport().repaint()
        return time.perf_counter() - start

    shows, first_f3, rest = [], [], []
    for _ in range(3):
        window.select_row(other)
        app.processEvents()
        shows.append(painted(lambda: window.select_row(row)))
        first_f3.append(painted(detail.next_hit))  # at once, before Qt has laid out the rest
        rest.append(painted(lambda: document.documentLayout().blockBoundingRect(document.lastBlock())))
    steps = [painted(detail.next_hit) for _ in range(F3_PRESSES)]
    steps += [painted(detail.previous_hit) for _ in range(F3_PRESSES // 3)]
    jumps = [painted(lambda n=n: detail.go_to_hit(n)) for n in (detail.hits // 2, detail.hits - 1, 0)]
    result = {
        "size_mb": round(len(detail.case.narrative.encode("utf-8")) / 1e6, 2),
        "hits": detail.hits,
        "more": detail.more_hits,
        "show_s": statistics.median(shows),
        "show_max_s": max(shows),
        "first_f3_ms": statistics.median(first_f3) * 1000,
        "layout_rest_s": statistics.median(rest),
        "f3_ms": statistics.median(steps) * 1000,
        "f3_max_ms": max(steps) * 1000,
        "jump_max_ms": max(jumps) * 1000,
    }
    QTimer.singleShot(0, window.close)
    app.processEvents()
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
