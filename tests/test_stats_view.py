"""The statistics tab: it describes the search, a bar clicked filters the list, and each chart
leaves the window as PNG, SVG, CSV and PDF showing what the tab shows."""

from __future__ import annotations

import csv

import shiboken6
import test_hostile_text as hostile
from gui_helpers import WAIT_MS, close_window, search, top_level, when_shown
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QGraphicsTextItem
from test_first_hour import nameless
from test_hostile_text import MARK, MARKUP, check_nothing_is_markup, open_hostile_window

from gui.views.stats_print import write_statistics_pdf

fifo = hostile.fifo  # the fixture: a FIFO in the current folder that says whether it was read


def show_statistics(qtbot, window):
    """Switch to the statistics tab and wait for its figures."""
    view = window.statistics
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        window.actions_by_name["statistics"].trigger()
    return view


def chart_labels(chart) -> list[str]:
    """The texts a chart draws, as they show. (Qt Charts' labels are text items of private
    classes, which Python sees only as graphics items.)"""
    texts = []
    for item in chart.view.scene().items():
        shown = item.toGraphicsObject()
        if shown is not None and shown.metaObject().inherits(QGraphicsTextItem.staticMetaObject):
            texts.append(
                shiboken6.wrapInstance(shiboken6.getCppPointer(shown)[0], QGraphicsTextItem).toPlainText()
            )
    return texts


def test_the_figures_describe_the_search(qtbot, window):
    view = show_statistics(qtbot, window)
    assert view.figures.total == window.model.rowCount() == 32
    assert "The whole library: 32 cases" in view.summary.text()
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        search(qtbot, window, "year:2016")
    assert view.figures.total == window.model.rowCount() < 32
    years = view.charts["year"].bars
    assert [(b.label, b.count) for b in years] == [("2016", window.model.rowCount())]
    assert chart_labels(view.charts["year"]).count("2016") == 1
    table = view.charts["force"].model
    assert (
        sum(int(table.index(r, 1).data().replace(",", "")) for r in range(table.rowCount()))
        == view.figures.total
    )


def drawn_bars(chart) -> list[str]:
    """The bar labels the chart draws (the table lists the figures whatever the chart shows)."""
    labels = chart_labels(chart)
    return [bar.label for bar in chart.bars if bar.label in labels]


def test_a_chart_scrolled_to_shows_the_search(qtbot, window):
    window.resize(1000, 700)  # the charts in one column: the tags and the lag out of sight
    view = show_statistics(qtbot, window)
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        search(qtbot, window, "year:2016")
    tags = view.charts["tag"]
    assert [b.label for b in tags.bars] == ["Death and serious injury", "Wiltshire Police"]
    qtbot.keyClick(view.scroll_area.verticalScrollBar(), Qt.Key.Key_End)
    assert tags.view.viewport().visibleRegion().boundingRect().height() > 100
    assert drawn_bars(tags) == ["Death and serious injury", "Wiltshire Police"]
    assert "Custody and detention" not in chart_labels(tags)  # a tag of the whole library


def test_a_chart_out_of_sight_exports_the_search(qtbot, window, tmp_path):
    window.resize(1000, 700)
    view = show_statistics(qtbot, window)
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        search(qtbot, window, "year:2016")
    view.charts["tag"].save("svg", tmp_path / "tags.svg")
    drawing = (tmp_path / "tags.svg").read_text("utf-8")
    assert "Wiltshire Police" in drawing and "Custody and detention" not in drawing


def test_a_chart_shown_again_instead_of_its_table_shows_the_search(qtbot, window):
    view = show_statistics(qtbot, window)
    years = view.charts["year"]
    qtbot.mouseClick(years.table_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        search(qtbot, window, "year:2016")
    qtbot.mouseClick(years.table_button, Qt.MouseButton.LeftButton)
    assert drawn_bars(years) == ["2016"]
    assert "2015" not in chart_labels(years)


def test_a_few_cases_are_counted_in_whole_numbers(qtbot, window):
    view = show_statistics(qtbot, window)
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        search(qtbot, window, "year:2016")  # two cases of two forces
    ticks = [label for label in chart_labels(view.charts["force"]) if label.isdigit()]
    assert sorted(ticks) == ["0", "1"]


def test_nothing_is_counted_while_the_tab_is_hidden(qtbot, window):
    view = window.statistics
    search(qtbot, window, "custody")
    assert view.figures is None  # never shown: never counted
    view = show_statistics(qtbot, window)
    assert view.figures.total == window.model.rowCount()


def test_clicking_a_bar_filters_the_list_and_clicking_again_clears_it(qtbot, window):
    view = show_statistics(qtbot, window)
    chart = view.charts["force"]
    first = chart.bars[0]
    assert first.term == 'force:"Metropolitan Police Service"' and first.count > 1
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        qtbot.mouseClick(chart.view.viewport(), Qt.MouseButton.LeftButton, pos=chart.bar_centre(0))
    assert window.search_bar.text() == first.term
    assert window.model.rowCount() == first.count
    assert {window.model.case_row(r).force for r in range(window.model.rowCount())} == {first.label}
    assert view.figures.total == first.count
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        qtbot.mouseClick(chart.view.viewport(), Qt.MouseButton.LeftButton, pos=chart.bar_centre(0))
    assert window.search_bar.text() == "" and window.model.rowCount() == 32


def test_a_year_bar_adds_to_the_search_typed(qtbot, window):
    view = show_statistics(qtbot, window)
    search(qtbot, window, "custody")
    qtbot.waitUntil(lambda: view.figures.total == window.model.rowCount(), timeout=WAIT_MS)
    chart = view.charts["year"]
    index = max(range(len(chart.bars)), key=lambda i: chart.bars[i].count)
    year = chart.bars[index]
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        qtbot.mouseClick(chart.view.viewport(), Qt.MouseButton.LeftButton, pos=chart.bar_centre(index))
    assert window.search_bar.text() == f"custody year:{year.label}"
    assert window.model.rowCount() == year.count


def test_a_bar_without_a_filter_does_nothing(qtbot, window):
    view = show_statistics(qtbot, window)
    chart = view.charts["lag"]
    index = max(range(len(chart.bars)), key=lambda i: chart.bars[i].count)
    qtbot.mouseClick(chart.view.viewport(), Qt.MouseButton.LeftButton, pos=chart.bar_centre(index))
    qtbot.wait(100)
    assert window.search_bar.text() == ""
    assert "Median" in chart.note_label.text() and "middle half" in chart.note_label.text()


def test_a_middle_half_whose_ends_read_the_same_is_said_once(qtbot, window):
    view = show_statistics(qtbot, window)
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        search(qtbot, window, "ref:2016/070829")
    note = view.charts["lag"].note_label.text()
    assert "the middle half took about " in note and " between " not in note, note


def test_each_chart_exports_what_it_shows(qtbot, window, tmp_path):
    view = show_statistics(qtbot, window)
    chart = view.charts["force"]
    chart.save("png", tmp_path / "force.png")
    image = QImage(str(tmp_path / "force.png"))
    assert image.width() >= 1000 and image.pixelColor(image.width() // 2, image.height() // 2).isValid()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 3  # bars and text, not a blank page

    chart.save("svg", tmp_path / "force.svg")
    drawing = (tmp_path / "force.svg").read_text("utf-8")
    assert drawing.startswith("<?xml") and "Metropolitan Police" in drawing and "Other forces" in drawing

    chart.save("csv", tmp_path / "force.csv")
    with open(tmp_path / "force.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Force", "cases", "share"]
    table = chart.model
    shown = [[table.index(r, c).data().replace(",", "") for c in range(3)] for r in range(table.rowCount())]
    assert rows[1:] == shown
    assert rows[1][0] == "Metropolitan Police Service"


def test_the_statistics_go_into_a_pdf(qtbot, window, tmp_path):
    view = show_statistics(qtbot, window)
    search(qtbot, window, "force:kent")
    qtbot.waitUntil(lambda: view.figures.total == window.model.rowCount(), timeout=WAIT_MS)
    path = tmp_path / "statistics.pdf"
    write_statistics_pdf(path, view.document(view.figures))
    reader = PdfReader(str(path))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert len(reader.pages) == len(view.charts)  # one chart, its table and its note to a page
    assert "The search “force:kent”" in text and "Cases by review status" in text
    assert "Kent Police" in text and "Median" in text


def test_a_force_name_of_markup_shows_as_written(qtbot, tmp_path, fifo):
    window = open_hostile_window(qtbot, tmp_path, MARKUP)
    try:
        view = show_statistics(qtbot, window)
        labels = chart_labels(view.charts["force"]) + chart_labels(view.charts["tag"])
        assert any(f"<b>{MARK}" in label for label in labels), labels
        tip = view.charts["force"].tip(view.charts["force"].bars[0])
        assert f"{MARKUP} Police" in tip
        assert check_nothing_is_markup() > 5  # the tables and everything else
    finally:
        close_window(qtbot, window)
    assert not fifo.read


def test_print_shows_a_preview_of_every_chart(qtbot, window):
    view = show_statistics(qtbot, window)
    pages = []

    def look(preview) -> None:
        widget = preview.findChild(QPrintPreviewWidget)
        pages.append(widget.pageCount())
        preview.reject()

    when_shown(lambda: top_level(QPrintPreviewDialog), look)
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    assert pages == [len(view.charts)]


def test_every_control_of_the_tab_has_a_name(qtbot, window):
    show_statistics(qtbot, window)
    for chart in window.statistics.charts.values():
        qtbot.mouseClick(chart.table_button, Qt.MouseButton.LeftButton)  # the tables too
    assert nameless(window) == []
