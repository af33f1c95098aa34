"""Notes typed in two places at once: merged so that neither loses a word, and never grow."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.keeping.notes import ELSEWHERE, merged

MARK = ELSEWHERE.split("{}")[0]


@pytest.mark.parametrize(
    "mine,theirs,base,expected",
    [
        ("Notes. Mine here.", "Notes. Theirs there.", "Notes. ", "Notes. Mine here. Theirs there."),
        ("x alpha", "x alp bra", "x alp", "x alpha bra"),  # a word typed on while the other added one
        ("Line one.\nMine.", "Line one.\nTheirs.", "Line one.\n", "Line one.\nMine. Theirs."),
        ("First. Second, too.", "First, too. Second.", "First. Second.", "First, too. Second, too."),
        ("Same", "Same", "Base", "Same"),
        ("Mine", "Base", "Base", "Mine"),
        ("Base", "Theirs", "Base", "Theirs"),
    ],
)
def test_what_each_side_added_or_changed_is_kept(mine, theirs, base, expected):
    assert merged(mine, theirs, base) == expected


def test_the_same_words_changed_both_ways_keep_both_versions():
    both = merged("He was arrested at 3pm.", "He was detained at 3pm.", "He was held at 3pm.")
    assert both.startswith("He was arrested ") and both.endswith(" at 3pm.")
    assert MARK in both and "detained" in both


def test_a_draft_without_its_base_keeps_both_texts():
    assert merged("Typed before the crash.", "Saved elsewhere.", None).count("Saved elsewhere.") == 1
    assert merged("Saved elsewhere. And more", "Saved elsewhere.", None) == "Saved elsewhere. And more"


def typists(words_a: list[str], words_b: list[str], turns: list[bool]) -> str:
    """Two windows typing into one case, saving in the order `turns` gives: each save goes over
    the notes that window last saw, as the window does it."""
    library = ""
    seen = {True: "", False: ""}
    typed = {True: "", False: ""}
    left = {True: list(words_a), False: list(words_b)}
    for side in turns:
        if not left[side]:
            continue
        typed[side] += left[side].pop(0) + " "
        library = merged(typed[side], library, seen[side])
        typed[side] = seen[side] = library
    return library


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=40))
def test_two_windows_typing_at_once_keep_every_word_once(turns):
    words_a = [f"alpha{i}" for i in range(8)]
    words_b = [f"bravo{i}" for i in range(8)]
    library = typists(words_a, words_b, turns + [True] * 8 + [False] * 8)
    found = re.findall(r"\w+", library)
    assert sorted(found) == sorted(words_a + words_b), library
    assert MARK not in library
