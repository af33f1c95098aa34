"""Possible duplicates in the window: the View menu's groups, and the import wizard's
"possibly the same case as …" with keep or skip. The pairs are one real case in the IOPC
site's two layouts (tests/test_duplicates.py builds the second)."""

from __future__ import annotations

import pytest
from conftest import REAL, write_case
from gui_helpers import WAIT_MS, close_window, open_window, top_level, when_shown
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QLabel
from test_duplicates import other_layout
from test_first_hour import nameless
from test_import_wizard import choose, drop, import_and_finish
from test_window import choose_from_menu

from gui.importing.import_wizard import CorrectionDialog
from gui.session.operations import ImportFiles
from gui.views.duplicates_dialog import CASE_ID, DuplicatesDialog

TASERED = REAL / "066_tasered-west-yorkshire-2017.txt"
WILTSHIRE = REAL / "030_man-before-death-wiltshire-2016.txt"


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path / "dup.casebook", create=True)
    yield w
    if w.wizard is not None:
        w.wizard.close()
    if w.lib is not None:
        close_window(qtbot, w)


def import_now(qtbot, window, *paths) -> None:
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        window.session.write(ImportFiles(tuple(str(p) for p in paths)), "importing")


def other_layout_file(folder):
    return write_case(folder, "other-layout.txt", other_layout(TASERED.read_text("utf-8")))


def test_the_view_menu_lists_the_pair_and_opens_each(qtbot, window, tmp_path):
    import_now(qtbot, window, TASERED, WILTSHIRE, other_layout_file(tmp_path / "in"))
    first = window.lib.find_case("2017/094798")
    second = next(
        r.id for r in window.lib.rows(window.model.ids) if r.id != first.id and r.title == first.title
    )
    window.actions_by_name["duplicates"].trigger()
    dialog = top_level(DuplicatesDialog)
    with qtbot.waitSignal(dialog.listed, timeout=WAIT_MS) as listed:
        pass
    assert listed.args[0] == [[first.id, second]]
    tree = dialog.tree
    assert tree.topLevelItemCount() == 1
    group = tree.topLevelItem(0)
    assert group.text(0) == "Group 1: 2 cases" and group.childCount() == 2
    assert [group.child(i).text(0) for i in range(2)] == [first.title, first.title]
    assert "1 group of cases" in dialog.summary.text()
    assert nameless(dialog) == []
    rect = tree.visualItemRect(group.child(1))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.detail.case.id == group.child(1).data(0, CASE_ID) == second
    assert window.current_case_id() == second
    dialog.close()


def test_a_library_without_duplicates_says_so(qtbot, window):
    import_now(qtbot, window, TASERED, WILTSHIRE)
    window.actions_by_name["duplicates"].trigger()
    dialog = top_level(DuplicatesDialog)
    qtbot.waitUntil(lambda: "No two cases" in dialog.summary.text(), timeout=WAIT_MS)
    assert dialog.tree.topLevelItemCount() == 0
    dialog.close()


def test_the_wizard_says_possibly_the_same_case_and_keeps_it(qtbot, window, tmp_path):
    import_now(qtbot, window, TASERED)
    first = window.lib.find_case("2017/094798")
    wizard = drop(qtbot, window, other_layout_file(tmp_path / "in"), WILTSHIRE)
    page = wizard.review_page
    row = next(i for i, f in enumerate(wizard.files) if f.name == "other-layout.txt")
    model = page.table.model()
    assert model.index(row, 1).data() == "Possibly a duplicate: keep"
    assert f"Possibly the same case as “{first.title}” (case {first.id})" in model.index(row, 7).data()
    assert "1 possibly the same as another case" in page.summary.text()
    assert page.alike.isVisible()
    assert nameless(wizard) == []
    import_and_finish(qtbot, window, wizard)
    assert window.lib.case_count() == 3


def test_the_wizard_skips_a_possible_duplicate_from_its_menu(qtbot, window, tmp_path):
    import_now(qtbot, window, TASERED)
    wizard = drop(qtbot, window, other_layout_file(tmp_path / "in"), WILTSHIRE)
    table = wizard.review_page.table
    row = next(i for i, f in enumerate(wizard.files) if f.name == "other-layout.txt")
    table.selectRow(row)
    choose_from_menu(qtbot, "Possible duplicate: skip it")
    pos = table.visualRect(table.model().index(row, 2)).center()
    QApplication.sendEvent(
        table.viewport(),
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, table.viewport().mapToGlobal(pos)),
    )
    assert table.model().index(row, 1).data() == "Possibly a duplicate: skip"
    assert "1 case will be imported" in wizard.review_page.summary.text()
    report = import_and_finish(qtbot, window, wizard)
    assert {f.name: f.outcome for f in report.files}["other-layout.txt"] == "left_out"
    assert window.lib.case_count() == 2


def test_the_wizard_skips_every_possible_duplicate_at_once(qtbot, window, tmp_path):
    folder = tmp_path / "in"
    write_case(folder, "a.txt", TASERED.read_bytes())
    write_case(folder, "b.txt", other_layout(TASERED.read_text("utf-8")))
    wizard = drop(qtbot, window, folder)
    assert [f.possible_duplicate for f in wizard.files] == [False, True]
    assert "in this import" in wizard.files[1].detail
    choose(qtbot, wizard.review_page.alike, False)
    assert not wizard.files[1].include
    import_and_finish(qtbot, window, wizard)
    assert window.lib.case_count() == 1


def test_checking_a_possible_duplicate_shows_the_case_it_resembles(qtbot, window, tmp_path):
    import_now(qtbot, window, TASERED)
    first = window.lib.find_case("2017/094798")
    wizard = drop(qtbot, window, other_layout_file(tmp_path / "in"))
    table = wizard.review_page.table
    seen = []

    def check(dialog):
        seen.append(dialog.findChild(QLabel, "alike-title").text())
        choose(qtbot, dialog.findChild(QComboBox, "alike-keep"), False)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    when_shown(lambda: top_level(CorrectionDialog), check)
    rect = table.visualRect(table.model().index(0, 3))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen == [first.title]
    assert not wizard.files[0].include
    assert table.model().index(0, 1).data() == "Possibly a duplicate: skip"


def test_the_menus_hold_the_new_commands_once(window):
    bar = window.menuBar()
    assert [a.text() for a in bar.actions()] == ["&File", "&Edit", "&Case", "&View", "&Help"]
    entries = {a.text(): [e.text() for e in a.menu().actions()] for a in bar.actions()}
    assert entries["&View"][1:4] == ["&Timeline", "&Statistics of this search", "Possible &duplicates…"]
    assert entries["&Case"][-1] == "&More like this"
