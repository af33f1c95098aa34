"""PDF, printing and export, checked by reading the files back."""

import csv
import json
import os
import subprocess
import sys
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import LONG, write_case
from gui_helpers import WAIT_MS, close_window, open_window, search, top_level, when_shown
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from gui.output.output import OutputOptionsDialog
from gui.output.printing import (
    HEADER_MM,
    MARGINS_MM,
    PrintOptions,
    page_layout,
    paint_cases,
    write_pdf,
    write_pdfs,
)
from storage.errors import Cancelled
from storage.keeping.importing import import_paths
from storage.keeping.library import Library


def pages_text(path) -> list[str]:
    """Text of each page, ligatures normalised away and runs of white space made one space."""
    return [flat(unicodedata.normalize("NFKC", p.extract_text())) for p in PdfReader(str(path)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def cases(library):
    return list(library.cases([int(i) for i in range(1, 33)]))


def test_one_case_pdf_has_real_text_header_footer_and_metadata(qtbot, library, tmp_path):
    case = library.find_case("2016/070829")
    path = tmp_path / "one.pdf"
    pages = write_pdf(path, [case], PrintOptions())
    reader = PdfReader(str(path))
    assert len(reader.pages) == pages >= 1
    assert reader.metadata.title == f"2016/070829 — {case.title}"
    assert reader.metadata.author
    text = pages_text(path)
    assert "Response to intelligence received prior to an attack" in flat(text[0])
    for n, page in enumerate(text, 1):
        assert "2016/070829" in page
        assert f"Page {n} of {pages}" in page
        assert "Printed " in page
    assert "Misconduct: case to answer" in flat(" ".join(text))
    assert "Leicestershire Police referred this case to us" in flat(" ".join(text))


def test_each_case_starts_on_a_new_page(qtbot, cases, tmp_path):
    chosen = cases[:5]
    path = tmp_path / "five.pdf"
    total = write_pdf(path, chosen, PrintOptions())
    text = pages_text(path)
    assert len(text) == total >= 5
    starts = []
    for case in chosen:
        first_words = " ".join(case.title.split()[:5])
        starts.append(next(i for i, page in enumerate(text) if first_words in flat(page)))
    assert starts == sorted(starts) and len(set(starts)) == 5
    for i, page in enumerate(text, 1):
        assert f"Page {i} of {total}" in page


def test_long_narratives_flow_across_pages_without_loss(qtbot, new_library, tmp_path):
    paragraphs = "\n\n".join(
        f"Paragraph {n}: officers attended the address and spoke with the family at length." * 3
        for n in range(1, 61)
    )
    import_paths(new_library, [str(write_case(tmp_path, "long.txt", LONG.format(paragraphs=paragraphs)))])
    case = new_library.find_case("2019/555555")
    path = tmp_path / "long.pdf"
    pages = write_pdf(path, [case], PrintOptions())
    assert pages >= 3
    everything = flat(" ".join(pages_text(path)))
    for n in (1, 30, 60):
        assert f"Paragraph {n}:" in everything


def test_accented_and_non_latin_text_prints(qtbot, new_library, tmp_path):
    text = LONG.format(
        paragraphs="Zoë Brontë met officers in Łódź, then in Αθήνα and Москва; fee £40 — “quoted”."
    )
    import_paths(new_library, [str(write_case(tmp_path, "intl.txt", text))])
    case = new_library.find_case("2019/555555")
    path = tmp_path / "intl.pdf"
    write_pdf(path, [case], PrintOptions())
    everything = flat(" ".join(pages_text(path)))
    for word in ("Zoë", "Brontë", "Łódź", "Αθήνα", "Москва", "£40"):
        assert word in everything


def test_notes_only_when_asked(qtbot, library, tmp_path):
    case_id = library.find_case("2016/070829").id
    library.set_notes(case_id, "Counsel wants the call logs.")
    library.set_status([case_id], "flagged")
    case = library.case(case_id)
    without, with_notes = tmp_path / "without.pdf", tmp_path / "with.pdf"
    write_pdf(without, [case], PrintOptions(include_notes=False))
    write_pdf(with_notes, [case], PrintOptions(include_notes=True))
    assert "Counsel wants the call logs." not in flat(" ".join(pages_text(without)))
    text = flat(" ".join(pages_text(with_notes)))
    assert "Counsel wants the call logs." in text and "Flagged" in text


@pytest.mark.parametrize("size,width,height", [("A4", 595, 842), ("Letter", 612, 792)])
def test_paper_sizes(qtbot, library, tmp_path, size, width, height):
    path = tmp_path / f"{size}.pdf"
    write_pdf(path, [library.case(1)], PrintOptions(page_size=size))
    box = PdfReader(str(path)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (width, height)


def test_one_pdf_per_case_named_by_reference(qtbot, library, tmp_path):
    chosen = [library.find_case("2016/070829"), library.find_case("2017/094798"), library.case(2)]
    (tmp_path / "out").mkdir()
    written = write_pdfs(tmp_path / "out", chosen, PrintOptions()).written
    names = sorted(p.name for p in written)
    assert "2016-070829.pdf" in names and "2017-094798.pdf" in names
    assert len(names) == 3
    for p in written:
        assert len(PdfReader(str(p)).pages) >= 1


def test_cancelled_pdf_leaves_no_file(qtbot, cases, tmp_path):
    path = tmp_path / "cancelled.pdf"
    calls = []
    with pytest.raises(Cancelled):
        write_pdf(
            path,
            cases,
            PrintOptions(),
            progress=lambda d, t: calls.append(d),
            cancelled=lambda: len(calls) > 3,
        )
    assert not path.exists() and not list(tmp_path.glob("*.part"))


def test_printing_goes_through_the_same_pages(qtbot, library, tmp_path):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setPageLayout(page_layout(PrintOptions(page_size="Letter")))
    pages = paint_cases(printer, [library.case(1), library.case(2)], PrintOptions())
    assert len(PdfReader(str(tmp_path / "printed.pdf")).pages) == pages >= 2


def run_cli(library_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "gui.cli.main", "--library", str(library_path), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_cli_writes_the_same_pdf_without_a_window(library, tmp_path):
    path = library.path
    library.close()
    out = tmp_path / "cli.pdf"
    result = run_cli(path, "export", "--pdf", out, "force:kent")
    assert result.returncode == 0, result.stderr
    text = flat(" ".join(pages_text(out)))
    assert "Kent Police" in text and "Page 1 of" in text
    assert "2 cases written" in result.stderr


def test_cli_writes_no_pdf_when_no_case_matches(library, tmp_path):
    path = library.path
    library.close()
    out = tmp_path / "none.pdf"
    result = run_cli(path, "export", "force:atlantis", "--pdf", out)
    assert result.returncode == 1
    assert "No case matches “force:atlantis”" in result.stderr
    assert not out.exists() and list(tmp_path.glob("none.pdf*")) == []


@pytest.fixture
def hundred(tmp_path):
    """A library of 100 cases."""
    path = tmp_path / "hundred.casebook"
    lib = Library.open(path, create=True)
    folder = tmp_path / "hundred"
    for i in range(100):
        write_case(
            folder,
            f"{i:03}.txt",
            LONG.format(paragraphs=f"Case number {i} text.").replace("2019/555555", f"2019/{600000 + i}"),
        )
    import_paths(lib, [str(folder)])
    lib.close()
    return path


def choose_in_dialog(qtbot, check_notes=False):
    """Answer the output options dialog with a real click on OK, once it is open."""

    def answer(dialog):
        dialog.all_selected.setChecked(True)
        dialog.notes.setChecked(check_notes)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    when_shown(lambda: top_level(OutputOptionsDialog), answer)


def export_all_to_pdf(qtbot, window, out, monkeypatch) -> None:
    """Select every case and start Export to PDF, answering the dialogs."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    window.table.selectAll()
    choose_in_dialog(qtbot)
    window.actions_by_name["pdf"].trigger()


def test_a_hundred_cases_to_one_pdf_in_the_background(qtbot, hundred, tmp_path, monkeypatch):
    window = open_window(qtbot, hundred)
    out = tmp_path / "all.pdf"
    export_all_to_pdf(qtbot, window, out, monkeypatch)
    qtbot.waitUntil(lambda: out.exists(), timeout=WAIT_MS * 3)
    qtbot.waitUntil(lambda: "written to" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    assert len(PdfReader(str(out)).pages) == 100
    close_window(qtbot, window)


def test_cancelling_the_hundred_case_pdf(qtbot, hundred, tmp_path, monkeypatch):
    window = open_window(qtbot, hundred)
    out = tmp_path / "all.pdf"
    export_all_to_pdf(qtbot, window, out, monkeypatch)
    qtbot.waitUntil(lambda: window.output.cancel is not None, timeout=WAIT_MS)
    window.output.cancel.cancel()
    qtbot.waitUntil(lambda: "Cancelled" in window.statusBar().currentMessage(), timeout=WAIT_MS * 3)
    assert not out.exists()
    close_window(qtbot, window)


def test_exporting_the_result_list_to_csv_from_the_window(qtbot, library, tmp_path, monkeypatch):
    path = library.path
    library.close()
    window = open_window(qtbot, path)
    out = tmp_path / "results.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "CSV"))
    search(qtbot, window, "force:kent")
    window.actions_by_name["csv"].trigger()
    qtbot.waitUntil(lambda: out.exists(), timeout=WAIT_MS)
    with open(out, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    listed = [window.lib.case(int(i)) for i in window.model.ids]
    assert [(r["reference"], r["title"]) for r in rows] == [(c.reference or "", c.title) for c in listed]
    assert {r["force"] for r in rows} == {"Kent Police"}
    close_window(qtbot, window)


# ----- the header, the print preview, the menu and the dialogs, driven as a user does ---------


def header_texts(path) -> list[str]:
    """The text drawn in the top half of each page's header band, from the PDF itself."""
    band_pt = (MARGINS_MM.top() + HEADER_MM / 2) * 72 / 25.4
    headers = []
    for page in PdfReader(str(path)).pages:
        top = float(page.mediabox.top)
        parts: list[str] = []

        def visit(text, cm, tm, font, size, parts=parts, top=top):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() and y > top - band_pt:
                parts.append(text)

        page.extract_text(visitor_text=visit)
        headers.append(flat(unicodedata.normalize("NFKC", " ".join(parts))))
    return headers


LONG_TITLE = (
    "Contact with a woman who later died after several calls about her safety, her former partner's "
    "threats and the handling of her reports by call handlers and officers over many months"
)


def test_every_page_header_has_the_reference_and_the_shortened_title(qtbot, new_library, tmp_path):
    paragraph = "Paragraph {0}: the officers spoke with the family at length. " * 4
    paragraphs = "\n\n".join(paragraph.format(n) for n in range(50))
    text = LONG.format(paragraphs=paragraphs).replace("A very long case", LONG_TITLE)
    import_paths(new_library, [str(write_case(tmp_path, "long-title.txt", text))])
    case = new_library.find_case("2019/555555")
    assert case.title.startswith(LONG_TITLE)
    path = tmp_path / "headers.pdf"
    pages = write_pdf(path, [case], PrintOptions())
    headers = header_texts(path)
    assert len(headers) == pages >= 2
    for header in headers:
        assert header.startswith("2019/555555 ")
        shown = header.removeprefix("2019/555555 ")
        assert shown.endswith("..."), "the title is shortened to fit the header (… after NFKC)"
        assert len(shown) > 40 and flat(case.title).startswith(shown.removesuffix("...").rstrip())
        assert "Paragraph" not in header and "Page " not in header


class Answers:
    """Answers the dialogs that File › Print and Export open, with real clicks, as they appear."""

    def __init__(self, qtbot, choose=None):
        self.qtbot, self.choose = qtbot, choose
        self.preview_pages: list[int] = []
        self.options_seen = 0
        self.timer = QTimer()
        self.timer.timeout.connect(self._answer)
        self.timer.start(50)

    def _answer(self) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, OutputOptionsDialog) and dialog.isVisible():
            self.options_seen += 1
            if self.choose:
                self.choose(self.qtbot, dialog)
            ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
            self.qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        elif isinstance(dialog, QPrintPreviewDialog) and dialog.isVisible():
            preview = dialog.findChild(QPrintPreviewWidget)
            preview.updatePreview()
            self.preview_pages.append(preview.pageCount())
            dialog.reject()

    def stop(self) -> None:
        self.timer.stop()


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def test_print_preview_shows_the_pages_of_the_pdf(qtbot, library, tmp_path):
    chosen = [library.find_case("2016/070829"), library.find_case("2017/094798")]
    pdf_pages = write_pdf(tmp_path / "same.pdf", chosen, PrintOptions(page_size="Letter"))
    path = library.path
    library.close()
    window = open_window(qtbot, path)
    search(qtbot, window, "ref:2016/070829 OR ref:2017/094798")
    window.table.selectAll()

    def choose(qtbot, dialog):
        qtbot.keyClicks(dialog.paper, "Letter")

    answers = Answers(qtbot, choose)
    try:
        window.actions_by_name["print"].trigger()  # returns when the preview is closed
    finally:
        answers.stop()
    assert answers.options_seen == 1
    assert answers.preview_pages == [pdf_pages] and pdf_pages >= 2
    close_window(qtbot, window)


def test_the_file_menu_prints_with_ctrl_p_and_exports_with_ctrl_e(qtbot, library):
    path = library.path
    library.close()
    window = open_window(qtbot, path)
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    by_text = {a.text(): a for a in file_menu.actions()}
    assert by_text["&Print…"].shortcut() == QKeySequence("Ctrl+P")
    assert by_text["&Export to PDF…"].shortcut() == QKeySequence("Ctrl+E")
    window.select_row(0)
    titles = []

    def cancel_dialog():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, OutputOptionsDialog):
            titles.append(dialog.windowTitle())
            dialog.reject()

    timer = QTimer()
    timer.timeout.connect(cancel_dialog)
    timer.start(50)
    try:
        for key in (Qt.Key.Key_P, Qt.Key.Key_E):
            window.activateWindow()  # shortcuts reach the active window only
            qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
            qtbot.keyClick(window.table, key, Qt.KeyboardModifier.ControlModifier)
    finally:
        timer.stop()
    assert titles == ["Print…", "Export to PDF…"]
    close_window(qtbot, window)


def test_the_export_dialogs_notes_and_paper_size_reach_the_pdf(qtbot, library, tmp_path, monkeypatch):
    case_id = library.find_case("2016/070829").id
    library.set_notes(case_id, "Counsel wants the call logs.")
    path = library.path
    library.close()
    window = open_window(qtbot, path)
    search(qtbot, window, "ref:2016/070829")
    window.select_row(0)
    for notes, paper, size in ((True, "Letter", (612, 792)), (False, "A4", (595, 842))):
        out = tmp_path / f"{paper}.pdf"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, out=out, **k: (str(out), "PDF"))

        def choose(qtbot, dialog, notes=notes, paper=paper):
            if dialog.notes.isChecked() != notes:
                click(qtbot, dialog.notes)
            qtbot.keyClicks(dialog.paper, paper)

        answers = Answers(qtbot, choose)
        try:
            window.actions_by_name["pdf"].trigger()
            qtbot.waitUntil(out.exists, timeout=WAIT_MS)
        finally:
            answers.stop()
        box = PdfReader(str(out)).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size
        assert ("Counsel wants the call logs." in flat(" ".join(pages_text(out)))) == notes
    close_window(qtbot, window)


def test_exporting_the_result_list_to_json_from_the_window(qtbot, library, tmp_path, monkeypatch):
    path = library.path
    library.close()
    window = open_window(qtbot, path)
    out = tmp_path / "results.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "results"), "JSON"))
    search(qtbot, window, "force:kent")
    window.actions_by_name["json"].trigger()
    qtbot.waitUntil(out.exists, timeout=WAIT_MS)
    data = json.loads(out.read_text("utf-8"))
    assert [c["id"] for c in data] == [int(i) for i in window.model.ids] and len(data) >= 2
    assert {c["force"] for c in data} == {"Kent Police"}
    assert data[0] == window.lib.case(data[0]["id"]).to_json()
    close_window(qtbot, window)


def test_one_pdf_per_case_into_a_folder_from_the_window(qtbot, library, tmp_path, monkeypatch):
    path = library.path
    library.close()
    window = open_window(qtbot, path)
    folder = tmp_path / "per-case"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    search(qtbot, window, "force:west")
    window.table.selectAll()
    chosen = [window.lib.case(int(i)) for i in window.model.ids]

    def choose(qtbot, dialog):
        click(qtbot, dialog.all_selected)
        click(qtbot, dialog.per_case)

    answers = Answers(qtbot, choose)
    try:
        window.actions_by_name["pdf"].trigger()
        qtbot.waitUntil(lambda: "PDFs written to" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    finally:
        answers.stop()
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == len(chosen) >= 3 and any(c.reference for c in chosen)
    assert not [w for w in written if w.startswith("case-")]  # never the library's own number
    for case in chosen:  # named by reference, else by the words of the title
        first_words = " ".join(case.title.split()[:3])
        name = f"{case.reference.replace('/', '-')}.pdf" if case.reference else first_words
        [mine] = [w for w in written if w == name or (not case.reference and w.startswith(name))]
        assert " ".join(case.title.split()[:4]) in pages_text(folder / mine)[0]
    close_window(qtbot, window)


def test_a_pdf_written_on_a_plain_python_thread_draws_no_qt_warnings(qtbot, qtlog, library, tmp_path):
    """The window writes PDFs on its reader thread, which Qt did not start."""
    chosen = [library.case(1), library.case(2)]
    with ThreadPoolExecutor(max_workers=1) as pool:
        pages = pool.submit(write_pdf, tmp_path / "threaded.pdf", chosen, PrintOptions()).result()
    assert len(PdfReader(str(tmp_path / "threaded.pdf")).pages) == pages >= 2
    assert [r.message for r in qtlog.records if "QBasicTimer" in r.message] == []


def test_no_line_is_in_the_pdf_twice_at_a_page_break(qtbot, new_library, tmp_path):
    """Qt paints the last line above a page's clip as well: hidden on paper, but in the PDF's text,
    so a search in the PDF found the line at each page break twice."""
    words = [f"w{n:05}" for n in range(4000)]
    paragraphs = "\n\n".join(" ".join(words[n : n + 400]) for n in range(0, len(words), 400))
    import_paths(new_library, [str(write_case(tmp_path, "words.txt", LONG.format(paragraphs=paragraphs)))])
    path = tmp_path / "words.pdf"
    assert write_pdf(path, [new_library.find_case("2019/555555")], PrintOptions()) >= 3
    found = " ".join(pages_text(path)).split()
    assert sorted(w for w in found if w.startswith("w0")) == words
