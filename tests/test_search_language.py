"""The search language is written once (storage/searching/syntax.py): the parser, the "?"
card, the CLI help and the README must all say the same."""

from __future__ import annotations

import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from storage.searching.query import FIELDS, Filter, parse
from storage.searching.syntax import LANGUAGE, markdown_table, plain_text

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_field_the_parser_knows_is_in_the_language_once():
    documented = [form.field for form in LANGUAGE if form.field]
    assert sorted(documented) == sorted(FIELDS)


@pytest.mark.parametrize("form", LANGUAGE, ids=lambda f: f.examples[0])
def test_every_example_parses_as_the_table_says(form):
    for example in form.examples:
        query = parse(example)
        assert query.notes == [], example  # read as written, nothing to explain away
        filters = [t for t in query.terms if isinstance(t, Filter)]
        assert [f.field for f in filters] == ([form.field] if form.field else []), example


def test_the_readme_holds_the_table():
    assert markdown_table() in README.read_text(encoding="utf-8"), (
        "README.md's search table differs from storage/searching/syntax.py; paste in:\n" + markdown_table()
    )


def test_the_cli_help_lists_the_language():
    out = subprocess.run(
        [sys.executable, "-m", "gui.cli", "search", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert plain_text() in out


def test_the_question_mark_card_lists_the_language(qtbot):
    from gui.window.search_bar import SearchBar

    bar = SearchBar()
    qtbot.addWidget(bar)
    bar.show()
    qtbot.mouseClick(bar.help_button, Qt.MouseButton.LeftButton)
    card = unescape(bar.popup.label.text())
    for form in LANGUAGE:
        assert "  ".join(form.examples) in card and form.meaning in card
    bar.popup.close()
