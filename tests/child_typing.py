"""Run by test_safety: open the window, type notes into a case with real key events,
say TYPED on stdout, then keep running until the test kills this process."""

import sys

from child_window import window_on
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest

library, text = sys.argv[1], sys.argv[2]
app, window = window_on(library)
QTest.keyClicks(window.review.notes, text)
print("TYPED", window.review.case_id, flush=True)
QTimer.singleShot(60_000, app.quit)
app.exec()
