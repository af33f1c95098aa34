"""PDF, printing and export, checked by reading the files back."""

import csv
import os
import subprocess
import sys
import unicodedata

import pytest
from conftest import write_case
from gui_helpers import WAIT_MS, close_window, open_window, search
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from gui.output import OutputOptionsDialog
from gui.printing import PrintOptions, page_layout, paint_cases, write_pdf, write_pdfs
from storage.errors import Cancelled
from storage.importing import import_paths
from storage.library import Library


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


LONG = """A very long case - Kent Police, May 2019

Published 08 Oct 2020

{paragraphs}

IOPC reference

2019/555555
"""


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
    written = write_pdfs(tmp_path / "out", chosen, PrintOptions())
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
        [sys.executable, "-m", "cli.main", "--library", str(library_path), *map(str, args)],
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

    def answer():
        dialog = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, OutputOptionsDialog) and w.isVisible()
        )
        dialog.all_selected.setChecked(True)
        dialog.notes.setChecked(check_notes)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(100, answer)


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
    assert [int(r["id"]) for r in rows] == [int(i) for i in window.model.ids]
    assert {r["force"] for r in rows} == {"Kent Police"}
    close_window(qtbot, window)
