"""What tripped a new user in the first hour, each checked as they would meet it: real
windows, real keys and clicks, a laptop-sized screen, the keyboard alone, a dark theme."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REAL, SCREENS, SEEDS
from gui_helpers import WAIT_MS, close_window, open_window, search, top_level, wait_search, when_shown
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from gui.settings import Settings
from gui.window.library_dialogs import SettingsDialog
from storage.keeping.importing import import_paths
from storage.keeping.library import Library

ROOT = Path(__file__).resolve().parents[1]


def click_row(qtbot, window, row, modifier=Qt.KeyboardModifier.NoModifier):
    rect = window.table.visualRect(window.model.index(row, 1))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def menu_titles(window, title):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == title)
    return [a.text() for a in menu.actions() if not a.isSeparator()]


# ----- 1. the File menu, and undo --------------------------------------------------------


def test_the_file_menu_starts_with_new_library_and_holds_no_status(window):
    items = menu_titles(window, "&File")
    assert items[0] == "&New library…"
    assert not any(item.startswith("Mark as") for item in items)


def test_a_status_change_can_be_undone_from_the_edit_menu(qtbot, window):
    click_row(qtbot, window, 0)
    click_row(qtbot, window, 2, Qt.KeyboardModifier.ShiftModifier)
    ids = window.selected_ids()
    undo = window.actions_by_name["undo"]
    assert not undo.isEnabled()
    window.table.setFocus()
    qtbot.waitUntil(lambda: window.table.hasFocus())
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        qtbot.keyClick(window.table, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # flagged
    qtbot.waitUntil(undo.isEnabled, timeout=WAIT_MS)
    assert "Flagged" in undo.text() and "3 cases" in undo.text()
    assert {window.lib.case(i).status for i in ids} == {"flagged"}
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert {window.lib.case(i).status for i in ids} == {"new"}
    assert not undo.isEnabled()


def test_undoing_a_tag_takes_it_only_off_the_cases_that_got_it(qtbot, window):
    first, second = window.model.id_at(0), window.model.id_at(1)
    window.lib.change_tag([first], "custody", True)
    window.cases.change_tag("custody", True, [first, second])
    qtbot.waitUntil(window.actions_by_name["undo"].isEnabled, timeout=WAIT_MS)
    window.cases.undo()
    qtbot.waitUntil(lambda: "custody" not in window.lib.case(second).tags, timeout=WAIT_MS)
    assert "custody" in window.lib.case(first).tags


# ----- 2. a laptop screen ------------------------------------------------------------------


def test_the_first_window_fits_a_1366_by_768_screen(tmp_path):
    code = (
        "import json, sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from gui.settings import Settings; from gui.window.main_window import MainWindow;"
        "w = MainWindow(Settings()); w.show(); app.processEvents();"
        "g, s = w.frameGeometry(), w.screen().availableGeometry();"
        "print(json.dumps([g.width(), g.height(), s.width(), s.height(), w.splitter.sizes()]))"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={SCREENS / 'laptop.json'}",
        "CASEBOOK_HOME": str(tmp_path),
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    width, height, screen_width, screen_height, panes = json.loads(out.stdout.strip().splitlines()[-1])
    assert (screen_width, screen_height) == (1366, 768)
    assert width <= screen_width and height <= screen_height
    assert all(size > 150 for size in panes)  # filters, list and case pane all on screen


def test_the_list_title_leaves_out_the_force_and_month_shown_beside_it(window):
    row = next(r for r in range(window.model.rowCount()) if " - " in window.model.case_row(r).title)
    full = window.model.case_row(row).title
    shown = window.model.index(row, 1).data()
    assert full.startswith(shown) and len(shown) < len(full)
    assert full in window.model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)


# ----- 3, 4. the search box ----------------------------------------------------------------


def test_recent_searches_wait_for_the_down_key_and_a_click_after_typing_reaches_the_list(qtbot, window):
    search(qtbot, window, "taser")
    click_row(qtbot, window, 0)  # a search counts as used once a case from it is read
    search(qtbot, window, "custody")
    popup = window.search_bar.completer.popup()
    assert not popup.isVisible()
    header = window.table.horizontalHeader()
    pos = header.sectionViewportPosition(1) + header.sectionSize(1) // 2
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos, 5))
    assert window.search_bar.text() == "custody" and window.result.sort == "title"
    window.search_bar.edit.clear()
    qtbot.keyClick(window.search_bar.edit, Qt.Key.Key_Down)
    qtbot.waitUntil(popup.isVisible)
    offered = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert "taser" in offered


def test_ctrl_u_in_the_search_box_shows_the_original_and_keeps_the_search(qtbot, window):
    search(qtbot, window, "taser")
    click_row(qtbot, window, 0)
    window.search_bar.edit.setFocus()
    qtbot.waitUntil(window.search_bar.edit.hasFocus)
    seen = []
    when_shown(lambda: top_level(QDialog), lambda d: (seen.append(d.windowTitle()), d.reject()))
    qtbot.keyClick(window.search_bar.edit, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert seen and seen[0].startswith("Original text")
    assert window.search_bar.text() == "taser"


# ----- 5, 6. selections and switching libraries --------------------------------------------


def test_a_status_set_on_several_cases_keeps_them_all_selected(qtbot, window):
    click_row(qtbot, window, 1)
    click_row(qtbot, window, 3, Qt.KeyboardModifier.ShiftModifier)
    before = sorted(window.selected_ids())
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        window.cases.set_status("reviewed")
    assert sorted(window.selected_ids()) == before and len(before) == 3
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        window.cases.change_tag("checked", True)
    assert sorted(window.selected_ids()) == before


def test_another_library_opens_on_its_whole_list_not_the_last_search(qtbot, window, tmp_path):
    search(qtbot, window, "custody")
    other = tmp_path / "other.casebook"
    with Library.open(other, create=True) as lib:
        import_paths(lib, [str(SEEDS)])
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        window.open_library(other)
    assert window.search_bar.text() == ""
    assert window.model.rowCount() == window.lib.case_count() > 0


def test_samples_loaded_after_a_search_are_all_shown(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path / "empty.casebook", create=True)
    search(qtbot, window, "custody")
    window.load_samples()
    qtbot.waitUntil(lambda: window.search_bar.text() == "" and window.model.rowCount() > 0, timeout=WAIT_MS)
    close_window(qtbot, window)


def test_the_tag_dialog_for_a_selection_starts_empty(qtbot, window):
    window.lib.change_tag([window.model.id_at(5)], "unrelated", True)
    window.cases.review.set_known_tags(["unrelated"])
    click_row(qtbot, window, 0)
    click_row(qtbot, window, 1, Qt.KeyboardModifier.ShiftModifier)
    seen = []
    when_shown(lambda: top_level(QInputDialog), lambda d: (seen.append(d.textValue()), d.reject()))
    window.cases.tag_selected()
    assert seen == [""]


# ----- 7, 8. settings and saving ----------------------------------------------------------


def test_settings_keep_the_reviewers_name_and_the_text_size(qtbot, window, library_path):
    dialog = SettingsDialog(library_path, Settings(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setFocus()
    qtbot.keyClicks(dialog.name, "A. Reviewer")
    dialog.zoom.setValue(3)
    dialog.accept()
    assert Settings().get("reviewer/name") == "A. Reviewer"
    assert Settings().get("detail/zoom") == 3


def test_open_folder_without_a_file_manager_says_where_the_folder_is(qtbot, window, monkeypatch):
    from gui.dialogs import open_folder

    monkeypatch.setenv("PATH", "")  # no xdg-open: no file manager to hand the folder to
    seen = []
    when_shown(lambda: top_level(QMessageBox), lambda box: (seen.append(box.text()), box.accept()))
    folder = Path(os.environ["CASEBOOK_HOME"]) / "somewhere"
    open_folder(window, folder)
    assert seen and str(folder) in seen[0]
    assert QApplication.clipboard().text() == str(folder)


def test_save_dialogs_open_where_the_last_file_was_saved(qtbot, window, tmp_path):
    from gui.dialogs import ask_save_path

    chosen = tmp_path / "exports"
    chosen.mkdir()
    opened_in = []

    def answer(dialog):
        opened_in.append(dialog.directory().absolutePath())
        edit = dialog.findChild(QLineEdit)
        edit.setText(str(chosen / "first.csv"))
        dialog.accept()

    when_shown(lambda: top_level(QDialog), answer)
    assert ask_save_path(window, "Save", Path("first.csv"), "CSV (*.csv)", ".csv", window.lib.path)
    when_shown(lambda: top_level(QDialog), answer)
    ask_save_path(window, "Save", Path.home() / "second.csv", "CSV (*.csv)", ".csv", window.lib.path)
    assert opened_in[1] == str(chosen)


# ----- 11. the list and the filters remember ------------------------------------------------


def test_sort_order_and_open_filter_groups_are_remembered(qtbot, window, library_path):
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        window.results.sort_by("title", False)
    window.facets.topLevelItem(3).setExpanded(True)  # Incident year, closed at first
    window.facets.topLevelItem(1).setExpanded(False)  # Outcome, open at first
    close_window(qtbot, window)
    again = open_window(qtbot, library_path)
    assert again.result.sort == "title" and not again.result.descending
    assert again.facets.topLevelItem(3).isExpanded() and not again.facets.topLevelItem(1).isExpanded()
    close_window(qtbot, again)


def test_choosing_a_force_keeps_the_other_forces_to_switch_to(qtbot, window):
    forces = window.facets.topLevelItem(2)
    before = forces.childCount()
    first, second = forces.child(0).text(0), forces.child(1).text(0)
    item = forces.child(0)
    wait_search(qtbot, window, lambda: window.facets.itemClicked.emit(item, 0))
    assert window.facets.topLevelItem(2).childCount() == before
    assert window.model.rowCount() < window.lib.case_count()
    item = next(forces.child(i) for i in range(forces.childCount()) if forces.child(i).text(0) == second)
    wait_search(qtbot, window, lambda: window.facets.itemClicked.emit(item, 0))
    text = window.search_bar.text()
    assert second.split()[0] in text and first.split()[0] not in text  # one force at a time
    assert window.model.rowCount() > 0


# ----- 15, 16. the keyboard and screen readers ----------------------------------------------


def nameless(top: QWidget) -> list[str]:
    """Every control the keyboard can reach under `top` without a name a screen reader says."""
    missing = []
    for widget in [top, *top.findChildren(QWidget)]:
        if widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            parent = widget.parentWidget()
            if isinstance(parent, QAbstractSpinBox):
                widget = parent  # a spin box's editor: the spin box is what is announced
            face = QAccessible.queryAccessibleInterface(widget)
            if face is None or not face.text(QAccessible.Text.Name).strip():
                missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_tab_goes_round_search_list_status_tags_and_notes_and_back(qtbot, window):
    click_row(qtbot, window, 0)
    window.search_bar.edit.setFocus()
    qtbot.waitUntil(window.search_bar.edit.hasFocus)
    reached = []
    for _ in range(30):
        widget = QApplication.focusWidget()
        reached.append(widget.objectName() or type(widget).__name__)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is window.search_bar.edit:
            break
    assert QApplication.focusWidget() is window.search_bar.edit, reached
    for name in ("cases", "status-new", "status-in_review", "status-flagged", "tag-edit", "notes"):
        assert name in reached
    assert window.review.notes.toPlainText() == ""  # Tab left the notes, it typed nothing


def test_tabbing_into_the_list_highlights_the_row_of_the_case_it_opens(qtbot, window):
    window.search_bar.edit.setFocus()
    qtbot.waitUntil(window.search_bar.edit.hasFocus)
    for _ in range(10):
        if QApplication.focusWidget() is window.table:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.table
    first, second = window.model.id_at(0), window.model.id_at(1)
    qtbot.waitUntil(lambda: getattr(window.detail.case, "id", None) == first)  # the first case opened
    highlighted = window.table.selectionModel().selectedRows
    assert [i.row() for i in highlighted()] == [0]  # and its row is the highlighted one
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: getattr(window.detail.case, "id", None) == second)
    assert [i.row() for i in highlighted()] == [1]


def test_a_row_unselected_with_ctrl_click_stays_out_of_the_selection_when_the_list_is_clicked_again(
    qtbot, window
):
    click_row(qtbot, window, 2)
    click_row(qtbot, window, 2, Qt.KeyboardModifier.ControlModifier)  # nothing selected now
    window.search_bar.edit.setFocus()
    qtbot.waitUntil(window.search_bar.edit.hasFocus)
    click_row(qtbot, window, 5, Qt.KeyboardModifier.ControlModifier)
    assert [i.row() for i in window.table.selectionModel().selectedRows()] == [5]


def test_every_control_of_the_window_has_a_name(qtbot, window):
    click_row(qtbot, window, 0)
    assert nameless(window) == []


def test_every_control_of_the_wizard_and_the_dialogs_has_a_name(qtbot, window, library_path):
    from gui.importing.history_dialog import ImportHistoryDialog
    from gui.window.library_dialogs import RestoreDialog

    window.start_import([str(REAL / sorted(os.listdir(REAL))[0])])
    wizard = window.wizard
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.review_page, timeout=WAIT_MS)
    assert nameless(wizard) == []
    wizard.reject()
    for dialog in (
        SettingsDialog(library_path, Settings(), window),
        RestoreDialog(window, library_path),
        ImportHistoryDialog(window.session, window),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert nameless(dialog) == [], type(dialog).__name__
        dialog.reject()


# ----- 17. a dark theme and a larger text ---------------------------------------------------


def contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        channels = [(v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4) for v in c.getRgbF()[:3]]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_case_pane_is_readable_on_a_dark_palette(qtbot, window):
    click_row(qtbot, window, 0)
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.Base, "#1b1b1d"),
        (QPalette.ColorRole.Text, "#e8e8e8"), (QPalette.ColorRole.WindowText, "#e8e8e8"),
        (QPalette.ColorRole.PlaceholderText, "#a0a4a8"),
    ):  # fmt: skip
        dark.setColor(role, QColor(colour))
    window.setPalette(dark)
    qtbot.waitUntil(lambda: "#e8e8e8" in window.detail.browser.document().defaultStyleSheet())
    style = window.detail.browser.document().defaultStyleSheet()
    base = dark.color(QPalette.ColorRole.Base)
    colours = {part.split(";")[0].strip() for part in style.split("color:")[1:]}
    assert colours and all(contrast(QColor(c), base) >= 4.5 for c in colours), colours


def test_text_size_in_the_case_pane_zooms_with_the_keys_and_is_remembered(qtbot, window, library_path):
    click_row(qtbot, window, 0)
    size = window.detail.browser.font().pointSizeF()
    window.detail.browser.setFocus()
    for _ in range(2):
        qtbot.keyClick(window.detail.browser, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.detail.browser.font().pointSizeF() == size + 2
    close_window(qtbot, window)
    again = open_window(qtbot, library_path)
    assert again.detail.browser.font().pointSizeF() == size + 2
    again.activateWindow()
    again.detail.browser.setFocus()
    qtbot.waitUntil(again.detail.browser.hasFocus)
    qtbot.keyClick(again.detail.browser, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert again.detail.browser.font().pointSizeF() == size
    close_window(qtbot, again)


def test_the_case_title_takes_a_line_or_two_of_the_pane_not_six(qtbot, window):
    from PySide6.QtGui import QTextCursor

    click_row(qtbot, window, 0)
    cursor = QTextCursor(window.detail.browser.document())
    cursor.movePosition(QTextCursor.MoveOperation.Right)
    title = cursor.charFormat().font().pointSizeF()
    body = window.detail.browser.font().pointSizeF()
    assert title <= body * 1.6


def test_icons_are_drawn_light_on_a_dark_palette(qtbot):
    from gui.icons import icon

    def lightness(palette: QPalette) -> float:
        QApplication.setPalette(palette)
        icon.cache_clear()
        image = icon("print").pixmap(24, 24).toImage()
        seen = [image.pixelColor(x, y) for x in range(24) for y in range(24)]
        drawn = [c.lightness() for c in seen if c.alpha() > 200]
        return sum(drawn) / len(drawn)

    light = QApplication.palette()
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Base, QColor("#1b1b1d"))
    try:
        assert lightness(light) < 128 < lightness(dark)
    finally:
        QApplication.setPalette(light)
        icon.cache_clear()
