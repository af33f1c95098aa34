"""The review report (File › Report…, `casebook-cli report`), checked by reading the PDF back."""

import os
import re
import shutil
import subprocess
import sys
import unicodedata

import pytest
from conftest import LONG, write_case
from gui_helpers import WAIT_MS, close_window, open_window, search, top_level, when_shown
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from gui.output.report import ReportOptions, write_report
from gui.output.report_dialog import ReportDialog
from gui.output.report_html import case_entry
from storage.errors import Cancelled
from storage.keeping.importing import import_paths
from storage.keeping.library import Library
from storage.patterns.report import of_cases, of_search


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pages_text(path) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(str(path)).pages]


def outline(path) -> list[tuple[str, int, list]]:
    """The PDF's outline: (title, page from 0, children) for each entry."""
    reader = PdfReader(str(path))
    entries: list = []
    for item in reader.outline:
        if isinstance(item, list):
            entries[-1][2].extend((i.title, reader.get_destination_page_number(i), []) for i in item)
        else:
            entries.append((item.title, reader.get_destination_page_number(item), []))
    return entries


SEARCH = "force:kent OR custody"


@pytest.fixture
def report(library, tmp_path):
    """The report of SEARCH over every development case, with the reviewer's notes, and its subject."""
    subject = of_search(library, SEARCH)
    cases = list(library.cases(subject.ids))
    library.set_notes(cases[0].id, "Counsel wants the call logs.")
    path = tmp_path / "report.pdf"
    options = ReportOptions(title="Custody cases for the panel", reviewer="A. Reviewer", include_notes=True)
    pages = write_report(path, library, subject, options)
    return path, pages, cases


def test_the_outline_has_an_entry_per_case_at_the_page_it_starts_on(qtbot, report):
    path, pages, cases = report
    text = pages_text(path)
    assert len(text) == pages and len(cases) >= 5
    parts = outline(path)
    assert [title for title, _, _ in parts] == ["Contents", "Summary of the cases", "Statistics", "Cases"]
    children = parts[-1][2]
    assert [title for title, _, _ in children] == [case_entry(case) for case in cases]
    starts = [page for _, page, _ in children]
    assert starts == sorted(starts) and len(set(starts)) == len(cases) and parts[-1][1] == starts[0]
    for case, start in zip(cases, starts, strict=True):
        assert flat(case.title)[:40] in text[start]
        assert flat(case.title)[:40] not in text[start - 1]
    assert PdfReader(str(path)).page_mode == "/UseOutlines"


def test_every_page_has_the_title_and_its_number(qtbot, report):
    path, pages, _ = report
    for n, page in enumerate(pages_text(path), 1):
        assert "Custody cases for the panel" in page and f"Page {n} of {pages}" in page
    assert PdfReader(str(path)).metadata.title == "Custody cases for the panel"


def test_every_reference_is_in_the_text(qtbot, report):
    path, _, cases = report
    everything = " ".join(pages_text(path))
    references = [case.reference for case in cases if case.reference]
    assert references
    for reference in references:
        assert everything.count(reference) >= 3  # the contents, the summary table and its section


def test_the_cover_names_the_search_the_reviewer_and_the_counts(qtbot, report):
    path, _, cases = report
    cover = pages_text(path)[0]
    assert f"Search: “{SEARCH}”" in cover
    assert "Must contain: force: kent or “custody”" in cover
    assert "Prepared by A. Reviewer" in cover
    assert f"{len(cases)} cases: every case of the search" in cover
    assert f"New {len(cases)} 100%" in cover  # counts by status
    assert "By finding" in cover and "No case to answer" in cover


def test_the_contents_page_numbers_are_the_pages_the_cases_start_on(qtbot, report):
    path, _, cases = report
    text = pages_text(path)
    children = outline(path)[-1][2]
    contents = text[1]
    assert contents.startswith("Contents") or "Contents Contents" in contents
    for case, (_, start, _) in zip(cases, children, strict=True):
        entry = re.escape(flat(case_entry(case)))
        [number] = re.findall(rf"{entry} (\d+)", contents)
        assert int(number) == start + 1


def test_notes_only_when_asked_for(qtbot, library, tmp_path):
    case_id = library.find_case("2016/070829").id
    library.set_notes(case_id, "Counsel wants the call logs.")
    subject = of_cases(library, "ref:2016/070829", ["Filters: ref: 2016/070829"], [case_id], "every case")
    for notes in (False, True):
        path = tmp_path / f"notes-{notes}.pdf"
        write_report(path, library, subject, ReportOptions(include_notes=notes))
        everything = " ".join(pages_text(path))
        assert ("Counsel wants the call logs." in everything) == notes
        assert ("includes the reviewer’s notes" in everything) == notes


def test_no_line_is_in_the_report_twice_at_page_breaks(qtbot, new_library, tmp_path):
    words = [f"w{n:05}" for n in range(4000)]
    paragraphs = "\n\n".join(" ".join(words[n : n + 400]) for n in range(0, len(words), 400))
    import_paths(new_library, [str(write_case(tmp_path, "words.txt", LONG.format(paragraphs=paragraphs)))])
    path = tmp_path / "words.pdf"
    pages = write_report(path, new_library, of_search(new_library, ""), ReportOptions())
    assert pages >= 7
    found = " ".join(pages_text(path)).split()
    assert sorted(w for w in found if re.fullmatch(r"w\d{5}", w)) == words


def test_the_evidence_and_the_chronology_are_in_each_case(qtbot, library, tmp_path):
    case = library.find_case("2016/070829")
    subject = of_cases(library, "", ["Every case in the library."], [case.id], "every case")
    path = tmp_path / "one.pdf"
    write_report(path, library, subject, ReportOptions())
    section = " ".join(pages_text(path)[outline(path)[-1][2][0][1] :])
    assert case.evidence and case.chronology
    assert "The sentences that gave them" in section and "Timeline" in section
    assert flat(case.passage(case.evidence[0]))[:60] in section
    assert flat(case.chronology[0].sentence(case.narrative))[:60] in section


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_qpdf_finds_nothing_wrong(qtbot, report):
    path, _, _ = report
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_a_cancelled_report_leaves_no_file(qtbot, library, tmp_path):
    subject = of_search(library, "")
    folder = tmp_path / "out"
    folder.mkdir()
    steps = []
    with pytest.raises(Cancelled):
        write_report(
            folder / "report.pdf", library, subject, ReportOptions(),
            progress=lambda done, total: steps.append(done), cancelled=lambda: len(steps) > 5,
        )  # fmt: skip
    assert list(folder.iterdir()) == []


def test_a_report_over_an_older_file_replaces_it_whole(qtbot, library, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"an older report")
    subject = of_search(library, "force:kent")
    write_report(path, library, subject, ReportOptions())
    assert len(PdfReader(str(path)).pages) >= 4
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []


def test_case_text_is_never_markup_in_the_report(qtbot, library, tmp_path):
    text = "<b>custody</b> <img src='/dev/zero'>"
    ids = [library.find_case("2016/070829").id]
    library.change_tag(ids, "<i>tagged</i>", True)
    path = tmp_path / "hostile.pdf"
    subject = of_cases(library, text, [f"Must contain: {text}"], ids, "every case")
    write_report(path, library, subject, ReportOptions(title="<u>Title</u>", reviewer="<s>me</s>"))
    everything = " ".join(pages_text(path))
    for shown in (text, "<i>tagged</i>", "<u>Title</u>", "<s>me</s>"):
        assert shown in everything


# ----- the command line ------------------------------------------------------------------


def run_cli(library_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "gui.cli.main", "--library", str(library_path), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_the_cli_writes_a_report_of_a_search(library, tmp_path):
    path = library.path
    kent = [case_entry(c) for c in library.cases(of_search(library, "force:kent").ids)]
    library.close()
    out = tmp_path / "kent.pdf"
    result = run_cli(path, "report", "force:kent", "--pdf", out, "--title", "Kent", "--reviewer", "R. Smith")
    assert result.returncode == 0, result.stderr
    assert f"Report of {len(kent)} cases" in result.stderr
    assert [title for title, _, _ in outline(out)[-1][2]] == kent
    cover = pages_text(out)[0]
    assert "Kent" in cover and "Prepared by R. Smith" in cover and "Search: “force:kent”" in cover


def test_the_cli_writes_nothing_when_nothing_matches_or_over_the_library(library, tmp_path):
    path = library.path
    library.close()
    out = tmp_path / "none.pdf"
    result = run_cli(path, "report", "force:atlantis", "--pdf", out)
    assert result.returncode == 1 and "no report was written" in result.stderr
    result = run_cli(path, "report", "--pdf", path)
    assert result.returncode != 0 and "Nothing was written" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [path.name]


# ----- the window ----------------------------------------------------------------------


def answer_report_dialog(qtbot, title: str, reviewer: str, notes: bool) -> None:
    def answer(dialog: ReportDialog):
        dialog.title.clear()
        qtbot.keyClicks(dialog.title, title)
        dialog.reviewer.clear()
        qtbot.keyClicks(dialog.reviewer, reviewer)
        if dialog.notes.isChecked() != notes:
            qtbot.mouseClick(dialog.notes, Qt.MouseButton.LeftButton)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    when_shown(lambda: top_level(ReportDialog), answer)


def test_file_report_writes_the_search_shown(qtbot, library, tmp_path, monkeypatch):
    case_id = library.find_case("2016/070829").id
    library.set_notes(case_id, "Counsel wants the call logs.")
    path = library.path
    library.close()
    window = open_window(qtbot, path)
    out = tmp_path / "window.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    search(qtbot, window, "force:leicestershire")
    listed = [case_entry(window.lib.case(i)) for i in window.results.listed_ids()]
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert "Repor&t…" in [a.text() for a in file_menu.actions()]
    answer_report_dialog(qtbot, "Leicestershire", "A. Reviewer", notes=True)
    window.actions_by_name["report"].trigger()
    qtbot.waitUntil(lambda: "written to" in window.statusBar().currentMessage(), timeout=WAIT_MS * 3)
    assert [title for title, _, _ in outline(out)[-1][2]] == listed
    text = pages_text(out)
    assert "Search: “force:leicestershire”" in text[0] and "Prepared by A. Reviewer" in text[0]
    assert "Counsel wants the call logs." in " ".join(text)
    close_window(qtbot, window)


@pytest.fixture
def hundred(tmp_path):
    path = tmp_path / "hundred.casebook"
    lib = Library.open(path, create=True)
    folder = tmp_path / "hundred"
    for i in range(100):
        text = LONG.format(paragraphs=f"Case number {i} text. " * 200).replace(
            "2019/555555", f"2019/{600000 + i}"
        )
        write_case(folder, f"{i:03}.txt", text.replace("2019/555555", f"2019/{600000 + i}"))
    import_paths(lib, [str(folder)])
    lib.close()
    return path


def test_cancelling_a_report_in_the_window_leaves_no_file(qtbot, hundred, tmp_path, monkeypatch):
    window = open_window(qtbot, hundred)
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(folder / "r.pdf"), "PDF"))
    answer_report_dialog(qtbot, "All", "", notes=False)
    window.actions_by_name["report"].trigger()
    qtbot.waitUntil(lambda: window.output.cancel is not None, timeout=WAIT_MS)
    window.output.cancel.cancel()
    qtbot.waitUntil(lambda: "Cancelled" in window.statusBar().currentMessage(), timeout=WAIT_MS * 3)
    assert list(folder.iterdir()) == []
    close_window(qtbot, window)


def test_file_report_of_the_selected_cases_in_the_order_listed(qtbot, library, tmp_path, monkeypatch):
    path = library.path
    library.close()
    window = open_window(qtbot, path)
    out = tmp_path / "selected.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    listed = window.results.listed_ids()
    window.select_row(5)
    for row in (1, 3):
        qtbot.mouseClick(
            window.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
            window.table.visualRect(window.model.index(row, 1)).center(),
        )  # fmt: skip
    answer_report_dialog(qtbot, "Three", "", notes=False)
    window.actions_by_name["report"].trigger()
    qtbot.waitUntil(lambda: "written to" in window.statusBar().currentMessage(), timeout=WAIT_MS * 3)
    chosen = [case_entry(window.lib.case(listed[row])) for row in (1, 3, 5)]
    assert [title for title, _, _ in outline(out)[-1][2]] == chosen
    assert f"3 cases: selected from the {len(listed)} cases of the search" in pages_text(out)[0]
    close_window(qtbot, window)


def test_each_line_of_the_contents_is_a_link_to_its_page(qtbot, report):
    path, _, cases = report
    reader = PdfReader(str(path))
    contents = reader.pages[1]
    links = []
    for annotation in contents.get("/Annots", []):
        link = annotation.get_object()
        _, bottom, _, top = (float(v) for v in link["/Rect"])
        links.append((bottom, top, reader.get_page_number(link["/Dest"][0].get_object())))
    lines: list[tuple[float, str]] = []
    contents.extract_text(
        visitor_text=lambda text, cm, tm, *_: lines.append((tm[5] * cm[3] + cm[5], flat(text)))
    )
    starts = {title: page for title, page, _ in outline(path)[-1][2]}
    assert len(links) == len(cases) + 3  # the summary, the statistics, "Cases", and each case
    for case in cases:
        [y] = [y for y, text in lines if text.startswith(flat(case_entry(case))[:30])]
        assert [page for bottom, top, page in links if bottom <= y <= top] == [starts[case_entry(case)]]
