"""Regenerate the pictures in docs/: the window, the import review page, a PDF page and the
first pages of a review report.

    .venv/bin/python .ci/screenshots.py

Uses a throwaway library of the development cases (tests/fixtures), offscreen.
The PDF page is rendered with pdftoppm (Debian package poppler-utils) if present.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CASES = ROOT / "tests" / "fixtures" / "cases"
BAD = ROOT / "tests" / "fixtures" / "bad"
REPORT_PAGES = ("cover", "contents", "summary", "statistics")
"""The report's first pages, as docs/report-NAME.png (and its first case as report-case.png)."""


def dark_palette():
    """A dark system theme, as a desktop's dark mode gives Qt's Fusion style."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#2b2b2e"), (roles.WindowText, "#e6e6e6"), (roles.Base, "#1e1e20"),
        (roles.AlternateBase, "#29292c"), (roles.Text, "#e6e6e6"), (roles.Button, "#3a3a3e"),
        (roles.ButtonText, "#e6e6e6"), (roles.Highlight, "#3d6fb6"), (roles.HighlightedText, "#ffffff"),
        (roles.PlaceholderText, "#9da3aa"), (roles.ToolTipBase, "#3a3a3e"), (roles.ToolTipText, "#e6e6e6"),
        (roles.Link, "#8ab4f8"),
    ):  # fmt: skip
        palette.setColor(role, QColor(colour))
    return palette


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="casebook-shots-"))
    os.environ["CASEBOOK_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pypdf import PdfReader
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QWizard

    from gui.icons import icon
    from gui.output.printing import PrintOptions, write_pdf
    from gui.output.report import ReportOptions, write_report
    from gui.settings import Settings
    from gui.window.main_window import MainWindow
    from storage.keeping.importing import import_paths
    from storage.keeping.library import Library
    from storage.patterns.report import of_search

    app = QApplication([])

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    library = home / "Casebook.casebook"
    lib = Library.open(library, create=True)
    real = sorted((CASES / "real").glob("*.txt"))
    later = real[-8:]  # left for the drop below, so that the review page has files to import
    import_paths(lib, [*map(str, real[:-8]), str(CASES / "seeds")])
    case = lib.find_case("2016/070829")
    lib.set_status([case.id], "flagged")
    lib.set_notes(case.id, "Risk assessments were not completed: compare with the 2019 Cambridgeshire case.")
    lib.change_tag([case.id], "bundle A", add=True)
    reviewed = [c for (c,) in lib.conn.execute("SELECT id FROM cases WHERE force LIKE '%Metropolitan%'")]
    lib.set_status(reviewed, "reviewed")
    DOCS.mkdir(exist_ok=True)
    write_pdf(home / "case.pdf", [lib.case(case.id)], PrintOptions(include_notes=True))
    report = ReportOptions("Custody and restraint: cases for the panel", "A. Reviewer", include_notes=True)
    write_report(home / "report.pdf", lib, of_search(lib, "custody OR restraint -force:kent"), report)
    lib.close()
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", "-singlefile", str(home / "case.pdf"), str(DOCS / "pdf-page")],
            check=True,
        )
        reader = PdfReader(home / "report.pdf")
        first_case = reader.get_destination_page_number(reader.outline[-1][0]) + 1  # the first under "Cases"
        pages = [*enumerate(REPORT_PAGES, 1), (first_case, "case")]
        for page, name in pages:
            subprocess.run(
                ["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                 str(home / "report.pdf"), str(DOCS / f"report-{name}")],
                check=True,
            )  # fmt: skip

    window = MainWindow(Settings())
    window.resize(1600, 920)
    window.open_library(library)
    window.show()
    window.search_bar.set_text("risk assessment")
    wait(800)
    window.select_row(window.model.row_of(case.id))
    wait(300)
    window.grab().save(str(DOCS / "screenshot.png"))
    for width, height in ((1366, 768), (1920, 1080)):  # a laptop, and a large desktop screen
        window.resize(width, height)
        wait(400)
        window.grab().save(str(DOCS / f"window-{width}x{height}.png"))
    light = app.palette()
    app.setPalette(dark_palette())  # as a dark desktop starts Casebook: icons drawn light too
    icon.cache_clear()
    dark = MainWindow(Settings())
    dark.open_library(library)
    dark.show()
    dark.setWindowState(Qt.WindowState.WindowNoState)  # not maximised to the offscreen screen
    dark.resize(1366, 768)
    dark.search_bar.set_text("risk assessment")
    wait(800)
    dark.select_row(dark.model.row_of(case.id))
    wait(600)
    dark.grab().save(str(DOCS / "window-dark.png"))
    dark.close()
    app.setPalette(light)
    icon.cache_clear()

    # A drop as people make them: new files, two already imported, a revised page of an
    # imported case (a conflict), and two files that are not summaries.
    drop = home / "drop"
    (drop / "summaries").mkdir(parents=True)
    for path in [*later, *real[:2]]:
        shutil.copy(path, drop / "summaries" / path.name)
    base = next(p for p in real[2:-8] if re.search(r"\n\d{4}/\d{6}", p.read_text(encoding="utf-8")))
    revised = base.read_text(encoding="utf-8").replace(" the ", " the whole ", 1)
    (drop / "summaries" / f"{base.stem}-revised.txt").write_text(revised, encoding="utf-8")
    shutil.copy(BAD / "pdf-renamed.txt", drop / "scan.pdf")
    shutil.copy(BAD / "image.txt", drop / "photo.txt")
    window.start_import([str(drop)])
    wizard = window.wizard
    for _ in range(200):
        if wizard.currentPage() is wizard.review_page:
            break
        wait(100)
    wait(300)
    wizard.review_page.table.selectRow(1)
    wait(200)
    wizard.grab().save(str(DOCS / "import-review.png"))
    wizard.button(QWizard.WizardButton.CancelButton).click()
    window.close()
    app.quit()
    shutil.rmtree(home, ignore_errors=True)
    print(f"written to {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
