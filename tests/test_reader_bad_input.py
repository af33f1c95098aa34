"""Files that are not summaries: each gets a specific reason, never an exception."""

import os

import pytest
from conftest import BAD, write_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.reading.reader import INTERNAL_ERROR, read_case, read_file

EXPECTED_REASONS = {
    "empty.txt": "The file is empty.",
    "only-blank-lines.txt": "no text",
    "binary-noise.txt": "binary data",
    "pdf-renamed.txt": "PDF document",
    "word-document.txt": "Word (DOCX)",
    "image.txt": "PNG image",
    "web-page.txt": "web page (HTML)",
    "shopping-list.txt": "does not look like a case summary",
    "title-less.txt": "does not look like a case summary",
    "nul-mostly.txt": "binary data",
}


def test_the_bad_corpus_is_all_here():
    assert sorted(os.listdir(BAD)) == sorted(EXPECTED_REASONS)


@pytest.mark.parametrize("name,reason", sorted(EXPECTED_REASONS.items()))
def test_bad_file_is_rejected_with_its_reason(name, reason):
    result = read_file(str(BAD / name))
    assert not result.ok
    assert reason in result.reason


def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.write(b"Man dies - Kent Police, May 2019\n\n")
        f.seek(50 * 1024 * 1024)
        f.write(b"end\n")
    result = read_file(str(path))
    assert not result.ok
    assert "too large" in result.reason and "50.0 MB" in result.reason


def test_a_folder_given_as_a_file(tmp_path):
    result = read_file(str(tmp_path))
    assert not result.ok and "folder" in result.reason


def test_missing_file(tmp_path):
    result = read_file(str(tmp_path / "gone.txt"))
    assert not result.ok and "could not be opened" in result.reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file(tmp_path):
    path = write_case(tmp_path, "locked.txt", "x")
    path.chmod(0)
    result = read_file(str(path))
    assert not result.ok and "permission" in result.reason


def check_outcome(result):
    """A record with a title, or a rejection with a sentence: nothing else."""
    if result.ok:
        assert result.record.title.strip()
        assert result.reason is None
    else:
        assert result.record is None
        assert result.reason != INTERNAL_ERROR, "the reader crashed (see the log)"
        assert result.reason and result.reason.endswith(".")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_any_bytes_give_a_record_or_a_reason(data):
    check_outcome(read_case(data, "fuzz.txt"))


SHAPES = st.sampled_from(
    [
        "Man dies - Kent Police, May 2019",
        "Published 08 Oct 2018",
        "Published: ",
        "Investigation",
        "IOPC reference",
        "2016/070829",
        "Tags",
        "  • Kent Police",
        "Recommendations",
        "Date of recommendation",
        "On 27 July 2016, officers attended.",
        "We found no indication of misconduct or a criminal offence.",
        "",
        " - , ",
        "February and March 2018",
        "\u2013",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(SHAPES, st.text(max_size=80)), max_size=30),
    st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_any_arrangement_of_summary_lines_reads_cleanly(lines, encoding):
    text = "\n".join(lines)
    data = text.encode(encoding, errors="replace")
    check_outcome(read_case(data, "fuzz.txt"))


# Hostile shapes that took the reader minutes (time grew with the square of the size):
# each now reads in a fraction of a second.
HEAD = "Custody death - Kent Police, May 2019\n\nPublished 08 Oct 2020\nInvestigation\n\n"


def test_a_long_line_of_finding_words_without_a_full_stop(tmp_path):
    path = write_case(tmp_path, "line.txt", HEAD + "misconduct case to answer police " * 20_000)
    result = read_file(str(path))
    assert result.record.findings == ("misconduct_case_to_answer",)
    assert len(result.record.narrative) > 600_000


def test_a_hundred_thousand_bullet_tags(tmp_path):
    tags = "".join(f"  • Tag {i}\n" for i in range(100_000)) + "  • Tag 0\n  • Tag 1\n"
    path = write_case(tmp_path, "tags.txt", HEAD + "A man died.\n\nIOPC reference\n\n2019/123456\n\n" + tags)
    record = read_file(str(path)).record
    assert len(record.source_tags) == 100_000
    assert record.source_tags[:2] == ("Tag 0", "Tag 1") and record.source_tags[-1] == "Tag 99999"


def test_two_hundred_thousand_lines_broken_mid_sentence(tmp_path):
    path = write_case(tmp_path, "wrapped.txt", HEAD + "".join(f"word{i}\n" for i in range(200_000)))
    narrative = read_file(str(path)).record.narrative
    assert "\n" not in narrative and narrative.endswith("word199999")
