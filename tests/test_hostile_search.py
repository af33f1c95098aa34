"""Searches and cases meant to stall the window: any search text parses and finishes, and a
case as large as an import allows, with tens of thousands of hits, shows and steps through
its hits without being laid out again."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES, custody_case, write_case
from gui_helpers import close_window, open_window, search, top_level
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from bench.hostile import BIG_CASE_HITS, BIG_CASE_WORD, HOSTILE_QUERIES, write_big_case
from gui.window.detail_view import CURRENT_COLOUR, MARKED_AT_ONCE
from storage.errors import Cancelled
from storage.keeping.importing import import_paths
from storage.keeping.library import Library
from storage.reading.decoding import ascii_digits
from storage.searching.query import MAX_TERMS, AnyOf, parse
from storage.searching.search import case_hits, snippets
from storage.searching.search import search as find


def leaves(query) -> int:
    return sum(len(t.terms) if isinstance(t, AnyOf) else 1 for t in query.terms)


# ----- a case as large as an import allows ----------------------------------------------


@pytest.fixture(params=[True, False], ids=["in paragraphs", "in one paragraph"])
def big_window(qtbot, tmp_path, request):
    path = tmp_path / "big.casebook"
    lib = Library.open(path, create=True)
    big = write_big_case(tmp_path / "in", paragraphs=request.param)
    report = import_paths(
        lib, [str(big), str(write_case(tmp_path / "in", "small.txt", custody_case("2019/999999")))]
    )
    assert report.imported == 2
    lib.close()
    window = open_window(qtbot, path)
    yield window
    close_window(qtbot, window)


def marked(detail) -> list[tuple[str, str, int]]:
    return [
        (s.format.background().color().name(), s.cursor.selectedText(), s.cursor.selectionStart())
        for s in detail.browser.extraSelections()
    ]


def test_a_5mb_case_with_30000_hits_steps_through_them_without_being_laid_out_again(qtbot, big_window):
    window, detail = big_window, big_window.detail
    search(qtbot, window, BIG_CASE_WORD)
    big = next(
        r for r in range(window.model.rowCount()) if window.model.case_row(r).title.startswith("Death")
    )
    window.select_row(big)
    assert detail.hits == BIG_CASE_HITS
    assert detail.hit_label.text() == f"{BIG_CASE_HITS:,} hits · F3 goes to the next"
    on_screen = marked(detail)
    assert 0 < len(on_screen) <= MARKED_AT_ONCE  # only the hits on and near the screen
    assert {word.lower() for _, word, _ in on_screen} == {BIG_CASE_WORD}

    changes = []
    detail.browser.document().contentsChange.connect(lambda *args: changes.append(args))
    for _ in range(10):
        qtbot.keyClick(window, Qt.Key.Key_F3)
    assert detail.hit_label.text() == f"Hit 10 of {BIG_CASE_HITS:,}"
    qtbot.keyClick(window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert detail.hit_label.text() == f"Hit 9 of {BIG_CASE_HITS:,}"
    for number in (BIG_CASE_HITS // 2, BIG_CASE_HITS - 1):  # far down the case: laid out as needed
        detail.go_to_hit(number)
        current = [(word, at) for colour, word, at in marked(detail) if colour == CURRENT_COLOUR.name()]
        assert current == [(BIG_CASE_WORD, detail.hit_span(number)[0])]
        assert detail.browser.textCursor().position() == detail.hit_span(number)[0]
        assert detail.browser.viewport().rect().contains(detail.browser.cursorRect().center())  # on screen
    assert changes == []  # F3 never laid the case out again


# ----- any search text ------------------------------------------------------------------


def test_repeated_terms_are_searched_once_and_at_most_max_terms_are_used():
    query = parse("the " * 250)
    assert len(query.terms) == 1 and "Words repeated in the search were searched once." in query.explain()
    query = parse(" OR ".join(["a"] * 200))
    assert len(query.terms) == 1 and query.terms[0].value == "a"
    query = parse(" ".join(f"w{i}" for i in range(100)))
    assert leaves(query) == MAX_TERMS
    assert (
        f"A search uses at most {MAX_TERMS} words and filters, so the rest were left out." in query.explain()
    )
    query = parse(" OR ".join(f"w{i}" for i in range(100)) + " police")
    assert leaves(query) == MAX_TERMS
    assert len(parse("Police police POLICE").terms) == 1


def test_every_hostile_search_parses_runs_and_makes_hits_and_snippets(library):
    count = library.case_count()
    for text in HOSTILE_QUERIES:
        result = find(library, text)
        assert leaves(result.query) <= MAX_TERMS, text
        assert result.explain()
        ids = [int(i) for i in result.ids[:20]]
        snippets(library, ids, result.query)
        for case_id in ids[:2]:
            case_hits(library, case_id, result.query)
    assert library.case_count() == count


@pytest.mark.parametrize(
    "text, says",
    [
        ("batch:²", "batch:² is not an import number."),
        ("batch:99999999999999999999999", "is not an import number."),
        ("published:2019-99999999999999999999", "is not a date such as 2019"),
        ("published:99999999999999999999-1", "is not a date such as 2019"),
        ("published:2019-13", "is not a date such as 2019"),
        ("year:²⁰¹⁹", "is not a year such as 2016"),
        ("ref:²", "is not an IOPC reference"),
    ],
)
def test_filter_values_that_are_not_numbers_say_so_and_find_nothing(library, text, says):
    result = find(library, text)
    assert result.total == 0
    assert any(says in note for note in result.explain()), result.explain()


def test_numbers_in_other_scripts_are_read_as_numbers(new_library, tmp_path):
    arabic = custody_case("٢٠١٦/٠٧٠٨٢٩").replace("May 2019", "May ٢٠١٩")
    import_paths(new_library, [str(write_case(tmp_path, "arabic.txt", arabic))])
    case = new_library.case(1)
    assert case.reference == "2016/070829"
    assert case.incident.start.year == 2019 and case.incident.text == "May ٢٠١٩"  # as written
    for text in ("ref:2016/070829", "ref:٢٠١٦/٠٧٠٨٢٩", "ref:٢٠١٦", "year:٢٠١٩", "published:٢٠٢٠"):
        assert find(new_library, text).total == 1, text
    assert new_library.find_case("٢٠١٦/٠٧٠٨٢٩").id == 1
    assert new_library.find_case("²") is None


def test_digits_of_every_script_become_ascii_one_for_one_and_nothing_else_changes():
    text = "“Case” ٢٠١٦/٠٧٠٨٢٩, ２０１９ – १२ May, x² ⅷ 2016"
    assert ascii_digits(text) == "“Case” 2016/070829, 2019 – 12 May, x² ⅷ 2016"


def test_a_cancelled_search_stops_and_the_library_goes_on(library):
    with pytest.raises(Cancelled):
        find(library, "custody OR police", cancelled=lambda: True)
    asked = []

    def not_yet() -> bool:
        asked.append(True)
        return False

    assert find(library, "custody", cancelled=not_yet).total > 0
    assert asked  # asked as it went
    assert find(library, "custody").total == find(library, "custody", cancelled=lambda: False).total


def test_a_search_the_index_cannot_answer_in_its_time_stops_and_says_so(library):
    result = find(library, "custody", budget=0)
    assert result.total == 0
    stopped = "The search was stopped: the index would need more than 0 ms"
    assert any(note.startswith(stopped) for note in result.explain())
    assert find(library, "custody").total > 0  # with the time it has


def test_a_word_start_standing_for_too_many_uses_of_words_is_stopped_before_it_starts(library, monkeypatch):
    """FTS5 gathers every word a start stands for before SQLite can stop it ("the*": 150 ms at
    100,000 cases), so the library's word counts decide first."""
    import storage.searching.search as s

    uses = dict(library.conn.execute("SELECT term, uses FROM term_counts WHERE term LIKE 'arr%'"))
    assert len(uses) > 1  # arrest, arrive…
    monkeypatch.setattr(s, "WORD_START_USES", sum(uses.values()) - 1)
    stopped = find(library, "arr*")
    assert stopped.total == 0 and any("stopped" in note for note in stopped.explain())
    assert find(library, "officer OR arr*").total == 0  # inside an OR too
    assert find(library, "arrest").total > 0  # a word is not a start
    monkeypatch.setattr(s, "WORD_START_USES", sum(uses.values()))
    assert find(library, "arr*").total > 0


def test_odd_filters_typed_in_the_window_give_a_note_not_an_error(qtbot, tmp_path, library):
    window = open_window(qtbot, library.path)
    try:
        for text in ("batch:²", "published:2019-99999999999999999999", "published:99999999999999999999-1"):
            search(qtbot, window, text)
            assert top_level(QMessageBox) is None
            assert "is not" in window.note_label.text()
        search(qtbot, window, "police " * 60 + " ".join(f"w{i}" for i in range(40)))
        window.search_bar.show_help()
        reading = window.search_bar.popup.label.text()
        assert "searched once" in reading and f"at most {MAX_TERMS} words" in reading
        window.search_bar.popup.close()
    finally:
        close_window(qtbot, window)


def test_word_starts_are_searched_in_a_library_older_than_the_word_counts(tmp_path):
    """A library of schema 1 on a disk Casebook cannot write is read as it is, without the
    word counts: a word start was a traceback there."""
    old = tmp_path / "v1.casebook"
    shutil.copy(FIXTURES / "libraries" / "v1.casebook", old)
    with Library.open(old, read_only=True) as lib:
        assert find(lib, "tase*").total == find(lib, "tasered").total > 0
