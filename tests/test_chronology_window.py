"""The chronology and the findings in the window, driven with real clicks: the case's timeline
and the evidence of its findings marked in the text, corrections by a reviewer (from the
detail pane and for a selection, kept across a re-import), and the timeline of the results."""

import csv
import json
import statistics
from collections import Counter

from conftest import REAL, write_case
from gui_helpers import WAIT_MS, search, top_level, when_shown
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox, QFileDialog
from test_first_hour import nameless
from test_output import pages_text
from test_window import choose_from_menu, click_row, marked

from gui.output.case_html import CORRECT_LINK, EVENT_LINK, FINDING_LINK, timeline
from gui.output.printing import PrintOptions, write_pdf
from gui.window.detail_view import MARK_COLOUR
from gui.window.findings_dialog import FindingsDialog
from storage.keeping import finding_corrections
from storage.keeping.importing import import_paths
from storage.keeping.library import Library

LEARNING = "learning_recommendations"
MARKED = MARK_COLOUR.name()


def every_case(window):
    return list(window.lib.cases([int(i) for i in window.model.ids]))


def open_case(qtbot, window, case_id):
    row = window.model.row_of(case_id)
    window.table.scrollTo(window.model.index(row, 1))
    click_row(qtbot, window, row)
    assert window.detail.case.id == case_id


def click_link(qtbot, window, href):
    """Scroll a link of the detail pane into view and click it."""
    browser = window.detail.browser
    document = browser.document()
    block = document.begin()
    while block.isValid():
        for run in block.textFormats():
            if run.format.anchorHref() == href:
                cursor = QTextCursor(document)
                cursor.setPosition(block.position() + run.start + 1)
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                point = browser.cursorRect(cursor).center() + QPoint(2, 0)
                qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
                return
        block = block.next()
    raise AssertionError(f"no link {href} in the detail pane")


def as_written(selected: str) -> str:
    return selected.replace("\u2028", "\n")


def on_screen(window) -> bool:
    """Whether the text cursor (put at the start of what was marked) is in the visible part."""
    browser = window.detail.browser
    return 0 <= browser.cursorRect().top() < browser.viewport().height()


# ----- the case's timeline and the evidence of its findings ------------------------------------


def test_the_case_timeline_lists_each_date_with_its_sentence_and_a_click_marks_it(qtbot, window):
    case = max(every_case(window), key=lambda c: len(timeline(c)))
    open_case(qtbot, window, case.id)
    text = window.detail.browser.toPlainText()
    heading = text.index("Timeline\n")
    assert text.index("Category") < heading < text.index("Summary\n", heading)  # after the fields
    shown = " ".join(text[heading : text.index("Summary\n", heading)].split())
    entries = timeline(case)
    assert len(entries) >= 4
    for entry in entries:
        sentence = " ".join(case.narrative[entry.start : entry.end].split())
        assert f"{' '.join(entry.dates)} {sentence[:80]}" in shown
    assert MARKED not in marked(window.detail)

    last = len(entries) - 1
    click_link(qtbot, window, f"{EVENT_LINK}{last}")
    sentence = case.narrative[entries[last].start : entries[last].end]
    assert [as_written(t) for t in marked(window.detail)[MARKED]] == [sentence]
    assert window.detail.browser.textCursor().position() == window.detail.marked[0][0] and on_screen(window)
    click_link(qtbot, window, f"{EVENT_LINK}0")
    first = case.narrative[entries[0].start : entries[0].end]
    assert [as_written(t) for t in marked(window.detail)[MARKED]] == [first]


def test_clicking_a_finding_marks_the_sentences_that_gave_it_one_after_another(qtbot, window):
    case, label = next(
        (c, label)
        for c in every_case(window)
        for label, n in Counter(e.label for e in c.evidence if e.field == "narrative").items()
        if n >= 2
    )
    passages = [case.passage(e) for e in case.evidence if e.label == label]
    open_case(qtbot, window, case.id)
    click_link(qtbot, window, f"{FINDING_LINK}{label}")
    assert sorted(as_written(t) for t in marked(window.detail)[MARKED]) == sorted(passages)
    starts = [start for start, _ in window.detail.marked]
    assert window.detail.browser.textCursor().position() == starts[0] and on_screen(window)
    click_link(qtbot, window, f"{FINDING_LINK}{label}")
    assert window.detail.browser.textCursor().position() == starts[1] and on_screen(window)
    assert f"sentence 2 of {len(passages)}" in window.statusBar().currentMessage()


# ----- corrections ------------------------------------------------------------------------------


def facet_count(window, label):
    return dict(window.result.facets["outcome"]).get(label, 0)


def answer_findings(qtbot, tick=(), seen=None):
    """In the next findings dialog, click the boxes of `tick` (labels) until ticked, then Save."""

    def act(dialog):
        if seen is not None:
            seen.update({label: box.checkState() for label, box in dialog.boxes.items()})
        for label in tick:
            box = dialog.findChild(QCheckBox, f"finding:{label}")
            while box.checkState() != Qt.CheckState.Checked:
                qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        buttons = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)

    when_shown(lambda: top_level(FindingsDialog), act)


def test_a_correction_from_the_detail_pane_is_marked_counted_filtered_and_kept_across_a_reimport(
    qtbot, window, library_path, tmp_path
):
    case = next(c for c in every_case(window) if c.reference and LEARNING not in c.findings and c.chronology)
    before = facet_count(window, LEARNING)
    open_case(qtbot, window, case.id)
    answer_findings(qtbot, tick=[LEARNING])
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        click_link(qtbot, window, CORRECT_LINK)
    assert window.lib.case(case.id).findings_added == (LEARNING,)
    assert facet_count(window, LEARNING) == before + 1
    assert "Corrected by a reviewer: added Learning recommendations." in window.detail.browser.toPlainText()
    search(qtbot, window, "outcome:learning")
    assert case.id in window.model.ids

    # another program imports a new version of the file: the reviewer's word stands
    source = (REAL / case.source_name).read_text("utf-8")
    changed = write_case(
        tmp_path / "new", case.source_name, source.replace(case.title, case.title + " (updated)")
    )
    other = Library.open(library_path)
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        assert import_paths(other, [str(changed)], resolution="replace").files[0].outcome == "updated"
    other.close()
    assert window.lib.case(case.id).title.endswith("(updated)")
    assert case.id in window.model.ids and LEARNING in window.lib.case(case.id).findings
    assert facet_count(window, LEARNING) == window.result.total


def test_findings_of_a_selection_are_corrected_from_the_list_menu(qtbot, window):
    cases = every_case(window)
    having = next(c for c in cases if LEARNING in c.findings)
    lacking = next(c for c in cases if LEARNING not in c.findings)
    before = facet_count(window, LEARNING)
    open_case(qtbot, window, having.id)
    window.table.selectionModel().select(
        window.model.index(window.model.row_of(lacking.id), 0),
        window.table.selectionModel().SelectionFlag.Select | window.table.selectionModel().SelectionFlag.Rows,
    )
    seen = {}
    answer_findings(qtbot, tick=[LEARNING], seen=seen)
    choose_from_menu(qtbot, "Correct findings")
    pos = window.table.visualRect(window.model.index(window.model.row_of(lacking.id), 1)).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, window.table.viewport().mapToGlobal(pos))
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        QApplication.sendEvent(window.table.viewport(), event)
    assert seen[LEARNING] == Qt.CheckState.PartiallyChecked  # one of the two has it
    assert LEARNING in window.lib.case(lacking.id).findings_added
    assert window.lib.case(having.id).findings_added == ()  # it had it: nothing to mark
    assert facet_count(window, LEARNING) == before + 1


def test_corrections_are_marked_in_the_pdf_and_the_exports(qtbot, window, tmp_path, monkeypatch):
    case = next(c for c in every_case(window) if c.chronology and c.evidence)
    finding_corrections.correct(window.lib, [case.id], LEARNING, LEARNING not in case.findings)
    case = window.lib.case(case.id)
    path = tmp_path / "case.pdf"
    write_pdf(path, [case], PrintOptions())
    text = " ".join(pages_text(path))
    fields, chronology, summary = text.index("Category"), text.index("Timeline"), text.index("Summary")
    assert fields < chronology < summary  # the chronology after the fields
    for entry in timeline(case):
        assert " ".join(entry.dates) in text[chronology:summary]
    first = " ".join(case.narrative[timeline(case)[0].start : timeline(case)[0].end].split())
    assert first[:60] in text[chronology:summary]
    assert "Corrected by a reviewer" in text[:chronology]
    evidence = next(e for e in case.evidence if e.label in case.findings)
    assert " ".join(case.passage(evidence).split())[:60] in text[:chronology]  # the PDF lists the evidence

    out = tmp_path / "results.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "JSON"))
    window.actions_by_name["json"].trigger()
    qtbot.waitUntil(out.exists, timeout=WAIT_MS)
    data = {c["id"]: c for c in json.loads(out.read_text("utf-8"))}[case.id]
    assert [e["date"] for e in data["chronology"]] == [e.date for e in case.chronology]
    assert data["findings_corrected"] == {
        "added": list(case.findings_added),
        "removed": list(case.findings_removed),
    }
    out = tmp_path / "results.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "CSV"))
    window.actions_by_name["csv"].trigger()
    qtbot.waitUntil(out.exists, timeout=WAIT_MS)
    with open(out, encoding="utf-8-sig") as f:
        row = next(r for r in csv.DictReader(f) if r["source_sha256"] == case.source_sha256)
    assert row["findings_corrected"] and row["chronology"].startswith(case.chronology[0].date)


# ----- the timeline of the results --------------------------------------------------------------


def expected_months(cases) -> Counter:
    return Counter(e.date[:7] for c in cases for e in c.chronology if e.precision != "year")


def shown_months(view) -> Counter:
    return Counter({p: n for p, n in zip(view.chart.labels, view.chart.values, strict=True) if n})


def lag_days(cases) -> list[int]:
    days = []
    for c in cases:
        start = c.incident or c.incident_date
        if start and c.published:
            days.append((c.published.start - start.start).days)
    return days


def show_timeline(qtbot, window):
    view = window.timeline
    tabs = window.views.tabBar()
    with qtbot.waitSignal(view.figures_shown, timeout=WAIT_MS):
        qtbot.mouseClick(
            tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(window.views.indexOf(view)).center()
        )
    return view


def test_the_timeline_of_the_results_follows_the_search(qtbot, window):
    view = show_timeline(qtbot, window)
    assert shown_months(view) == expected_months(every_case(window))
    days = lag_days(every_case(window))
    assert view.overview.lag_cases == len(days)
    assert view.overview.quartiles[1] == int(statistics.median(days))
    assert sum(view.overview.lag_bins) + view.overview.early == len(days)

    with qtbot.waitSignal(view.figures_shown, timeout=WAIT_MS):
        search(qtbot, window, "force:metropolitan")
    cases = every_case(window)
    assert 0 < len(cases) < 40 and all("Metropolitan" in c.force for c in cases)
    assert shown_months(view) == expected_months(cases)
    assert view.overview.lag_cases == len(lag_days(cases))
    assert "in the list" in view.summary.text()
    assert nameless(window) == []  # a screen reader names every control of the view


def test_a_middle_half_whose_ends_read_the_same_is_said_once(qtbot, window):
    view = show_timeline(qtbot, window)
    assert " took between " in view.lag_label.text()
    case = next(c for c in every_case(window) if c.reference and lag_days([c]))
    with qtbot.waitSignal(view.figures_shown, timeout=WAIT_MS):
        search(qtbot, window, f"ref:{case.reference}")
    text = view.lag_label.text()
    assert "(1 case with both dates)" in text and "half took about " in text, text
    assert " between " not in text


def test_clicking_a_month_lists_its_events_filters_to_it_and_opens_a_case(qtbot, window):
    view = show_timeline(qtbot, window)
    busiest, count = expected_months(every_case(window)).most_common(1)[0]
    index = view.periods.index(busiest)
    x = int(view.chart.bar_centre(index))
    view.chart_area.ensureVisible(x, 10)
    with qtbot.waitSignal(view.events_shown, timeout=WAIT_MS):
        qtbot.mouseClick(view.chart, Qt.MouseButton.LeftButton, pos=QPoint(x, view.chart.height() // 2))
    assert view.events.topLevelItemCount() == count
    having = {c.id for c in every_case(window) if any(e.date.startswith(busiest) for e in c.chronology)}
    listed = {view.events.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) for i in range(count)}
    assert listed == having

    with qtbot.waitSignals([window.search_finished, view.events_shown], timeout=WAIT_MS):
        qtbot.mouseClick(view.filter_button, Qt.MouseButton.LeftButton)  # the month's events stay listed
    assert f"event:{busiest}" in window.search_bar.text()
    assert view.events.topLevelItemCount() == count
    assert set(window.model.ids.tolist()) == having

    item = view.events.topLevelItem(0)
    rect = view.events.visualItemRect(item)
    qtbot.mouseClick(view.events.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double-click's
    qtbot.mouseDClick(view.events.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # events
    assert window.detail.case.id == item.data(0, Qt.ItemDataRole.UserRole)


def test_the_timeline_exports_its_months_and_each_cases_days_to_publication(
    qtbot, window, tmp_path, monkeypatch
):
    search(qtbot, window, "force:metropolitan")
    view = show_timeline(qtbot, window)
    out = tmp_path / "months.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "CSV"))
    view.export_button.menu().actions()[0].trigger()
    qtbot.waitUntil(out.exists, timeout=WAIT_MS)
    with open(out, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert Counter(
        {r["period"]: int(r["events"]) for r in rows if r["precision"] == "month"}
    ) == shown_months(view)

    out = tmp_path / "lags.csv"
    view.export_button.menu().actions()[1].trigger()
    qtbot.waitUntil(out.exists, timeout=WAIT_MS)
    with open(out, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    cases = every_case(window)
    assert sorted(int(r["days_to_publication"]) for r in rows) == sorted(lag_days(cases))
    assert {int(r["id"]) for r in rows} <= {c.id for c in cases}
    assert [int(r["days_to_publication"]) for r in rows] == sorted(
        (int(r["days_to_publication"]) for r in rows), reverse=True
    )


def test_the_search_help_explains_the_event_filter(qtbot, window):
    window.search_bar.show_help()
    assert "event:2019-03" in window.search_bar.popup.label.text()


def test_a_correction_is_undone_with_edit_undo(qtbot, window):
    case = next(c for c in every_case(window) if LEARNING not in c.findings)
    before = facet_count(window, LEARNING)
    open_case(qtbot, window, case.id)
    answer_findings(qtbot, tick=[LEARNING])
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        click_link(qtbot, window, CORRECT_LINK)
    assert facet_count(window, LEARNING) == before + 1
    undo = window.actions_by_name["undo"]
    assert undo.isEnabled() and "findings of 1 case" in undo.text()
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        undo.trigger()
    assert window.lib.case(case.id).findings == case.findings
    assert finding_corrections.decisions(window.lib, case.id) == {}
    assert facet_count(window, LEARNING) == before
