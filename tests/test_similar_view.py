"""Similar cases in the window: listed under the open case with why, opened with a click, and
"More like this" runs them as a search."""

from __future__ import annotations

import test_hostile_text as hostile
from conftest import custody_case, write_case
from gui_helpers import WAIT_MS, close_window, open_window, search
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication
from test_hostile_text import MARK, MARKUP, check_nothing_is_markup
from test_window import choose_from_menu, click_row

from gui.views.similar_view import CASE_ID
from storage.keeping.importing import import_paths
from storage.keeping.library import Library
from storage.searching.similar import similar_cases

TASERED = "2017/094798"  # 066_tasered-west-yorkshire-2017.txt
fifo = hostile.fifo  # the fixture: a FIFO in the current folder that says whether it was read


def listed(window) -> list[int]:
    items = window.similar.list
    return [items.item(i).data(CASE_ID) for i in range(items.count()) if items.item(i).data(CASE_ID)]


def open_row(qtbot, window, case_id: int) -> None:
    with qtbot.waitSignal(window.similar.updated, timeout=WAIT_MS):
        click_row(qtbot, window, window.model.row_of(case_id))


def click_similar(qtbot, window, number: int) -> int:
    """Click the `number`th similar case; return its id once its own similar cases are listed."""
    items = window.similar.list
    item = items.item(number)
    case_id, rect = item.data(CASE_ID), items.visualItemRect(item)
    with qtbot.waitSignal(window.similar.updated, timeout=WAIT_MS):
        qtbot.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return case_id


def test_the_open_case_lists_the_ten_most_like_it_with_why(qtbot, window):
    case = window.lib.find_case(TASERED)
    open_row(qtbot, window, case.id)
    lib = Library.open(window.lib.path, check=False)
    expected = similar_cases(lib, case.id)
    lib.close()
    assert listed(window) == [s.case_id for s in expected] and len(expected) == 10
    first = window.similar.list.item(0)
    title = window.lib.case(expected[0].case_id).title
    assert first.text().startswith(title) and expected[0].reason() in first.text()
    label = window.similar.list.itemWidget(first)
    assert "Shared words: " in label.text() and "taser" in first.text().lower()


def test_a_click_opens_the_similar_case_in_the_list(qtbot, window):
    open_row(qtbot, window, window.lib.find_case(TASERED).id)
    chosen = click_similar(qtbot, window, 0)
    assert window.detail.case.id == chosen == window.current_case_id()
    assert window.review.case_id == chosen
    assert window.similar.case_id == chosen and chosen not in listed(window)


def test_a_similar_case_outside_the_search_opens_by_itself(qtbot, window):
    search(qtbot, window, f"ref:{TASERED}")
    assert window.model.rowCount() == 1
    open_row(qtbot, window, window.lib.find_case(TASERED).id)
    chosen = click_similar(qtbot, window, 1)
    assert window.detail.case.id == chosen and window.review.case_id == chosen
    assert window.model.rowCount() == 1  # the list is left as it was


def test_more_like_this_from_the_lists_menu_runs_the_like_search(qtbot, window):
    case = window.lib.find_case(TASERED)
    open_row(qtbot, window, case.id)
    row = window.model.row_of(case.id)
    choose_from_menu(qtbot, "More like this")
    pos = window.table.visualRect(window.model.index(row, 1)).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, window.table.viewport().mapToGlobal(pos))
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        QApplication.sendEvent(window.table.viewport(), event)
    assert window.search_bar.text() == f"like:{TASERED}"
    assert [int(i) for i in window.model.ids] == listed(window)
    assert any("most like case" in line for line in window.search_bar.read_as)


def test_the_syntax_card_explains_like(qtbot, window):
    window.search_bar.show_help()
    assert "like:" in window.search_bar.popup.label.text()
    window.search_bar.popup.close()


def test_similar_cases_named_in_markup_show_as_written(qtbot, tmp_path, fifo):
    path = tmp_path / "hostile.casebook"
    lib = Library.open(path, create=True)
    first = hostile.store_hostile_case(lib, MARKUP)
    hostile.store_hostile_case(lib, f"{MARKUP} again")
    import_paths(lib, [str(write_case(tmp_path / "in", "other.txt", custody_case()))])
    lib.close()
    window = open_window(qtbot, path)
    try:
        open_row(qtbot, window, first)
        assert len(listed(window)) == 1
        label = window.similar.list.itemWidget(window.similar.list.item(0))
        assert f"<b>{MARK}</b>" in hostile.Rendering(label.text()).toPlainText()
        assert check_nothing_is_markup() > 5
    finally:
        close_window(qtbot, window)
    assert not fifo.read
