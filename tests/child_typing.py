"""Run by test_safety: open the window, type notes into a case with real key events,
say TYPED on stdout, then keep running until the test kills this process."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.settings import Settings
from gui.window.main_window import MainWindow

library, text = sys.argv[1], sys.argv[2]
app = QApplication([])
window = MainWindow(Settings())
loop = QEventLoop()
window.search_finished.connect(lambda _: loop.quit())
window.open_library(Path(library))
window.show()
loop.exec()
window.select_row(0)
QTest.keyClicks(window.review.notes, text)
print("TYPED", window.review.case_id, flush=True)
QTimer.singleShot(60_000, app.quit)
app.exec()
