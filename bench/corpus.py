"""A deterministic synthetic corpus of case summaries, shaped like the real files.

The benchmarks need 1,000 to 100,000 summaries, and real ones are not available
in that number. These follow the layout of `cases/real/` and `cases/seeds/`:
a title "<subject> - <force>, <Month YYYY>", "Published DD Mon YYYY", an optional
"Investigation" line, paragraphs, "IOPC reference" and a number, optional tags;
with the variants the reader must cope with (no category line, no reference
number, single newlines, en dashes, learning "Recommendation" pages).

The text mixes sentences written like real summaries (so phrases such as "risk
assessment" and the outcome sentences occur in realistic proportions) with
filler drawn from a Zipf-like vocabulary of common English, police words and
pseudo-words, so that "police" is in nearly every file and some words are
rare. Each file has its own random stream (seed, index), so the same seed gives
byte-identical files and a smaller corpus is a prefix of a larger one. A
manifest written beside the folder, last, marks a complete corpus for reuse.
"""

from __future__ import annotations

import calendar
import functools
import itertools
import json
import math
import multiprocessing
import os
import random
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

VERSION = 3  # bump when the generated text changes, so cached corpora are rebuilt
FILES_PER_FOLDER = 1000
POOL_SENTENCES = 200_000
VOCAB_SEED = 20_261_123  # the vocabulary is the same whatever the corpus seed
RARE_SHARE = 0.001  # the "rare word" for the benchmark is in about this share of files
FIRST_YEAR, LAST_YEAR = 2012, 2025
LAST_MONTH = LAST_YEAR * 12 + 11  # December 2025, counted in months

# Territorial forces of England and Wales, and other bodies the IOPC oversees, weighted by size.
FORCES = {
    "Metropolitan Police Service": 12, "Greater Manchester Police": 5, "West Midlands Police": 5,
    "West Yorkshire Police": 4, "Merseyside Police": 3, "Thames Valley Police": 3, "Kent Police": 2.5,
    "Essex Police": 2.5, "Lancashire Constabulary": 2.5, "Hampshire and Isle of Wight Constabulary": 2.5,
    "South Yorkshire Police": 2.5, "Northumbria Police": 2.5, "Avon and Somerset Constabulary": 2.5,
    "Devon and Cornwall Police": 2.5, "Sussex Police": 2.2, "South Wales Police": 2.2,
    "Nottinghamshire Police": 1.8, "West Mercia Police": 1.8, "Leicestershire Police": 1.6,
    "Staffordshire Police": 1.5, "Cheshire Constabulary": 1.5, "Humberside Police": 1.5, "Surrey Police": 1.5,
    "Hertfordshire Constabulary": 1.5, "Derbyshire Constabulary": 1.5, "Cleveland Police": 1.2,
    "Cambridgeshire Constabulary": 1.2, "Norfolk Constabulary": 1.2, "North Wales Police": 1.2,
    "North Yorkshire Police": 1.2, "Durham Constabulary": 1, "Suffolk Constabulary": 1,
    "Lincolnshire Police": 1, "Northamptonshire Police": 1, "Bedfordshire Police": 1, "Gwent Police": 1,
    "Gloucestershire Constabulary": 0.9, "Wiltshire Police": 0.9, "Dorset Police": 0.9,
    "Dyfed-Powys Police": 0.8, "Cumbria Constabulary": 0.8, "Warwickshire Police": 0.7,
    "City of London Police": 0.5, "British Transport Police": 1.5, "Ministry of Defence Police": 0.2,
    "Civil Nuclear Constabulary": 0.1, "National Crime Agency": 0.2, "HM Revenue and Customs": 0.1,
}  # fmt: skip
FORCE_NAMES = list(FORCES)
FORCE_WEIGHTS = list(itertools.accumulate(FORCES.values()))

PLACES = (
    "Bradford", "Leeds", "Croydon", "Lambeth", "Hackney", "Salford", "Bolton", "Wigan", "Coventry",
    "Dudley", "Walsall", "Luton", "Reading", "Slough", "Oxford", "Maidstone", "Margate", "Dover",
    "Chelmsford", "Basildon", "Colchester", "Blackpool", "Preston", "Burnley", "Portsmouth",
    "Southampton", "Sheffield", "Rotherham", "Doncaster", "Barnsley", "Newcastle", "Sunderland",
    "Gateshead", "Bristol", "Bath", "Plymouth", "Exeter", "Truro", "Brighton", "Crawley", "Cardiff",
    "Swansea", "Newport", "Wrexham", "Bangor", "Nottingham", "Mansfield", "Leicester", "Loughborough",
    "Stoke-on-Trent", "Stafford", "Chester", "Warrington", "Hull", "Grimsby", "Guildford", "Woking",
    "Watford", "Stevenage", "Derby", "Chesterfield", "Middlesbrough", "Hartlepool", "Cambridge",
    "Peterborough", "Norwich", "Ipswich", "Lincoln", "Northampton", "Bedford", "Gloucester",
    "Swindon", "Bournemouth", "Carlisle", "Worcester", "Telford", "Rugby", "Harrogate", "Scarborough",
    "Durham", "Aberystwyth", "Kitts Green", "Winsford", "Westcliff-on-Sea",
)  # fmt: skip

# (noun, he/she, him/her, his/her)
PERSONS = (
    ("man", "he", "him", "his"), ("woman", "she", "her", "her"), ("young man", "he", "him", "his"),
    ("young woman", "she", "her", "her"), ("older man", "he", "him", "his"),
    ("older woman", "she", "her", "her"), ("teenage boy", "he", "him", "his"),
    ("teenage girl", "she", "her", "her"),
)  # fmt: skip

TOPICS = (
    "Death and serious injury", "Welfare and vulnerable people", "Custody and detention",
    "Domestic abuse", "Use of force and armed policing", "Road traffic incidents", "Mental health",
    "Stop and search", "Discrimination", "Abuse of position", "Call handling", "Corruption",
    "Investigations", "Public order",
)  # fmt: skip



@dataclass(frozen=True)
class Theme:
    """A kind of case: its share of the corpus, title subjects, first sentences and events."""

    share: float
    subjects: tuple[str, ...]
    openings: tuple[str, ...]
    events: tuple[str, ...]


THEMES = (
    Theme(
        0.22,
        (
            "Police contact with {person} prior to {poss} death",
            "Police contact with {person} before {poss} death",
            "Investigation into police contact with {person} before {poss} death",
            "Response to concern for welfare calls",
            "Response to concern for welfare report in {place}",
            "Call handling before {person} was found dead",
            "Woman dies following calls to the police",
            "Police decisions and actions examined after three concerns for welfare calls",
        ),
        (
            "{force} took a call raising a welfare concern about {a_person} who had not been seen for "
            "several days.",
            "{force} received a call from a member of the public reporting a disturbance at an address "
            "in {place}.",
        ),
        (
            "A neighbour said the {person} had not been seen for several days.",
            "Officers carried out a welfare check at the address but did not force entry.",
            "The {person} called 999 several times that evening, saying that {pron} felt unsafe.",
            "The call was closed without officers being sent, after the caller could not be reached.",
            "The {person}’s family said that {pron} had been assessed by mental health services the week "
            "before.",
            "The {person} was taken to hospital, where {pron} later died.",
        ),
    ),
    Theme(
        0.15,
        (
            "{Person} dies in custody",
            "{Person} dies after being arrested",
            "{Person} becomes unwell and dies after being arrested",
            "Police contact in custody investigated after {person} dies",
        ),
        (
            "{a_person} was arrested by {force} officers on suspicion of assault and taken into custody "
            "in {place}.",
            "officers from {force} went to a house in {place} to arrest {a_person} for an offence.",
        ),
        (
            "The {person} was booked into custody at {place} police station at {time}.",
            "The custody sergeant completed a risk assessment and set the level of observations.",
            "Detention officers carried out cell checks, but not all of them were recorded.",
            "Officers searched the {person} and found a small package, which {pron} said contained drugs.",
            "The {person} became unwell in the cell and paramedics were called.",
        ),
    ),
    Theme(
        0.15,
        (
            "{Person} injured during restraint",
            "{Person} injured while being arrested in {place}",
            "Use of Taser on {person} in {place}",
            "{Person} injured after being Tasered",
            "Officer’s use of force during arrest in {place}",
            "Police response to man restrained by security staff",
            "Firearms officers discharge weapon in {place}",
        ),
        (
            "{force} officers responded to a report that {a_person} was behaving erratically in the "
            "street in {place}.",
        ),
        (
            "Officers used a Taser on the {person} after {pron} refused to drop a knife.",
            "A Taser was drawn and the {person} was ‘red dotted’ before being restrained.",
            "The {person} was restrained on the ground by {n} officers and handcuffed.",
            "During the restraint the {person} became unresponsive and officers began CPR until "
            "paramedics arrived.",
            "A member of the public filmed part of the arrest on a mobile phone.",
            "The {person} complained that officers had used excessive force during the arrest.",
        ),
    ),
    Theme(
        0.18,
        (
            "Police response to a domestic incident",
            "Police response to a domestic incident in {place}",
            "Response to domestic violence incidents",
            "Police actions after investigating a domestic disturbance",
            "Response to intelligence received prior to an attack",
            "Police contact with a man prior to an assault by his ex-partner",
            "Handling of reports of harassment in {place}",
        ),
        (
            "{a_person} called {force} to report that {poss} former partner had threatened {obj}.",
            "{force} received several abandoned 999 calls from {a_person} flagged as a high-risk domestic "
            "abuse victim.",
        ),
        (
            "The {person} had previously reported domestic abuse by a former partner.",
            "The call handler graded the call as a priority response and completed a risk assessment.",
            "The force’s domestic abuse policy required a risk assessment to be completed at the scene.",
            "The risk assessment graded the risk of harm as medium.",
            "The former partner was arrested on suspicion of assault and later released on bail.",
        ),
    ),
    Theme(
        0.10,
        (
            "Collision following pursuit",
            "Collision following pursuit in {place}",
            "Collision between police car and pedestrian",
            "Road traffic collision involving police vehicle in {place}",
            "Death following police contact on railway line",
        ),
        ("a police vehicle from {force} pursued a car that had not stopped when signalled to in {place}.",),
        (
            "The pursuit lasted several minutes before the car collided with a parked vehicle.",
            "The police car was travelling with its blue lights and siren on.",
            "The driver of the car was taken to hospital with serious injuries.",
            "The control room authorised the pursuit and a supervisor monitored it by radio.",
        ),
    ),
    Theme(
        0.08,
        (
            "Police response to {person} in mental health crisis",
            "Detention of {person} under the Mental Health Act",
            "Missing person enquiry in {place}",
        ),
        ("{force} received a call from the family of {a_person} who had gone missing from {place}.",),
        (
            "The {person} was detained under section 136 of the Mental Health Act and taken to a place of "
            "safety.",
            "Officers were told that the {person} had made threats of self-harm.",
            "The missing person report was graded as medium risk.",
            "Officers searched the area around the {person}’s home with a police dog.",
        ),
    ),
    Theme(
        0.12,
        (
            "Investigation into police handling of complaint",
            "Allegations of inappropriate comments made by officer",
            "Allegations of abuse of position for a sexual purpose",
            "Complaints regarding arrest",
            "Complaints raised by family after death of {person}",
            "Stop and search of {person} in {place}",
        ),
        ("{a_person} complained to {force} about the conduct of an officer in {place}.",),
        (
            "The {person} complained that officers had used excessive force during the arrest.",
            "A colleague reported that the officer had made unprofessional remarks.",
            "The officer had contacted a vulnerable victim through social media.",
            "Officers searched the {person} under section 1 of the Police and Criminal Evidence Act.",
            "The complaint was first handled by the force’s professional standards department.",
        ),
    ),
)
THEME_WEIGHTS = list(itertools.accumulate(t.share for t in THEMES))

INVESTIGATION = (
    "Our investigators obtained statements from the officers involved and reviewed body worn video "
    "footage, custody records and incident logs.",
    "We examined the relevant local and national policies, procedures and guidance.",
    "We took statements from {n} police officers and members of police staff, and from several members "
    "of the public.",
    "We analysed CCTV footage, call recordings, radio transmissions and the incident log.",
    "The officers involved were served with notices telling them that their conduct was under "
    "investigation; this does not mean that proceedings will follow.",
    "We considered the training records of the officers and the policies in force at the time.",
    "We concluded our investigation in {later}, and shared our report with {force}.",
    "An inquest into the {person}’s death was held in {later}.",
    "We looked at whether the {person}’s vulnerability had been properly assessed.",
    "Our investigators went to the scene and attended the post-incident procedure.",
    "We sought advice from an independent expert on the police tactics used.",
    "We reviewed the records kept by the control room against the force’s policy.",
)

# Outcome sentences and the share of investigation pages that carry them (first match wins).
OUTCOMES = (
    (0.52, (
        "We found no indication that any officer had behaved in a way that would justify disciplinary "
        "proceedings.",
        "During the investigation there was no indication that any police officer may have behaved in a "
        "manner that would justify the bringing of disciplinary proceedings or committed a criminal offence.",
        "On the evidence available, we found no indication that anyone serving with the police may have "
        "acted in a way that would justify disciplinary proceedings, or had committed a criminal offence.",
    )),
    (0.15, (
        "We found that {n} officers had a case to answer for misconduct, and {force} agreed.",
        "The force agreed there was a case to answer for misconduct, and the officer attended a "
        "misconduct meeting.",
    )),
    (0.04, (
        "We found that the officer had a case to answer for gross misconduct, and the officer attended "
        "a gross misconduct hearing.",
    )),
    (0.13, (
        "We found that the officer had no case to answer.",
        "In our opinion the threshold of misconduct was not reached, and the officer received words of "
        "advice as management action.",
        "Our investigation found failings which were not serious enough to warrant disciplinary action; "
        "these were dealt with through management action.",
    )),
    (0.08, (
        "We found that the performance of the call handler may have been unsatisfactory, and the force "
        "dealt with this through the unsatisfactory performance procedures.",
    )),
)  # fmt: skip
REFERRAL = (
    "We referred a file of evidence to the Crown Prosecution Service (CPS), which decided not to charge "
    "the officer."
)
LEARNING = (
    "Our investigation identified organisational learning for the force, and we made learning "
    "recommendations to {force}.",
    "We identified some learning for the force around improving risk assessments and managing call logs.",
)
NO_LEARNING = "The investigation did not identify any learning for the force."
LEARNING_ASIDE = (
    "We looked carefully at whether the investigation gave rise to any learning opportunities. The "
    "purpose of our learning recommendations is better policing and greater public confidence."
)
RECOMMENDS = (
    "The IOPC recommends that {force} reviews its policy on how suicide risk assessments are carried out.",
    "The IOPC recommends that {force} reminds call handlers to complete a risk assessment for every "
    "domestic abuse call.",
    "The IOPC recommends that {force} ensures custody staff record every welfare check.",
    "The IOPC recommends that {force} provides refresher training on restraint and positional asphyxia.",
)

COMMON_WORDS = (
    "the", "and", "a", "to", "of", "in", "that", "was", "on", "he", "she", "with", "for", "had", "at",
    "by", "from", "his", "her", "were", "it", "they", "not", "an", "as", "be", "been", "this", "which",
    "or", "who", "would", "their", "after", "any", "there", "when", "but", "into", "about", "all", "also",
    "because", "before", "did", "during", "more", "no", "other", "over", "said", "some", "than", "then",
    "these", "those", "through", "under", "up", "what", "while", "out", "could", "should", "may", "might",
    "we", "our", "us", "him", "them", "if", "so", "its", "has", "have", "being", "such", "where", "only",
    "both", "each", "further", "however", "later", "same", "between", "against", "without", "within",
    "around", "told", "made", "found", "took", "went", "came", "asked", "gave", "saw", "time", "day",
    "night", "evening", "morning", "home", "address", "house", "street", "road", "car", "door", "room",
    "phone", "call", "family", "friend", "friends", "neighbour", "people", "person", "man", "woman", "son",
    "daughter", "mother", "father", "brother", "sister", "partner", "child", "children", "later", "next",
    "first", "second", "third", "two", "three", "four", "several", "many", "few", "long", "short", "small",
    "large", "early", "late",
)  # fmt: skip
POLICE_WORDS = (
    "police", "officers", "officer", "investigation", "evidence", "force", "call", "incident", "custody",
    "statements", "arrest", "investigators", "footage", "found", "concluded", "report", "hospital",
    "control", "room", "risk", "assessment", "welfare", "domestic", "learning", "recommendations",
    "misconduct", "conduct", "disciplinary", "proceedings", "criminal", "offence", "attended", "responded",
    "arrested", "vehicle", "decision", "decisions", "response", "policy", "procedure", "guidance",
    "training", "supervisor", "sergeant", "constable", "inspector", "complaint", "complainant",
    "allegation", "allegations", "injury", "injuries", "ambulance", "paramedics", "log", "logs", "body",
    "worn", "video", "camera", "cctv", "witness", "witnesses", "interview", "statement", "mental",
    "health", "crisis", "vulnerable", "safeguarding", "victim", "suspect", "restraint", "handler",
    "detained", "detention", "cell", "checks", "observations", "priority", "grading", "emergency",
    "concern", "concerns", "threat", "threats", "assault", "harassment", "stalking", "knife", "weapon",
    "search", "warrant", "pursuit", "collision", "driver", "coroner", "inquest", "management", "action",
    "performance", "unsatisfactory", "professional", "standards", "department", "hearing", "meeting",
    "panel", "review", "referral", "prosecution", "caution", "bail", "charge", "charged", "released",
    "taser", "handcuffs", "firearms", "suicide", "deployed", "intoxicated", "unresponsive",
    "resuscitation", "cpr", "paramedic", "radio", "transmissions", "dispatcher", "intelligence", "breach",
    "order", "tribunal", "gross", "convicted", "sentenced", "appeal", "abandoned", "discharged", "ipcc",
    "iopc",
)  # fmt: skip
_ONSETS = (
    "b", "br", "bl", "c", "cr", "d", "dr", "f", "fr", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "pr",
    "pl", "qu", "r", "s", "st", "sk", "t", "tr", "v", "w", "z", "th", "sh",
)  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou", "oa")
_CLOSE_VOWELS = ("a", "o", "u", "i")
_FINALS = ("k", "x", "b", "g", "p", "v", "m")  # no final the porter stemmer would cut
MONTHS = tuple(calendar.month_name)  # (read once: each lookup calls strftime)
MONTHS_ABBR = tuple(calendar.month_abbr)
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Corpus:
    """A generated corpus on disk."""

    folder: Path
    count: int
    seed: int
    bytes: int
    rare_word: str

    def paths(self) -> list[str]:
        """Every summary file, in name order."""
        return sorted(
            os.path.join(sub.path, name)
            for sub in os.scandir(self.folder)
            if sub.is_dir()
            for name in os.listdir(sub.path)
        )


def _pseudo_words(count: int, taken: set[str], rng: random.Random) -> list[str]:
    """Made-up words of 6+ letters that end in a vowel and a consonant the stemmer keeps."""
    words: list[str] = []
    seen = set(taken)
    while len(words) < count:
        stem = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.randint(1, 2)))
        word = stem + rng.choice(_ONSETS) + rng.choice(_CLOSE_VOWELS) + rng.choice(_FINALS)
        if len(word) >= 6 and word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Vocabulary:
    """Zipf-weighted words, sampled once into a pool of sentences that files draw from.

    Drawing ~30 filler sentences per file instead of ~500 weighted words keeps
    100,000 files to seconds; word frequencies still follow the Zipf weights.
    """

    def __init__(self, pseudo_words: int = 6000, exponent: float = 1.15):
        rng = random.Random(VOCAB_SEED)
        pairs = itertools.zip_longest(COMMON_WORDS[100:], POLICE_WORDS)
        real = [*COMMON_WORDS[:100], *(w for pair in pairs for w in pair if w)]
        self.pseudo = _pseudo_words(pseudo_words, set(real), rng)
        words = real + self.pseudo
        cum_weights = list(itertools.accumulate(1 / (rank + 2.7) ** exponent for rank in range(len(words))))
        sizes = rng.choices(range(6, 19), k=POOL_SENTENCES)
        drawn = rng.choices(words, cum_weights=cum_weights, k=sum(sizes))
        starts = itertools.accumulate(sizes, initial=0)
        self.sentences = [
            _sentence(drawn[s : s + n], rng.random()) for s, n in zip(starts, sizes, strict=False)
        ]

    def rare_word(self, sentences_per_file: float, share: float = RARE_SHARE) -> str:
        """The made-up word expected in the share of files closest to `share`."""
        pool = len(self.sentences)
        in_sentences = dict.fromkeys(self.pseudo, 0)
        for sentence in self.sentences:
            for word in set(sentence.lower().rstrip(".").replace(",", "").split()):
                if word in in_sentences:
                    in_sentences[word] += 1

        def distance(word: str) -> tuple[float, str]:
            expected = 1 - (1 - in_sentences[word] / pool) ** sentences_per_file
            return abs(math.log(expected / share)), word

        return min((w for w, n in in_sentences.items() if n), key=distance)


def _sentence(words: list[str], roll: float) -> str:
    """Words as a sentence: a capital, perhaps a comma, a full stop."""
    if roll < 0.4 and len(words) > 8:
        words = [*words[:4], words[4] + ",", *words[5:]] if roll < 0.2 else words
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


class _Writer:
    """Builds one summary's text from its own random stream."""

    def __init__(self, vocab: Vocabulary, seed: int, index: int):
        self.rng = rng = random.Random(seed * 1_000_003 + index)
        self.vocab = vocab
        self.index = index
        self.filler_drawn = 0
        self.theme = rng.choices(THEMES, cum_weights=THEME_WEIGHTS)[0]
        self.deck: list[str] = []
        person, pron, obj, poss = rng.choice(PERSONS)
        self.year = FIRST_YEAR + int(rng.random() * (LAST_YEAR - FIRST_YEAR + 1))
        self.month = 1 + int(rng.random() * 12)
        later_year, later_month = divmod(self.months_after(4, 30), 12)
        force = rng.choices(FORCE_NAMES, cum_weights=FORCE_WEIGHTS)[0]
        self.slots = {
            "person": person, "Person": person.capitalize(), "pron": pron, "obj": obj, "poss": poss,
            "a_person": ("an " if person[0] in "aeiou" else "a ") + person,
            "place": rng.choice(PLACES), "force": force, "n": rng.choice(("two", "three", "four", "five")),
            "time": f"{rng.randint(1, 11)}.{rng.randint(0, 59):02d}{rng.choice(('am', 'pm'))}",
            "later": f"{MONTHS[later_month + 1]} {later_year}",
        }  # fmt: skip

    def months_after(self, low: int, high: int) -> int:
        """A month `low` to `high` months after the incident (counted in months), by December 2025."""
        start = self.year * 12 + self.month - 1
        month = start + self.rng.randint(low, high)
        return month if month <= LAST_MONTH else self.rng.randint(min(start + 1, LAST_MONTH), LAST_MONTH)

    def fill(self, template: str) -> str:
        return template.format(**self.slots)

    def story(self) -> str:
        """The next event or investigation sentence; none repeats until all have been used."""
        if not self.deck:
            story = self.theme.events + INVESTIGATION
            self.deck = self.rng.sample(story, len(story))
        return self.fill(self.deck.pop())

    def filler(self, sentences: int) -> list[str]:
        """Sentences of Zipf-distributed words."""
        self.filler_drawn += sentences
        return self.rng.choices(self.vocab.sentences, k=sentences)

    def paragraph(self) -> str:
        return " ".join([self.story(), *self.filler(2 + int(self.rng.random() * 4))])

    # ----- parts of a page ------------------------------------------------------

    def title(self, subject: str) -> str:
        rng = self.rng
        month = MONTHS[self.month]
        roll = rng.random()
        if roll < 0.01:
            when = f"{month} and {MONTHS[self.month % 12 + 1]} {self.year}"
        elif roll < 0.015:
            when = str(self.year)
        else:
            when = f"{month} {self.year}"
        dash = "–" if rng.random() < 0.03 else "-"
        return f"{subject} {dash} {self.slots['force']}, {when}"

    def published(self) -> str:
        rng = self.rng
        year, month = divmod(self.months_after(2, 48), 12)
        day = rng.randint(1, 28)
        if rng.random() < 0.03:
            return f"Published: {day} {MONTHS[month + 1]} {year}"
        return f"Published {day:02d} {MONTHS_ABBR[month + 1]} {year}"

    def opening(self) -> str:
        rng, month = self.rng, MONTHS[self.month]
        first = self.fill(rng.choice(self.theme.openings))
        roll = rng.random()
        if roll < 0.72:
            lead = f"On {rng.randint(1, 28)} {month} {self.year}, "
        elif roll < 0.82:
            lead = f"At {self.slots['time']} on {rng.randint(1, 28)} {month} {self.year}, "
        else:
            lead = f"In {month} {self.year}, "
        events = [self.story() for _ in range(rng.randint(1, 3))]
        return " ".join([lead + first, *events, *self.filler(rng.randint(0, 2))])

    def outcome(self) -> list[str]:
        rng = self.rng
        paragraphs = []
        roll, bound = rng.random(), 0.0
        for share, sentences in OUTCOMES:
            bound += share
            if roll < bound:
                paragraphs.append(self.fill(rng.choice(sentences)))
                break
        if rng.random() < 0.05:
            paragraphs.append(REFERRAL)
        if rng.random() < 0.2:
            paragraphs.append(LEARNING_ASIDE)
        roll = rng.random()
        if roll < 0.25:
            paragraphs.append(self.fill(rng.choice(LEARNING)))
        elif roll < 0.35:
            paragraphs.append(NO_LEARNING)
        return paragraphs

    def reference(self) -> str | None:
        """An IOPC reference unique in the corpus (a bijection of the index), or None."""
        if self.rng.random() < 0.06:
            return None
        year = min(self.year + (self.rng.random() < 0.2), LAST_YEAR)
        return f"{year}/{(self.index * 7919 + 4099) % 1_000_000:06d}"

    def tags(self) -> list[str]:
        return [self.slots["force"], *self.rng.sample(TOPICS, self.rng.randint(1, 3))]

    def body(self, first: list[str], last: list[str], size: int) -> list[str]:
        """`first` and `last` paragraphs with middle ones added until the text is about `size` long."""
        middle: list[str] = []
        length = sum(len(p) for p in first + last) + 200
        while length < size:
            paragraph = self.paragraph()
            middle.append(paragraph)
            length += len(paragraph) + 2
        return first + middle + last


def _bullets(tags: list[str]) -> list[str]:
    return [f"  • {t}" for t in tags]


def investigation_page(w: _Writer) -> str:
    rng = w.rng
    title = w.title(w.fill(rng.choice(w.theme.subjects)))
    paragraphs = w.body([w.opening()], w.outcome(), int(rng.triangular(2000, 6000, 3800)))
    reference = w.reference()
    if rng.random() < 0.05:  # the stored layout with single newlines and no header lines
        lines = [title, *paragraphs]
        if rng.random() < 0.7:
            lines += ["IOPC reference", *([reference] if reference else [])]
        return "\n".join(lines) + "\n"
    header = [title, "", w.published()]
    if rng.random() < 0.09:
        header.append("")  # no category line
    else:
        header += ["Investigation", ""]
    tail = ["", "IOPC reference", ""]
    if reference:
        tail.append(reference)
    roll = rng.random()
    if roll < 0.10:
        tail += ["Date of recommendation", "Date response due", "", "Recommendations", ""]
    if roll < 0.55:
        tail += ["Tags", *_bullets(w.tags())]
    elif roll < 0.6:
        tail += ["", *_bullets(w.tags())]
    if rng.random() < 0.03:
        paragraphs[-1] += "\n "  # a line holding only a space before the reference block
    return "\n".join([*header, "\n\n".join(paragraphs), *tail]) + "\n"


def recommendation_page(w: _Writer) -> str:
    rng = w.rng
    title = w.title(rng.choice(("Recommendation", "Recommendations")))
    size = int(rng.triangular(2000, 6000, 3000))
    lead = "Organisational learning was found as a result of " + rng.choice(
        ("a review.", "a local investigation.", "an independent investigation.")
    )
    narrative = w.body([lead + " " + w.opening()], [], size // 2)
    recommendations = w.body([w.fill(rng.choice(RECOMMENDS))], [], size // 2)
    header = [title, "", w.published(), *(["Learning"] if rng.random() < 0.5 else []), ""]
    reference = w.reference() if rng.random() < 0.5 else None
    block = ["", "IOPC reference", "", *([reference] if reference else [])]
    block += ["Date of recommendation", "Date response due", "", "Recommendations", ""]
    accepted = ["", "Accepted:", "", f"{w.slots['force']} has accepted the recommendation and will review "
                "its guidance.", "", "Tags", *_bullets(w.tags())]  # fmt: skip
    lines = [*header, "\n\n".join(narrative), *block, "\n\n".join(recommendations), *accepted]
    return "\n".join(lines) + "\n"


def summary(vocab: Vocabulary, seed: int, index: int) -> tuple[str, str, int]:
    """(file name, text, filler sentences drawn) of summary number `index`."""
    w = _Writer(vocab, seed, index)
    learning = w.rng.random() < 0.06
    text = recommendation_page(w) if learning else investigation_page(w)
    slug = _SLUG.sub("-", " ".join(text.split(None, 5)[:5]).lower()).strip("-")
    return f"{index:06d}_{slug}-{w.year}.txt", text, w.filler_drawn


def manifest_path(folder: Path) -> Path:
    """The manifest lives beside the folder, so that importing the folder imports only summaries."""
    return folder.parent / f"{folder.name}.manifest.json"


def _cached(folder: Path, count: int, seed: int) -> Corpus | None:
    try:
        info = json.loads(manifest_path(folder).read_text())
    except (OSError, ValueError):
        return None
    if (info.get("version"), info.get("count"), info.get("seed")) != (VERSION, count, seed):
        return None
    corpus = Corpus(folder, count, seed, info["bytes"], info["rare_word"])
    return corpus if len(corpus.paths()) == count else None


def _write_folder(folder: Path, seed: int, first: int, last: int) -> tuple[int, int]:
    """Write summaries `first` to `last - 1` into `folder`; return (bytes, filler sentences)."""
    vocab = _vocabulary()
    folder.mkdir(parents=True, exist_ok=True)
    total_bytes = total_filler = 0
    for index in range(first, last):
        name, text, filler = summary(vocab, seed, index)
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        total_bytes += len(data)
        total_filler += filler
    return total_bytes, total_filler


@functools.cache
def _vocabulary() -> Vocabulary:
    return Vocabulary()


def generate(folder: str | os.PathLike, count: int, seed: int = 1) -> Corpus:
    """Write `count` summaries into subfolders of `folder` (or reuse a complete earlier run).

    Subfolders are written on every core; each file has its own random stream, so
    the result does not depend on which process wrote it.
    """
    folder = Path(folder)
    found = _cached(folder, count, seed)
    if found:
        return found
    manifest_path(folder).unlink(missing_ok=True)
    if folder.exists():
        shutil.rmtree(folder)
    vocab = _vocabulary()  # built before the workers fork, so they share it
    jobs = [
        (folder / f"{start // FILES_PER_FOLDER:03d}", seed, start, min(start + FILES_PER_FOLDER, count))
        for start in range(0, count, FILES_PER_FOLDER)
    ]
    with ProcessPoolExecutor(mp_context=multiprocessing.get_context("fork")) as pool:
        done = list(pool.map(_write_folder, *zip(*jobs, strict=True)))
    total_bytes = sum(b for b, _ in done)
    rare_word = vocab.rare_word(sum(f for _, f in done) / max(count, 1))
    corpus = Corpus(folder, count, seed, total_bytes, rare_word)
    info = {"version": VERSION, "count": count, "seed": seed, "bytes": total_bytes, "rare_word": rare_word}
    manifest_path(folder).write_text(json.dumps(info, indent=2) + "\n")
    return corpus
