"""Near-duplicates: the same case in the site's two layouts is found, distinct cases are not."""

import json
import re

import pytest
from conftest import MORE, REAL, write_case
from test_cli import cli

from storage.keeping.importing import import_paths, import_planned, plan
from storage.patterns import duplicates
from storage.reading import minhash
from storage.reading.reader import read_case

ALL = sorted(REAL.glob("*.txt")) + sorted(MORE.glob("*.txt"))
WITH_PUBLISHED = [p for p in ALL if re.search(r"^Published\b", p.read_text("utf-8"), re.MULTILINE)]


def other_layout(text: str) -> str:
    """The site's second layout of a summary: no Published or category line, no reference
    number, single newlines between paragraphs."""
    lines = []
    for line in text.splitlines():
        if re.match(r"Published\b", line) or line.strip() in ("Investigation", "Learning"):
            continue
        if re.fullmatch(r"\s*(IOPC|IPCC) reference\s*|\s*\d{4}/\d{4,7}\s*", line):
            continue
        if line.strip():
            lines.append(line)
    return "\n".join(lines) + "\n"


def record(text: str):
    return read_case(text.encode("utf-8"), "case.txt").record


def test_the_layouts_really_differ():
    text = WITH_PUBLISHED[0].read_text("utf-8")
    again = other_layout(text)
    assert again != text and "Published" not in again and "\n\n" not in again
    assert record(text).digest != record(again).digest  # the exact-text check cannot see it


@pytest.mark.parametrize("path", WITH_PUBLISHED, ids=lambda p: p.name[:3])
def test_both_layouts_of_a_case_measure_over_the_threshold(path):
    text = path.read_text("utf-8")
    first, second = record(text), record(other_layout(text))
    assert first.minhash and second.minhash
    assert minhash.similarity(first.minhash, second.minhash) >= minhash.THRESHOLD


def test_distinct_development_cases_are_never_near_duplicates():
    """60 real cases: shared boilerplate, recommendation pages of one force with one title,
    cases of the same force and topic. The most alike pair stays far under the threshold."""
    signed = [(p.name, record(p.read_text("utf-8")).minhash) for p in ALL]
    assert all(sig for _, sig in signed)
    worst = max(
        minhash.similarity(a, b) for i, (_, a) in enumerate(signed) for _, b in signed[i + 1 :]
    )
    assert worst < minhash.THRESHOLD / 2


BOILERPLATE = (
    "We considered carefully whether the investigation revealed any opportunities for organisational "
    "learning. Through learning recommendations we aim to improve policing, increase the public's "
    "confidence in the police complaints system, and avoid a repeat of similar incidents.\n\n"
    "We concluded that there was no indication that any officer or member of police staff had behaved "
    "in a way that would justify disciplinary proceedings or had committed a criminal offence.\n"
)


def summary(title: str, incident: str) -> str:
    return f"{title}\n\nPublished 08 Oct 2020\nInvestigation\n\n{incident}\n\n{BOILERPLATE}"


def test_shared_boilerplate_does_not_make_cases_the_same():
    """Two summaries of a typical length (a few hundred words, the development cases' range)
    that share the standard findings and learning paragraphs."""
    kent = summary(
        "Custody death - Kent Police, May 2019",
        "On 3 May 2019 a man was found unresponsive in a cell at Medway custody suite after he was "
        "arrested for a public order offence outside a nightclub. Officers recorded that he had drunk a "
        "large amount of alcohol and said he had taken tablets earlier in the evening. The custody sergeant "
        "assessed him as a medium risk and set checks every thirty minutes, with rousing. CCTV showed that "
        "two of the checks were made from the cell door without rousing him, and that the detention officer "
        "did not go into the cell until almost an hour after the last full check. Paramedics were called "
        "and he was taken to hospital, where he died the next day.\n\nWe examined the custody record, the "
        "CCTV footage and the force's policy on the care of intoxicated detainees, and interviewed the "
        "custody sergeant and the detention officer under misconduct notice.",
    )
    essex = summary(
        "Domestic incident - Essex Police, June 2020",
        "On 9 June 2020 a woman called 999 twice from her flat in Colchester to report that her former "
        "partner was banging on the door and threatening her. She had reported him for harassment the "
        "month before and a risk assessment had graded her at high risk. The call handler graded the first "
        "call as priority rather than emergency, and the second call was linked to it without the risk "
        "being looked at again. Officers arrived two hours later, after a neighbour had called to say the "
        "man had forced the door. The woman had been assaulted and needed treatment in hospital.\n\nWe "
        "listened to the calls, read the incident log and the earlier risk assessment, and interviewed the "
        "call handler and the control room supervisor about how the calls were graded.",
    )
    assert minhash.similarity(record(kent).minhash, record(essex).minhash) < minhash.THRESHOLD / 2


def test_too_little_text_is_not_signed():
    assert record("Short - Kent Police, May 2019\n\nA man was arrested.\n").minhash is None
    assert minhash.signature("one two three four five six") is None


def test_import_warns_of_the_other_layout_and_keeps_it(new_library, tmp_path):
    original = REAL / "066_tasered-west-yorkshire-2017.txt"
    import_paths(new_library, [str(original)])
    copy = write_case(tmp_path, "other-layout.txt", other_layout(original.read_text("utf-8")))
    report = import_paths(new_library, [str(copy)])
    (outcome,) = report.files
    first = new_library.find_case("2017/094798")
    assert outcome.outcome == "imported"
    assert f"Possibly the same case as “{first.title}” (case {first.id})" in outcome.reason
    assert new_library.case_count() == 2
    assert duplicates.library_duplicates(new_library) == [[first.id, outcome.case_id]]


def test_the_wizard_plan_names_the_earlier_file_and_can_leave_it_out(new_library, tmp_path):
    original = REAL / "030_man-before-death-wiltshire-2016.txt"
    folder = tmp_path / "drop"
    write_case(folder, "a.txt", original.read_bytes())
    write_case(folder, "b.txt", other_layout(original.read_text("utf-8")))
    write_case(folder, "c.txt", (REAL / "066_tasered-west-yorkshire-2017.txt").read_bytes())
    results = [read_case(p.read_bytes(), p.name, str(p)) for p in sorted(folder.iterdir())]
    files = plan(new_library, results)
    assert [f.possible_duplicate for f in files] == [False, True, False]
    assert files[1].status == "warnings" and files[1].will_store
    assert "Possibly the same case as “a.txt” in this import" in files[1].detail
    files[1].include = False
    report = import_planned(new_library, files)
    assert [f.outcome for f in report.files] == ["imported", "left_out", "imported"]
    assert duplicates.library_duplicates(new_library) == []


def test_an_exact_copy_is_still_a_plain_duplicate(new_library, tmp_path):
    original = REAL / "066_tasered-west-yorkshire-2017.txt"
    copy = write_case(tmp_path, "copy.txt", original.read_text("utf-8").replace("\n", "\r\n"))
    report = import_paths(new_library, [str(original), str(copy)])
    assert [f.outcome for f in report.files] == ["imported", "duplicate"]


def test_library_groups_across_imports(new_library, tmp_path):
    import_paths(new_library, [str(REAL), str(MORE)])
    assert duplicates.library_duplicates(new_library) == []
    again = tmp_path / "again"
    copies = [write_case(again, p.name, other_layout(p.read_text("utf-8"))) for p in WITH_PUBLISHED[:3]]
    import_paths(new_library, [str(again)])
    groups = duplicates.library_duplicates(new_library)
    names = dict(new_library.conn.execute("SELECT case_id, file_name FROM sources"))
    assert sorted(tuple(names[i] for i in g) for g in groups) == sorted((p.name, p.name) for p in copies)


def test_signatures_are_kept_and_removed_with_their_case(new_library):
    import_paths(new_library, [str(REAL)])
    conn = new_library.conn
    assert conn.execute("SELECT count(*) FROM case_minhash").fetchone()[0] == new_library.case_count()
    assert conn.execute("SELECT count(*) FROM minhash_bands").fetchone()[0] == 16 * new_library.case_count()
    with new_library.write():
        conn.execute("DELETE FROM sources WHERE case_id = 1")
        conn.execute("DELETE FROM cases WHERE id = 1")
    assert conn.execute("SELECT count(*) FROM case_minhash WHERE case_id = 1").fetchone()[0] == 0
    assert duplicates.library_duplicates(new_library) == []  # sweeps its band rows
    assert conn.execute("SELECT count(*) FROM minhash_bands WHERE case_id = 1").fetchone()[0] == 0


def test_a_library_without_signatures_is_signed_when_asked(new_library):
    import_paths(new_library, [str(REAL)])
    with new_library.write() as conn:
        conn.execute("DELETE FROM minhash_bands")
        conn.execute("DELETE FROM case_minhash")
    assert duplicates.library_duplicates(new_library) == []
    assert new_library.conn.execute("SELECT count(*) FROM case_minhash").fetchone()[0] == 30


def test_cli_duplicates(tmp_path):
    path = tmp_path / "cli.casebook"
    original = REAL / "066_tasered-west-yorkshire-2017.txt"
    copy = write_case(tmp_path / "in", "other-layout.txt", other_layout(original.read_text("utf-8")))
    out = cli("import", original, REAL / "030_man-before-death-wiltshire-2016.txt", copy, library=path).stdout
    assert "Possibly the same case as" in out
    assert json.loads(cli("duplicates", "--json", library=path).stdout) == [[1, 3]]
    text = cli("duplicates", library=path).stdout
    assert text.startswith("1 group of cases") and "Tasered" in text


def test_a_replaced_case_keeps_only_its_new_signature(new_library, tmp_path):
    original = REAL / "066_tasered-west-yorkshire-2017.txt"
    import_paths(new_library, [str(original)])
    revised = original.read_text("utf-8").replace("Taser", "baton")
    import_paths(new_library, [str(write_case(tmp_path, "revised.txt", revised))], resolution="replace")
    conn = new_library.conn
    (sig,) = conn.execute("SELECT signature FROM case_minhash").fetchone()
    assert sig == record(revised).minhash
    keys = sorted(k for (k,) in conn.execute("SELECT band_key FROM minhash_bands"))
    assert keys == sorted(minhash.band_keys(sig))
