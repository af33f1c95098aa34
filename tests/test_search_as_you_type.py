"""Search after search, as while typing: the window changes only what a new search changes, and
what it keeps (filter items, list cells, the open case's text, its similar cases) never shows
what an earlier search or an earlier state of a case had."""

from __future__ import annotations

import re

from gui_helpers import WAIT_MS, search, wait_search
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from test_window import click_row, marked

from gui.views.similar_view import WAIT_MS as SIMILAR_WAIT_MS
from gui.window.case_model import COLUMNS, TITLE_COLUMN
from gui.window.filter_panel import SECTIONS, TERM, FilterPanel
from storage.keeping.library import Library

HIT, CURRENT_HIT = "#ffe58a", "#ff9f1c"
STATUS_COLUMN = [key for key, _, _ in COLUMNS].index("status")


def facets_shown(panel: FilterPanel) -> list[list[tuple]]:
    """Every value of every facet section as shown: label, count, emphasis, hidden, tooltips,
    term, icon."""

    def shown(item) -> tuple:
        texts = (item.text(0), item.text(1), item.toolTip(0), item.toolTip(1), item.data(0, TERM))
        return (*texts, item.font(0).bold(), item.font(1).bold(), item.isHidden(), item.icon(0).cacheKey())

    sections = [panel.topLevelItem(n) for n in range(len(SECTIONS) - 1)]  # all but the saved searches
    return [[shown(section.child(n)) for n in range(section.childCount())] for section in sections]


def test_the_filters_show_each_new_searchs_counts_as_a_new_panel_would(qtbot, window):
    for text in ("taser", 'taser force:"Kent Police"', "zebracrossing", "", "status:new officers", "taser"):
        if text:
            search(qtbot, window, text)
        else:
            wait_search(qtbot, window, lambda: qtbot.keyClick(window.search_bar.edit, Qt.Key.Key_Escape))
        fresh = FilterPanel()
        fresh.set_facets(window.result.facets, window.search_bar.text())
        assert facets_shown(window.facets) == facets_shown(fresh), text
        statuses = window.facets.topLevelItem(0)
        counted = sum(int(statuses.child(i).text(1)) for i in range(statuses.childCount()))
        assert counted == window.model.rowCount(), text


def test_a_rows_cells_show_the_cases_status_after_each_change(qtbot, window):
    model = window.model
    click_row(qtbot, window, 0)
    case_id = window.current_case_id()

    def cells() -> tuple[str, bool]:
        """The case's status as listed, and whether its title is in bold."""
        row = model.row_of(case_id)
        font = model.index(row, TITLE_COLUMN).data(Qt.ItemDataRole.FontRole)
        return model.index(row, STATUS_COLUMN).data(), font is not None and font.bold()

    assert cells() == ("New", False)
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        qtbot.keyClick(window.table, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
        assert cells() == ("Flagged", True)  # at once, before the library has it
    assert cells() == ("Flagged", True)
    with Library.open(window.lib.path) as other:  # another window or program
        other.set_status([case_id], "reviewed")
    qtbot.waitUntil(lambda: cells() == ("Reviewed", False), timeout=WAIT_MS)


def a_word_of(text: str, but: str) -> str:
    """A long word of `text` that is not `but`."""
    return max((w for w in re.findall(r"[a-z]{8,}", text.lower()) if but not in w), key=len)


def test_the_open_case_marks_only_the_hits_of_the_new_search(qtbot, window):
    search(qtbot, window, "taser")
    detail = window.detail
    for row in (1, 0):
        click_row(qtbot, window, row)
        assert {text.lower()[:5] for text in marked(detail)[HIT]} == {"taser"}
    case_id = detail.case.id
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert len(marked(detail)[CURRENT_HIT]) == 1
    bar = detail.browser.verticalScrollBar()
    bar.setValue(bar.maximum())
    word = a_word_of(detail.case.narrative, but="taser")
    search(qtbot, window, word)
    assert detail.case.id == case_id == window.current_case_id()  # the same case, the new search's hits
    hits = marked(detail)
    assert list(hits) == [HIT] and len(hits[HIT]) == detail.hits > 0
    assert {text.lower() for text in hits[HIT]} == {word}
    assert detail.hit_label.text().startswith(f"{detail.hits} hit")
    assert bar.value() == 0  # read from the top, as after every new search
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert detail.hit_label.text() == f"Hit 1 of {detail.hits}"
    assert marked(detail)[CURRENT_HIT] == hits[HIT][:1]
    search(qtbot, window, "status:new")  # no words: nothing to mark
    assert detail.case.id == case_id and marked(detail) == {}
    assert not detail.hit_label.isVisible()


def test_a_new_search_keeps_the_similar_cases_of_the_case_it_keeps_open(qtbot, window):
    search(qtbot, window, "taser")
    with qtbot.waitSignal(window.similar.updated, timeout=WAIT_MS):
        click_row(qtbot, window, 0)
    similar = window.similar.list
    similar.setCurrentRow(2)
    word = a_word_of(window.detail.case.narrative, but="taser")
    with qtbot.waitSignal(window.similar.updated, timeout=SIMILAR_WAIT_MS * 5, raising=False) as found_again:
        search(qtbot, window, word)
    assert not found_again.signal_triggered
    assert similar.currentRow() == 2  # where the reviewer was in the list


def test_a_new_palette_draws_the_open_case_again_in_its_colours(qtbot, window):
    click_row(qtbot, window, 0)
    document = window.detail.browser.document()

    def heading_colour() -> str:
        return document.find("Summary").charFormat().foreground().color().name()

    dark = QPalette(window.palette())
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        dark.setColor(role, QColor("#e8e8e8"))
    assert heading_colour() != "#e8e8e8"
    window.setPalette(dark)
    qtbot.waitUntil(lambda: heading_colour() == "#e8e8e8")
