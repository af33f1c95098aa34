"""Run by test_sharing: open the window on a library, say READY, and on a line from stdin
type `text` into the first case's notes one key every `gap` ms; then wait for the notes
to land and print the notes shown as JSON."""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PySide6.QtCore import QEventLoop
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.settings import Settings
from gui.window.main_window import MainWindow

library, text, gap = sys.argv[1], sys.argv[2], int(sys.argv[3])
app = QApplication([])
window = MainWindow(Settings())
loop = QEventLoop()
window.search_finished.connect(lambda _: loop.quit())
window.open_library(Path(library))
window.show()
loop.exec()
window.select_row(0)
window.review.notes.setFocus()
print("READY", flush=True)
sys.stdin.readline()
for key in text:
    QTest.keyClicks(window.review.notes, key)
    QTest.qWait(gap)
window.review.flush()
while window.session.notes_saver.has_unsaved():
    QTest.qWait(100)
QTest.qWait(3000)  # the other window's last save is seen too
print(json.dumps(window.review.notes.toPlainText()), flush=True)
window.close()
