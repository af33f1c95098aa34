"""The layout variants real summaries use (docs/ARCHITECTURE.md), each written to disk as
real bytes and read back."""

import unicodedata

import pytest
from conftest import write_case

from storage.reading.reader import read_file

BASE = """Response to a call about a missing teenager - Dyfed-Powys Police, July 2016

Published 08 Oct 2018
Investigation

On 27 July 2016, a call handler graded a call about a missing teenager as routine. \
The teenager’s mother said she paid £40 for a taxi to look for him.

We found no indication that any officer had behaved in a way that would justify disciplinary proceedings.

IOPC reference

2016/070829
"""


def read(tmp_path, text, name="case.txt", encoding="utf-8"):
    result = read_file(str(write_case(tmp_path, name, text, encoding)))
    assert result.ok, result.reason
    return result.record


def codes(record):
    return {w.code for w in record.warnings}


def test_the_usual_shape(tmp_path):
    c = read(tmp_path, BASE)
    assert c.title.startswith("Response to a call")
    assert c.subject == "Response to a call about a missing teenager"
    assert c.force == "Dyfed-Powys Police"
    assert c.incident.month_iso() == "2016-07"
    assert c.published.day_iso() == "2018-10-08"
    assert c.category == "Investigation"
    assert c.reference == "2016/070829"
    assert c.incident_date.day_iso() == "2016-07-27"
    assert c.findings == ("no_indication_of_misconduct",)
    assert c.narrative.startswith("On 27 July 2016")
    assert "£40" in c.narrative and "teenager’s" in c.narrative
    assert codes(c) == set()


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"], ids=["utf8", "utf8-bom", "utf16-bom", "cp1252"]
)
def test_encodings_read_the_same_text(tmp_path, encoding):
    c = read(tmp_path, BASE, encoding=encoding)
    assert "teenager’s mother" in c.narrative
    assert "£40" in c.narrative
    assert c.reference == "2016/070829"
    assert ("encoding" in codes(c)) == (encoding == "cp1252")


def test_a_windows_1252_file_with_a_byte_it_leaves_undefined_keeps_its_quotes(tmp_path):
    """Saved on Windows, with one stray byte (0x81): the file was read as Latin-1, and every
    curly quote became an invisible control character."""
    text = BASE.replace("teenager’s mother", "“teenager’s” STRAY mother")
    path = tmp_path / "case.txt"
    path.write_bytes(text.encode("cp1252").replace(b"STRAY", b"\x81"))
    c = read_file(str(path)).record
    assert "“teenager’s” \ufffd mother" in c.narrative
    assert {"encoding", "bad_characters"} <= codes(c)


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_endings(tmp_path, newline):
    c = read(tmp_path, BASE.replace("\n", newline))
    assert c.published.day_iso() == "2018-10-08"
    assert c.reference == "2016/070829"
    assert "\r" not in c.narrative


def test_trailing_spaces_and_blank_lines_anywhere(tmp_path):
    text = "\n\n   \n" + "\n".join(line + "   " for line in BASE.splitlines()) + "\n \n\n\n"
    text = text.replace("Investigation   \n", "Investigation   \n\n\n    \n")
    c = read(tmp_path, text)
    assert c.force == "Dyfed-Powys Police"
    assert c.category == "Investigation"
    assert c.reference == "2016/070829"
    assert c.narrative.count("\n\n") == 1


def test_published_with_colon_and_long_month(tmp_path):
    c = read(tmp_path, BASE.replace("Published 08 Oct 2018", "Published: 8 October 2018"))
    assert c.published.day_iso() == "2018-10-08"


def test_iso_published_date_is_not_read_day_first(tmp_path):
    c = read(tmp_path, BASE.replace("Published 08 Oct 2018", "Published 2024-03-01"))
    assert c.published.day_iso() == "2024-03-01"


def test_unreadable_published_date_is_a_warning(tmp_path):
    c = read(tmp_path, BASE.replace("Published 08 Oct 2018", "Published sometime last year"))
    assert c.published is None
    assert "bad_date" in codes(c)


def test_ipcc_reference(tmp_path):
    c = read(tmp_path, BASE.replace("IOPC reference", "IPCC reference"))
    assert c.reference == "2016/070829"


def test_reference_on_the_label_line(tmp_path):
    c = read(tmp_path, BASE.replace("IOPC reference\n\n2016/070829", "IOPC reference: 2016/070829"))
    assert c.reference == "2016/070829"


def test_reference_label_without_number(tmp_path):
    c = read(tmp_path, BASE.replace("\n2016/070829\n", "\n"))
    assert c.reference is None
    assert "no_reference" in codes(c)
    assert "label has no number" in " ".join(w.message for w in c.warnings)


def test_missing_reference_block(tmp_path):
    c = read(tmp_path, BASE.split("IOPC reference")[0])
    assert c.reference is None
    assert "No IOPC reference" in " ".join(w.message for w in c.warnings)


def test_missing_category_line(tmp_path):
    c = read(tmp_path, BASE.replace("Investigation\n", ""))
    assert c.category is None
    assert c.narrative.startswith("On 27 July 2016")


def test_title_without_force_or_month(tmp_path):
    c = read(tmp_path, BASE.replace(" - Dyfed-Powys Police, July 2016", ""))
    assert c.title == "Response to a call about a missing teenager"
    assert c.force is None and c.incident is None
    assert {"no_force", "no_period"} <= codes(c)


def test_title_without_force_but_with_month(tmp_path):
    c = read(tmp_path, BASE.replace(" - Dyfed-Powys Police, July 2016", ", July 2016"))
    assert c.force is None
    assert c.incident.month_iso() == "2016-07"


def test_title_without_month(tmp_path):
    c = read(tmp_path, BASE.replace(", July 2016", ""))
    assert c.force == "Dyfed-Powys Police"
    assert c.incident is None


@pytest.mark.parametrize(
    "force",
    ["Avon and Somerset Constabulary", "Devon and Cornwall Police", "Police Service of Northern Ireland"],
)
def test_forces_with_and(tmp_path, force):
    c = read(tmp_path, BASE.replace("Dyfed-Powys Police", force))
    assert c.force == force


def test_force_with_a_comma(tmp_path):
    force = "Bedfordshire Police, Cambridgeshire Constabulary and Hertfordshire Constabulary"
    c = read(tmp_path, BASE.replace("Dyfed-Powys Police", force))
    assert c.force == force
    assert c.incident.month_iso() == "2016-07"


@pytest.mark.parametrize("dash", ["–", "—"])
def test_en_and_em_dash_before_the_force(tmp_path, dash):
    c = read(tmp_path, BASE.replace(" - Dyfed", f" {dash} Dyfed"))
    assert c.subject == "Response to a call about a missing teenager"
    assert c.force == "Dyfed-Powys Police"


def test_subject_with_its_own_dash(tmp_path):
    c = read(tmp_path, BASE.replace("Response to a call", "Grade 2 - Priority call"))
    assert c.subject == "Grade 2 - Priority call about a missing teenager"
    assert c.force == "Dyfed-Powys Police"


@pytest.mark.parametrize(
    "written,start,end,month",
    [
        ("February and March 2018", "2018-02-01", "2018-03-31", None),
        ("February–March 2018", "2018-02-01", "2018-03-31", None),
        ("February – March 2018", "2018-02-01", "2018-03-31", None),
        ("December 2017 to January 2018", "2017-12-01", "2018-01-31", None),
        ("2019", "2019-01-01", "2019-12-31", None),
        ("Sept 2019", "2019-09-01", "2019-09-30", "2019-09"),
    ],
)
def test_title_periods(tmp_path, written, start, end, month):
    c = read(tmp_path, BASE.replace("July 2016", written))
    assert c.force == "Dyfed-Powys Police"
    assert c.incident.text == written
    assert (c.incident.start.isoformat(), c.incident.end.isoformat()) == (start, end)
    assert c.incident.month_iso() == month


def test_two_forces_in_the_title(tmp_path):
    two = "Metropolitan Police Service and British Transport Police"
    c = read(tmp_path, BASE.replace("Dyfed-Powys Police", two))
    assert c.force == two


def test_single_newlines_between_paragraphs(tmp_path):
    text = (
        "Man injured while being arrested - Avon and Somerset Constabulary, January 2018\n"
        "At 00.14am on 31 January 2018, officers went to a service station.\n"
        "Officers arrested both men.\n"
        "We found no indication that any officer had committed a criminal offence.\n"
    )
    c = read(tmp_path, text)
    assert c.published is None and c.category is None
    assert c.narrative.split("\n\n") == [
        "At 00.14am on 31 January 2018, officers went to a service station.",
        "Officers arrested both men.",
        "We found no indication that any officer had committed a criminal offence.",
    ]
    assert c.incident_date.day_iso() == "2018-01-31"


def test_hard_wrapped_lines_are_joined(tmp_path):
    text = BASE.replace(
        "a call handler graded a call about a missing teenager as routine.",
        "a call handler graded a call\nabout a missing teenager as\nroutine.",
    )
    c = read(tmp_path, text)
    assert "graded a call about a missing teenager as routine." in c.narrative


@pytest.mark.parametrize("layout", ["\x0b\x0c", "\x0c", "\x0b"], ids=["both", "form-feed", "vertical-tab"])
def test_a_form_feed_or_vertical_tab_inside_the_title_is_a_space(tmp_path, layout):
    c = read(tmp_path, BASE.replace("a missing teenager -", f"a missing {layout} teenager -", 1))
    assert c.title == "Response to a call about a missing teenager - Dyfed-Powys Police, July 2016"
    assert c.subject == "Response to a call about a missing teenager"
    assert "furniture" not in codes(c)


def test_page_breaks_of_text_taken_from_a_pdf(tmp_path):
    """PDF text puts a form feed at the start of each page's first line, or alone on a line:
    the line break beside it ends the line, and a sentence that runs on to the next page is
    joined like any other line broken mid-sentence."""
    text = (
        BASE.replace("\nPublished", "\n\x0cPublished")
        .replace("missing teenager as routine.", "missing\n\x0cteenager as routine.")
        .replace("\n\nWe found", "\n\x0c\nWe found")
        + "\x0c"
    )
    c = read(tmp_path, text)
    assert c.published.day_iso() == "2018-10-08" and c.category == "Investigation"
    assert c.narrative.split("\n\n") == [
        "On 27 July 2016, a call handler graded a call about a missing teenager as routine. "
        "The teenager’s mother said she paid £40 for a taxi to look for him.",
        "We found no indication that any officer had behaved in a way that would justify "
        "disciplinary proceedings.",
    ]
    assert c.reference == "2016/070829"


def test_web_page_furniture_above_and_below(tmp_path):
    text = (
        "Skip to main content\nIndependent Office for Police Conduct\nMenu\n"
        "Home > Our work > Learning > Investigation summaries\n\n"
        + BASE
        + "\nShare this page\nBack to top\n© IOPC 2024\n"
    )
    c = read(tmp_path, text)
    assert c.title.startswith("Response to a call")
    assert c.reference == "2016/070829"
    assert "Share" not in c.narrative
    assert "furniture" in codes(c)
    assert "trailing_text" not in codes(c)


def test_site_name_after_the_title(tmp_path):
    c = read(tmp_path, BASE.replace("July 2016\n", "July 2016 | IOPC\n", 1))
    assert c.force == "Dyfed-Powys Police"
    assert c.incident.month_iso() == "2016-07"


def test_truncated_last_sentence(tmp_path):
    c = read(tmp_path, BASE.split("We found no")[0] + "We found no indic")
    assert "truncated" in codes(c)
    assert c.narrative.endswith("We found no indic")


def test_complete_text_is_not_called_truncated(tmp_path):
    assert "truncated" not in codes(read(tmp_path, BASE))


def test_first_dated_event_after_a_clock_time(tmp_path):
    c = read(tmp_path, BASE.replace("On 27 July 2016,", "At 7.19pm on 3 November 2017,"))
    assert c.incident_date.day_iso() == "2017-11-03"


def test_month_only_dates_are_not_incident_dates(tmp_path):
    c = read(tmp_path, BASE.replace("On 27 July 2016,", "In September 2020,"))
    assert c.incident_date is None


def test_recommendation_page_is_a_learning_case(tmp_path):
    text = (
        "Recommendation - Northumbria Police, March 2022\n\nPublished 23 Nov 2022\nLearning\n\n"
        "Organisational learning was found after a complaint was reviewed.\n\n"
        "IOPC reference\n\nRecommendations\n\nThe IOPC recommends that the force reviews its policy.\n\n"
        "Accepted:\nThe force has reviewed its policy.\n\nTags\n  • Northumbria Police\n  • Custody\n"
    )
    c = read(tmp_path, text)
    assert c.kind == "learning"
    assert c.category == "Learning"
    assert c.narrative == "Organisational learning was found after a complaint was reviewed."
    assert "The IOPC recommends" in c.recommendations and "Accepted:" in c.recommendations
    assert c.source_tags == ("Northumbria Police", "Custody")
    assert "learning_recommendations" in c.findings


def test_bullet_tags_without_a_heading(tmp_path):
    c = read(tmp_path, BASE + "\n  • Dyfed-Powys Police\n  • Death and serious injury\n")
    assert c.source_tags == ("Dyfed-Powys Police", "Death and serious injury")


def test_utf16_without_bom_is_sniffed(tmp_path):
    c = read(tmp_path, BASE.encode("utf-16-le"))
    assert c.force == "Dyfed-Powys Police"
    assert "encoding" in codes(c)


def test_a_few_nul_bytes_are_dropped_with_a_warning(tmp_path):
    c = read(tmp_path, BASE.encode() + b"\x00\x00\x00\x00")
    assert c.reference == "2016/070829"
    assert "nul_bytes" in codes(c)


def test_decomposed_unicode_is_normalised(tmp_path):
    c = read(tmp_path, BASE.replace("missing teenager", "missing cafe\u0301 owner"))
    assert "café owner" in c.title


def test_a_title_under_hundreds_of_stacked_accents_is_still_the_title(tmp_path):
    """ "Zalgo" text: 400 combining marks on the eight letters of a word. Marks take no place
    of their own, so the line shows a title's length, not that of a paragraph."""
    zalgo = "".join(letter + "\u0336\u0321\u0334\u0358\u0489" * 10 for letter in "teenager")
    c = read(tmp_path, BASE.replace("missing teenager -", f"missing {zalgo} -", 1))
    # read as NFC, which puts each letter's marks in their canonical order
    assert c.subject == unicodedata.normalize("NFC", f"Response to a call about a missing {zalgo}")
    assert c.force == "Dyfed-Powys Police" and c.incident.month_iso() == "2016-07"
    assert codes(c) == set()


def test_title_less_file_with_case_signals_takes_the_file_name(tmp_path):
    text = (
        "On 3 May 2019 a man was arrested by police and taken to a cell.\n\n"
        "Published 08 Oct 2020\n\nIOPC reference\n\n2019/123456\n"
    )
    c = read(tmp_path, text, name="kent_custody-death.txt")
    assert c.title == "kent custody death"
    assert c.reference == "2019/123456"
    assert c.published.day_iso() == "2020-10-08"
    assert "Published" not in c.narrative
    assert c.incident_date.day_iso() == "2019-05-03"
    assert "no_title" in codes(c) and "no_published" not in codes(c)


def test_published_as_the_first_line_is_not_the_title(tmp_path):
    text = BASE.split("\n", 2)[2]  # from "Published 08 Oct 2018" on
    c = read(tmp_path, text, name="missing_teenager.txt")
    assert c.title == "missing teenager" and "no_title" in codes(c)
    assert c.published.day_iso() == "2018-10-08"
    assert c.category == "Investigation"
    assert c.narrative.startswith("On 27 July 2016")


@pytest.mark.parametrize(
    "between",
    [
        "Facebook\nTwitter\nLinkedIn",
        "Last updated 09 Oct 2018",
        "A call about a missing teenager was graded as routine",
        "Police were told about the teenager on the day he went missing.",
    ],
    ids=["social", "last-updated", "a-line", "a-sentence"],
)
def test_lines_between_the_title_and_published(tmp_path, between):
    c = read(tmp_path, BASE.replace("\n\nPublished", f"\n{between}\nPublished"))
    assert c.published.day_iso() == "2018-10-08"
    assert c.category == "Investigation"
    assert c.incident_date.day_iso() == "2016-07-27"
    assert "Published" not in c.narrative and "Last updated" not in c.narrative
    assert "Facebook" not in c.narrative
    assert "no_published" not in codes(c)


def test_last_updated_after_published_is_not_the_narrative(tmp_path):
    c = read(tmp_path, BASE.replace("Oct 2018\n", "Oct 2018\nLast updated 09 Oct 2018\n"))
    assert c.published.day_iso() == "2018-10-08"
    assert c.category == "Investigation"
    assert c.narrative.startswith("On 27 July 2016")


@pytest.mark.parametrize("heading", ["Background", "Summary", "Findings", "Outcome"])
def test_a_section_heading_is_not_the_category(tmp_path, heading):
    c = read(tmp_path, BASE.replace("Investigation\n", f"\n{heading}\n"))
    assert c.category is None
    assert c.published.day_iso() == "2018-10-08"
    assert c.narrative.startswith(heading)


def test_a_title_below_more_than_a_window_of_page_furniture(tmp_path):
    furniture = "".join(f"{name}\n" for name in ("About us", "News", "Our work", "Contact") * 20)
    c = read(tmp_path, furniture + BASE)
    assert c.force == "Dyfed-Powys Police"
    assert c.title.startswith("Response to a call")
    assert c.published.day_iso() == "2018-10-08"


@pytest.mark.parametrize(
    "sentence,label",
    [
        (
            "We did not, however, find grounds for bringing disciplinary proceedings.",
            "no_indication_of_misconduct",
        ),
        (
            "The officer was referred to the Crown Prosecution Service for a charging decision.",
            "criminal_referral",
        ),
        ("A file was passed to the CPS, which decided to charge the officer.", "criminal_referral"),
        ("There was a case to answer for gross misconduct.", "gross_misconduct_case_to_answer"),
        ("The panel found there was no case to answer for the officer.", "no_case_to_answer"),
        ("No officers were found to have a case to answer.", "no_case_to_answer"),
        ("A misconduct meeting was held in March 2019.", "misconduct_case_to_answer"),
        ("A gross misconduct hearing was held in May 2019.", "gross_misconduct_case_to_answer"),
        ("We recommended that the force review its guidance on cell checks.", "learning_recommendations"),
        (
            "There was no case to answer for gross misconduct but a case to answer for misconduct.",
            "misconduct_case_to_answer",
        ),
        (
            "The sergeant had no case to answer for gross misconduct; the constable had a case to "
            "answer for misconduct.",
            "misconduct_case_to_answer",
        ),
    ],
)
def test_finding_sentences(tmp_path, sentence, label):
    c = read(
        tmp_path,
        BASE.replace(
            "We found no indication that any officer had behaved", sentence + " Officers had behaved"
        ),
    )
    assert label in c.findings


@pytest.mark.parametrize(
    "sentence,label",
    [
        ("No recommendations were made.", "learning_recommendations"),
        ("No officers were found to have a case to answer for misconduct.", "misconduct_case_to_answer"),
        (
            "There was no case to answer for gross misconduct but a case to answer for misconduct.",
            "gross_misconduct_case_to_answer",
        ),
        (
            "There was no case to answer for misconduct, but the officer will be given advice.",
            "misconduct_case_to_answer",
        ),
    ],
)
def test_sentences_that_do_not_state_a_finding(tmp_path, sentence, label):
    c = read(tmp_path, BASE.replace("We found no indication", sentence + " We found no indication"))
    assert label not in c.findings


def test_a_finding_word_outside_its_sentence_does_not_count(tmp_path):
    finding = "We found no indication that any officer had behaved in a way that would justify disciplinary"
    text = BASE.replace(finding, "The Crown Prosecution Service was mentioned. Nobody was referred anywhere;")
    assert read(tmp_path, text).findings == ()


def test_a_recommendations_heading_before_the_reference(tmp_path):
    text = BASE.replace(
        "IOPC reference", "Learning recommendations\n\nThe force should review its policy.\n\nIOPC reference"
    )
    c = read(tmp_path, text)
    assert c.reference == "2016/070829"
    assert c.recommendations == "The force should review its policy."
    assert "learning_recommendations" in c.findings
    assert "no_reference" not in codes(c)


def test_month_and_year_split_by_a_comma(tmp_path):
    c = read(tmp_path, BASE.replace("July 2016", "July, 2016"))
    assert c.force == "Dyfed-Powys Police"
    assert c.incident.month_iso() == "2016-07"


def test_a_bar_before_the_force_is_not_a_site_name(tmp_path):
    c = read(tmp_path, BASE.replace(" - Dyfed", " | Dyfed"))
    assert c.subject == "Response to a call about a missing teenager"
    assert c.force == "Dyfed-Powys Police"
    assert c.incident.month_iso() == "2016-07"


def test_an_em_dash_without_spaces_before_the_force(tmp_path):
    c = read(tmp_path, BASE.replace(" - Dyfed", "—Dyfed"))
    assert c.subject == "Response to a call about a missing teenager"
    assert c.force == "Dyfed-Powys Police"


@pytest.mark.parametrize("time", [", 10:32am", " 10.32", " at 9am", ", 14:05"])
def test_a_time_after_the_published_date(tmp_path, time):
    c = read(tmp_path, BASE.replace("Published 08 Oct 2018", f"Published 8 Oct 2018{time}"))
    assert c.published.day_iso() == "2018-10-08"
    assert "bad_date" not in codes(c)


def test_a_reference_number_with_a_note_after_it(tmp_path):
    c = read(tmp_path, BASE.replace("2016/070829", "2016/070829 (formerly IPCC reference 2015/012345)"))
    assert c.reference == "2016/070829"
    assert "trailing_text" not in codes(c)


@pytest.mark.parametrize(
    "written,first,text",
    [
        ("On 5 and 6 May 2019,", "2019-05-05", "5 and 6 May 2019"),
        ("On 5th and 6th May 2019,", "2019-05-05", "5th and 6th May 2019"),
        ("Between 5–6 May 2019,", "2019-05-05", "5–6 May 2019"),
        ("Between 5 May and 6 June 2019,", "2019-05-05", "5 May and 6 June 2019"),
        ("From 30 December to 2 January 2019,", "2018-12-30", "30 December to 2 January 2019"),
        ("On 12 and 6 May 2019,", "2019-05-06", "6 May 2019"),
        ("Officers 1 and 2 went there on 6 May 2019,", "2019-05-06", "6 May 2019"),
    ],
)
def test_the_first_day_of_a_range_is_the_incident_date(tmp_path, written, first, text):
    c = read(tmp_path, BASE.replace("On 27 July 2016,", written))
    assert c.incident_date.day_iso() == first
    assert c.incident_date.text == text


def test_a_title_without_force_above_blank_lines_and_published(tmp_path):
    text = BASE.replace(" - Dyfed-Powys Police, July 2016\n", "\n\n\n\n")
    text = text.replace("Investigation\n", "Summary\n").replace("We found no", "Findings\n\nWe found no")
    c = read(tmp_path, text)
    assert c.title == "Response to a call about a missing teenager"
    assert c.published.day_iso() == "2018-10-08"
    assert c.narrative.startswith("Summary")


def test_a_dash_typed_against_the_subject_still_separates_the_force(tmp_path):
    c = read(tmp_path, BASE.replace("missing teenager - Dyfed", "missing teenager– Dyfed"))
    assert c.subject == "Response to a call about a missing teenager"
    assert c.force == "Dyfed-Powys Police"
