"""Run by test_sharing: open the window on a library, say READY, and on a line from stdin
type `text` into the first case's notes one key every `gap` ms; then wait for the notes
to land and print the notes shown as JSON."""

import json
import sys

from child_window import window_on
from PySide6.QtTest import QTest

library, text, gap = sys.argv[1], sys.argv[2], int(sys.argv[3])
app, window = window_on(library)
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
