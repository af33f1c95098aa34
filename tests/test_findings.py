"""Findings read from sentences written for these tests: each kind of misreading, both ways,
and the evidence (the sentences that gave each label)."""

import pytest

from storage.reading.findings import read_findings

NO_INDICATION = "no_indication_of_misconduct"
REFERRAL = "criminal_referral"
LEARNING = "learning_recommendations"
NO_CASE = "no_case_to_answer"
MISCONDUCT = "misconduct_case_to_answer"


def labels(text: str, has_recommendations: bool = False) -> tuple[str, ...]:
    return read_findings(text, has_recommendations).labels


# ----- the standard "no indication" sentence, in word orders of its own ------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "We found no indication that any person serving with the police had behaved in a manner "
        "that would justify disciplinary proceedings.",
        "Nothing in the evidence we gathered indicated that any officer had behaved in a way that "
        "would justify the bringing of disciplinary proceedings.",
        "The evidence did not suggest that any officer or member of staff had acted in a manner "
        "justifying disciplinary proceedings.",
        "There was nothing to suggest that the officers may have breached the standards of "
        "professional behaviour.",
        "No police officer behaved in a manner which would justify disciplinary proceedings.",
        "None of the officers involved had acted in a way that would justify disciplinary proceedings.",
        "Disciplinary proceedings would not be justified for any of the officers involved.",
        "In our view there were, on the evidence, no grounds to suggest that anyone serving with "
        "the police had committed misconduct.",
        "We did not find any indication, from the accounts or the footage, that any officer "
        "should face disciplinary proceedings.",
        "The investigation found no evidence that any officer had breached the standards of "
        "professional behaviour.",
        "There was no criminal offence. Nor was there any indication that anyone had behaved in a "
        "way that would justify disciplinary proceedings.",
    ],
)
def test_no_indication_in_other_word_orders(sentence):
    assert NO_INDICATION in labels(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "There was an indication that one officer may have behaved in a manner that would justify "
        "disciplinary proceedings, and he was served with a misconduct notice.",
        "There is no indication that the force has yet put the recommendation into practice.",
        "We found no indication that the man had been assaulted while in custody.",
        "There was no indication that any officer had committed a criminal offence, but the "
        "sergeant had a case to answer for misconduct.",
        "The evidence suggested that the officer had behaved in a manner that would justify "
        "disciplinary proceedings.",
        "No officers attended the misconduct meeting on time.",
    ],
)
def test_no_indication_not_read_from_other_sentences(sentence):
    assert NO_INDICATION not in labels(sentence)


# ----- a criminal referral is about police, not about someone else -----------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "We referred a file of evidence to the Crown Prosecution Service (CPS) to decide whether "
        "the officer should be charged.",
        "After our investigation the CPS authorised a charge of dangerous driving against the police driver.",
        "A police constable was later charged by the CPS with misconduct in public office.",
        "We sent a file to the CPS, which decided not to prosecute.",
        "The sergeant was referred to the Crown Prosecution Service for a charging decision.",
    ],
)
def test_a_referral_of_police(sentence):
    assert REFERRAL in labels(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The CPS charged the man with causing death by dangerous driving.",
        "Police referred the case to the CPS, who charged the woman's former partner with murder.",
        "The driver of the car was charged by the CPS with failing to stop.",
        "The man's partner was referred to the Crown Prosecution Service and charged with assault.",
        "Officers passed a file on the suspect to the CPS, which authorised a charge of robbery.",
        "The CPS decided to charge the man who had assaulted the officer.",
        "He was later charged by the CPS with possession of a knife.",
        "The man who assaulted the officer was later charged by the CPS.",
    ],
)
def test_no_referral_read_from_a_sentence_about_someone_else(sentence):
    assert REFERRAL not in labels(sentence)


# ----- learning is what was found in this case, not what the IOPC does in general ----------------


@pytest.mark.parametrize(
    "sentence",
    [
        "We identified learning for the force about how call handlers record risk.",
        "Our investigation found organisational learning around the use of body-worn video.",
        "We made three recommendations to the force about custody checks.",
        "Recommendations were made to the force to improve its handling of missing person reports.",
        "The investigation highlighted possible learning for Kent Police about refresher training.",
        "We recommended that the force review its guidance on cell checks.",
    ],
)
def test_learning_found_in_the_case(sentence):
    assert LEARNING in labels(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "We are committed to making learning recommendations that improve policing.",
        "Making learning recommendations is an important part of our work.",
        "The findings have been shared with the force so that any learning can be taken forward.",
        "Recommendations made to forces are published on our website, along with the learning identified.",
        "Our role includes making recommendations to improve policing.",
        "We have shared our findings with the force to help it identify learning.",
        "Learning recommendations are made to improve policing and public confidence in the police "
        "complaints system.",
        "We can make learning recommendations at any stage of an investigation.",
        "Where we identify learning, we make recommendations to the force concerned.",
        "We looked at whether the investigation had identified any opportunities for learning.",
        "Our learning recommendations are intended to improve policing.",
    ],
)
def test_no_learning_read_from_boilerplate(sentence):
    assert LEARNING not in labels(sentence)


def test_no_learning_found_outweighs_boilerplate_and_a_recommendations_heading():
    text = (
        "We make learning recommendations to improve policing. The investigation did not identify "
        "any learning for the force."
    )
    assert LEARNING not in labels(text, has_recommendations=True)


# ----- "no case to answer" said of some officers while others had one ---------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "We found that one officer had a case to answer for misconduct, while the other two did not.",
        "The sergeant had a case to answer for gross misconduct; the constable did not.",
        "There was a case to answer for misconduct for PC A but not for PC B.",
        "Two officers had a case to answer for misconduct and a third had no case to answer.",
        "One officer had a case to answer for misconduct, but the other officer was not found to "
        "have a case to answer.",
        "The force agreed that none of the officers had a case to answer for use of force.",
        "Neither officer had a case to answer.",
    ],
)
def test_no_case_to_answer_for_some_officers(sentence):
    assert NO_CASE in labels(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Two officers had a case to answer for misconduct and both attended a misconduct meeting.",
        "The force agreed that the officer had a case to answer for misconduct.",
        "We will decide whether or not each officer has a case to answer.",
        "If there is no case to answer, the matter can be dealt with through reflective practice.",
        "The sergeant had a case to answer for misconduct, and did not dispute it.",
    ],
)
def test_no_case_to_answer_not_read_where_all_had_one(sentence):
    assert NO_CASE not in labels(sentence)


def test_some_had_a_case_to_answer_and_some_had_none_gives_both():
    text = "We found that one officer had a case to answer for misconduct, while the other two did not."
    assert {MISCONDUCT, NO_CASE} <= set(labels(text))


# ----- evidence --------------------------------------------------------------------------------


def test_each_label_comes_with_the_sentences_that_gave_it():
    text = (
        "On 5 May 2019 officers attended.\n\n"
        "We found no indication that any officer had behaved in a manner that would justify "
        "disciplinary proceedings. The officers were very thorough.  We identified learning for the "
        "force about radios."
    )
    found = read_findings(text)
    assert found.labels == (LEARNING, NO_INDICATION)
    quoted = {e.label: text[e.start : e.end] for e in found.evidence}
    assert quoted[NO_INDICATION].startswith("We found no indication")
    assert quoted[NO_INDICATION].endswith("disciplinary proceedings.")
    assert quoted[LEARNING] == "We identified learning for the force about radios."


def test_evidence_spans_are_offsets_in_the_text_as_written():
    # "İ" is one character that lower-cases to two: offsets must still be the text's own.
    text = "İİİİ said hello. We made two recommendations to the force. Then we left."
    found = read_findings(text)
    (evidence,) = found.evidence
    assert text[evidence.start : evidence.end] == "We made two recommendations to the force."


def test_a_recommendations_section_is_evidence_of_its_own():
    found = read_findings("Officers attended.", has_recommendations=True)
    assert found.labels == (LEARNING,)
    assert [(e.field, e.label) for e in found.evidence] == [("recommendations", LEARNING)]


def test_several_sentences_of_evidence_for_one_label():
    text = "We made one recommendation about radios. Later we made recommendations about cells."
    found = read_findings(text)
    assert [text[e.start : e.end] for e in found.evidence] == [
        "We made one recommendation about radios.",
        "Later we made recommendations about cells.",
    ]
