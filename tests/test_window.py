"""The main window, driven with real key and mouse events on a real library file."""

import os
import subprocess
import sys

import pytest
from conftest import REAL, SEEDS, custody_case, write_case
from gui_helpers import (
    WAIT_MS,
    close_window,
    drop_urls,
    file_urls,
    open_window,
    row_titles,
    search,
    wait_search,
)
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton, QToolButton

from gui.case_model import COLUMNS, TITLE_COLUMN
from gui.filter_panel import TERM
from gui.search_bar import SYNTAX
from storage.importing import import_paths
from storage.library import Library


@pytest.fixture
def library_path(tmp_path):
    path = tmp_path / "window.casebook"
    lib = Library.open(path, create=True)
    import_paths(lib, [str(REAL), str(SEEDS)])
    lib.close()
    return path


@pytest.fixture
def window(qtbot, library_path):
    w = open_window(qtbot, library_path)
    yield w
    if w.lib is not None:
        close_window(qtbot, w)


def test_window_opens_on_every_case_newest_first(window):
    assert window.model.rowCount() == 32
    assert window.count_label.text() == "32 cases · reviewed 0 of 32"
    assert window.windowTitle().startswith("window — Casebook")


def test_typing_a_query_filters_the_list_and_updates_the_count(qtbot, window):
    search(qtbot, window, "taser")
    assert window.model.rowCount() == 3
    assert window.count_label.text().startswith("3 cases of 32")
    assert all("taser" in window.lib.case(int(i)).narrative.lower() for i in window.model.ids)


def test_no_matches_shows_a_clear_state(qtbot, window):
    search(qtbot, window, "zebracrossing")
    assert window.list_stack.currentWidget() is window.no_results
    assert "No cases match “zebracrossing”" in window.no_results.title.text()
    wait_search(qtbot, window, lambda: qtbot.keyClick(window.search_bar.edit, Qt.Key.Key_Escape))
    assert window.search_bar.text() == ""
    assert window.model.rowCount() == 32


def test_clicking_a_facet_filters_and_clicking_again_clears(qtbot, window):
    tree = window.facets
    item = next(
        tree.topLevelItem(2).child(i)
        for i in range(tree.topLevelItem(2).childCount())
        if tree.topLevelItem(2).child(i).text(0) == "Kent Police"
    )
    rect = tree.visualItemRect(item)
    click = lambda: qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # noqa: E731
    wait_search(qtbot, window, click)
    assert window.search_bar.text() == 'force:"Kent Police"'
    assert window.model.rowCount() == 2
    item = next(
        tree.topLevelItem(2).child(i)
        for i in range(tree.topLevelItem(2).childCount())
        if tree.topLevelItem(2).child(i).text(0) == "Kent Police"
    )
    assert item.font(0).bold()
    rect = tree.visualItemRect(item)
    wait_search(qtbot, window, click)
    assert window.search_bar.text() == ""
    assert window.model.rowCount() == 32


def click_row(qtbot, window, row):
    rect = window.table.visualRect(window.model.index(row, 1))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_selecting_a_row_shows_the_case_with_highlighted_hits(qtbot, window):
    search(qtbot, window, "taser")
    click_row(qtbot, window, 0)
    detail = window.detail
    case = window.lib.case(window.model.id_at(0))
    assert detail.case.id == case.id
    assert case.title.split(" - ")[0] in detail.browser.toPlainText()
    html = detail.browser.toHtml().lower()
    assert detail.hits >= 2
    assert "#ffe58a" in html and "#ff9f1c" not in html  # every hit marked, none current yet
    assert detail.hit_label.text() == f"{detail.hits} hits · F3 goes to the next"
    assert detail.browser.verticalScrollBar().value() == 0
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert detail.hit_label.text() == f"Hit 1 of {detail.hits}"
    assert "#ff9f1c" in detail.browser.toHtml().lower()
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert detail.hit_label.text() == f"Hit 2 of {detail.hits}"
    qtbot.keyClick(window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert detail.hit_label.text() == f"Hit 1 of {detail.hits}"
    qtbot.keyClick(window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert detail.hit_label.text() == f"Hit {detail.hits} of {detail.hits}"


def test_the_open_case_shows_the_hits_of_the_new_search(qtbot, window):
    search(qtbot, window, "taser")
    click_row(qtbot, window, 0)
    taser_hits = window.detail.hits
    assert taser_hits >= 2
    search(qtbot, window, "taser OR officers")
    assert window.detail.case.id == window.model.id_at(window.table.currentIndex().row())
    assert window.detail.hits > taser_hits


def test_keyboard_moves_through_the_list(qtbot, window):
    click_row(qtbot, window, 0)
    first = window.detail.case.id
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.detail.case.id == window.model.id_at(1) != first
    qtbot.keyClick(window.table, Qt.Key.Key_End)
    assert window.detail.case.id == window.model.id_at(31)
    qtbot.keyClick(window.table, Qt.Key.Key_Home)
    assert window.detail.case.id == first


def test_ctrl_f_focuses_the_search_bar(qtbot, window):
    click_row(qtbot, window, 0)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_bar.edit.hasFocus()


def click_header(qtbot, window, column):
    header = window.table.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    wait_search(
        qtbot, window, lambda: qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    )


def test_sorting_by_a_column_changes_the_order(qtbot, window):
    click_header(qtbot, window, 1)
    titles = row_titles(window)
    assert titles in (sorted(titles, key=str.casefold), sorted(titles, key=str.casefold, reverse=True))
    assert window.result.sort == "title"
    click_header(qtbot, window, 1)
    assert row_titles(window) == list(reversed(titles))


def test_review_fields_are_saved_as_you_go_and_survive_reopening(qtbot, window, library_path):
    click_row(qtbot, window, 2)
    case_id = window.detail.case.id
    flagged = window.review.findChild(QToolButton, "status-flagged")
    qtbot.mouseClick(flagged, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.review.tag_edit, "bundle A")
    qtbot.keyClick(window.review.tag_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(window.review.notes, "Ask for the custody CCTV.")
    qtbot.waitUntil(lambda: window.review.saved_label.text() == "Saved", timeout=WAIT_MS)
    qtbot.keyClicks(window.review.notes, " And the log.")  # still being typed when the window closes
    close_window(qtbot, window)

    lib = Library.open(library_path)
    case = lib.case(case_id)
    assert case.status == "flagged"
    assert "bundle A" in case.tags
    assert case.notes == "Ask for the custody CCTV. And the log."
    lib.close()

    again = open_window(qtbot, library_path)
    row = again.model.row_of(case_id)
    click_row(qtbot, again, row)
    assert again.review.notes.toPlainText() == "Ask for the custody CCTV. And the log."
    assert again.review.findChild(QToolButton, "status-flagged").isChecked()
    close_window(qtbot, again)


def test_changes_show_at_once_in_the_list_and_the_facets(qtbot, window):
    window.table.selectAll()
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        qtbot.keyClick(window.table, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert dict((window.lib.case(int(i)).status, 1) for i in window.model.ids) == {"reviewed": 1}
    status = window.facets.topLevelItem(0)
    counts = {status.child(i).text(0): status.child(i).text(1) for i in range(status.childCount())}
    assert counts["Reviewed"] == "32" and counts["New"] == "0"
    assert window.count_label.text() == "32 cases · reviewed 32 of 32"
    assert window.model.data(window.model.index(0, 5)) == "Reviewed"


def test_a_case_that_leaves_the_search_gives_way_to_the_next(qtbot, window):
    search(qtbot, window, "status:new")
    click_row(qtbot, window, 0)
    second = window.model.id_at(1)
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        qtbot.keyClick(window.table, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.model.rowCount() == 31
    assert window.detail.case.id == second


MALICIOUS = """Death after restraint <img src="http://tracker.invalid/x.png"> - Kent Police, May 2019

Published 08 Oct 2020

On 3 May 2019 officers attended. <script>alert('x')</script> See <a href="file:///etc/passwd">the file</a>.

<b>bold?</b> &amp; <iframe src="https://evil.invalid"></iframe>

IOPC reference

2019/999999
"""


def test_text_from_a_file_is_shown_literally_and_nothing_is_fetched(qtbot, window, tmp_path):
    path = write_case(tmp_path, "malicious.txt", MALICIOUS)
    wait_search(
        qtbot, window, lambda: window.writer.run(lambda lib: import_paths(lib, [str(path)]), window.imported)
    )
    search(qtbot, window, "ref:2019/999999")
    click_row(qtbot, window, 0)
    text = window.detail.browser.toPlainText()
    assert '<img src="http://tracker.invalid/x.png">' in text
    assert "<script>alert('x')</script>" in text
    assert '<a href="file:///etc/passwd">the file</a>' in text
    assert "&amp;" in text and "<iframe" in text
    html = window.detail.browser.toHtml()
    assert "<img" not in html and "<script" not in html and 'href="file:' not in html


def test_empty_library_offers_import_and_samples(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path / "empty.casebook", create=True)
    assert window.list_stack.currentWidget() is window.empty_library
    samples = window.empty_library.findChild(QPushButton, "empty-samples")
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        qtbot.mouseClick(samples, Qt.MouseButton.LeftButton)
    assert window.model.rowCount() == 2
    assert window.list_stack.currentWidget() is window.table
    close_window(qtbot, window)


def test_open_errors_are_shown_in_plain_words(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append((title, text)))
    bad = tmp_path / "not-a-library.casebook"
    bad.write_text("hello")
    from gui.main_window import MainWindow
    from gui.settings import Settings

    window = MainWindow(Settings())
    qtbot.addWidget(window)
    assert not window.open_library(bad)
    assert shown and shown[0][0] == "Not a Casebook library"
    assert "is not a Casebook library" in shown[0][1]
    assert bad.read_text() == "hello"


@pytest.mark.parametrize("target", ["notes", "search", "tags"])
def test_a_file_dropped_on_an_editor_is_imported_not_pasted(qtbot, window, tmp_path, target):
    click_row(qtbot, window, 0)
    case_id = window.detail.case.id
    qtbot.keyClicks(window.review.notes, "My note.")
    window.review.flush()
    qtbot.waitUntil(lambda: window.review.saved_label.text() == "Saved", timeout=WAIT_MS)
    path = write_case(tmp_path / "drop", "custody.txt", custody_case("2019/654321"))
    widget = {
        "notes": window.review.notes.viewport(),
        "search": window.search_bar.edit,
        "tags": window.review.tag_edit,
    }[target]
    assert drop_urls(widget, file_urls(path), as_text=True) == (True, True)
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.isVisible(), timeout=WAIT_MS)
    assert window.wizard.paths == [str(path)]
    window.wizard.close()
    assert window.review.notes.toPlainText() == "My note."
    assert window.search_bar.text() == "" and window.review.tag_edit.text() == ""
    assert window.lib.case(case_id).notes == "My note."


@pytest.mark.parametrize("kind", ["missing", "not a library"])
def test_a_screenshot_of_a_library_that_cannot_be_opened_says_why_and_exits(tmp_path, kind):
    library = tmp_path / "bad.casebook"
    if kind == "not a library":
        library.write_text("hello")
    out = tmp_path / "shot.png"
    result = subprocess.run(
        [sys.executable, "-m", "gui", "--screenshot", str(out), "--library", str(library)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,  # a hang on a message box fails here instead of blocking the suite
    )
    assert result.returncode == 1
    assert str(library) in result.stderr
    assert ("was not found" if kind == "missing" else "not a Casebook library") in result.stderr
    assert not out.exists()


def facet_item(tree, section, label):
    parent = tree.topLevelItem(section)
    return next(parent.child(i) for i in range(parent.childCount()) if parent.child(i).text(0) == label)


def click_facet(qtbot, window, section, label):
    tree = window.facets
    item = facet_item(tree, section, label)
    tree.scrollToItem(item)
    pos = tree.visualItemRect(item).center()
    wait_search(qtbot, window, lambda: qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos))


def test_every_facet_value_lists_as_many_cases_as_it_counts(qtbot, window):
    tree = window.facets
    values = []
    for section in range(5):  # status, outcome, force, year, tag
        parent = tree.topLevelItem(section)
        parent.setExpanded(True)
        values += [
            (section, parent.child(i).text(0), int(parent.child(i).text(1).replace(",", "")))
            for i in range(parent.childCount())
            if not parent.child(i).isHidden()
        ]
    assert len({v[0] for v in values}) == 5
    assert "Metropolitan Police Service" in {v[1] for v in values}
    for section, label, count in values:
        click_facet(qtbot, window, section, label)
        assert (label, window.model.rowCount()) == (label, count)
        click_facet(qtbot, window, section, label)
        assert window.search_bar.text() == ""
    search(qtbot, window, "force:metropolitan")  # a part of a name still finds every force with it
    met = [count for section, label, count in values if section == 2 and "Metropolitan" in label]
    assert len(met) == 2 and window.model.rowCount() == sum(met)


def visible_columns(window):
    header = window.table.horizontalHeader()
    width = window.table.viewport().width()
    return [
        c for c in range(header.count())
        if header.sectionViewportPosition(c) >= 0
        and header.sectionViewportPosition(c) + header.sectionSize(c) <= width
    ]  # fmt: skip


def test_every_column_shows_at_1280_and_the_title_takes_the_spare_width(qtbot, window):
    header = window.table.horizontalHeader()
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    qtbot.waitUntil(lambda: visible_columns(window) == list(range(len(COLUMNS))))
    sizes = [header.sectionSize(c) for c in range(header.count())]
    assert max(sizes) == sizes[TITLE_COLUMN] >= 120
    window.resize(1600, 920)
    qtbot.waitUntil(lambda: header.sectionSize(TITLE_COLUMN) > sizes[TITLE_COLUMN])
    assert visible_columns(window) == list(range(len(COLUMNS)))
    wider = [header.sectionSize(c) for c in range(header.count())]
    assert [w for c, w in enumerate(wider) if c != TITLE_COLUMN] == [
        w for c, w in enumerate(sizes) if c != TITLE_COLUMN
    ]


def test_column_widths_saved_by_an_older_layout_give_way_to_the_new_one(qtbot, window, library_path):
    header = window.table.horizontalHeader()
    header.setSectionResizeMode(TITLE_COLUMN, header.ResizeMode.Interactive)  # as versions before
    for column, width in enumerate((92, 300, 140, 110, 92, 96, 160)):
        header.resizeSection(column, width)
    close_window(qtbot, window)
    again = open_window(qtbot, library_path)
    assert again.table.horizontalHeader().sectionResizeMode(TITLE_COLUMN) == header.ResizeMode.Stretch
    again.resize(1600, 920)  # the restored geometry is clipped to the small offscreen screen
    qtbot.waitUntil(lambda: visible_columns(again) == list(range(len(COLUMNS))))
    close_window(qtbot, again)


def test_facets_search_in_the_words_the_help_uses(qtbot, window):
    outcomes = window.facets.topLevelItem(1)
    terms = [outcomes.child(i).data(0, TERM) for i in range(outcomes.childCount())]
    assert len(terms) >= 5
    click_facet(qtbot, window, 0, "In review")
    assert window.search_bar.text() == 'status:"in review"'
    assert "Filters: status: in review" in window.search_bar.read_as
    click_facet(qtbot, window, 0, "In review")
    click_facet(qtbot, window, 1, "No indication of misconduct")
    assert window.search_bar.text() == "outcome:no-indication"
    documented = dict(SYNTAX)["outcome:misconduct"].split(", ")
    for term in terms:  # "misconduct" is gross misconduct too: that one is named in full
        assert term.removeprefix("outcome:") in documented or term == "outcome:misconduct-case-to-answer"


def test_facet_names_fit_the_panel_or_show_in_full_as_a_tooltip(qtbot, window):
    tree = window.facets
    forces = tree.topLevelItem(2)
    fits = {}
    for i in range(forces.childCount()):
        item = forces.child(i)
        assert item.toolTip(0).startswith(item.text(0) + ":")
        room = tree.visualRect(tree.indexFromItem(item, 0)).width() - 8
        fits[item.text(0)] = tree.fontMetrics().horizontalAdvance(item.text(0)) <= room
    assert fits["Cambridgeshire Constabulary"] and fits["Avon and Somerset Constabulary"]
    assert not fits["Metropolitan Police Service and British Transport Police"]


def test_the_clear_button_of_the_no_results_page_keeps_its_own_width(qtbot, window):
    search(qtbot, window, "zebracrossing")
    button = window.no_results.findChild(QPushButton)
    assert button.isVisible() and button.width() == button.sizeHint().width()


def test_an_empty_library_shows_hints_where_the_case_would_be(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path / "empty.casebook", create=True)
    assert "no cases yet" in window.detail.browser.toPlainText()
    assert window.review.hint.isVisible() and not window.review.fields.isVisible()
    samples = window.empty_library.findChild(QPushButton, "empty-samples")
    wait_search(qtbot, window, lambda: qtbot.mouseClick(samples, Qt.MouseButton.LeftButton))
    assert "Select a case" in window.detail.browser.toPlainText()
    click_row(qtbot, window, 0)
    assert window.detail.case.id == window.model.id_at(0)
    assert window.review.fields.isVisible() and not window.review.hint.isVisible()
    close_window(qtbot, window)
