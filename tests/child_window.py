"""For the child processes of the safety tests: a real window on a library, shown, after its
first search, with the first case open."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from gui.settings import Settings
from gui.window.main_window import MainWindow


def window_on(library: str) -> tuple[QApplication, MainWindow]:
    app = QApplication([])
    window = MainWindow(Settings())
    loop = QEventLoop()
    window.search_finished.connect(lambda _: loop.quit())
    window.open_library(Path(library))
    window.show()
    loop.exec()
    window.select_row(0)
    return app, window
