"""Files and commands a user may throw at Casebook: every file is imported or reported whatever
its name or size, every PDF gets a file name every system takes and one failure spares the
others, and the command line never answers with a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REAL, SEEDS, custody_case
from pypdf import PdfReader

from bench.hostile import ODD_FILE_NAMES
from gui.output.printing import PrintOptions, pdf_name, write_pdfs
from storage.keeping.importing import import_paths
from storage.keeping.library import Library
from storage.paths import NAME_BYTES, safe_file_name
from storage.reading.decoding import MAX_BYTES
from storage.records import Case

# ----- importing --------------------------------------------------------------------------


def odd_folder(root: Path) -> tuple[bytes, list[bytes]]:
    """A folder of summaries under every odd name, and files too large to be summaries."""
    folder = os.fsencode(root / "odd")
    os.makedirs(folder)
    names = []
    for n, name in enumerate(ODD_FILE_NAMES):
        if name in (b"..",):
            continue
        with open(os.path.join(folder, name), "wb") as f:
            f.write(custody_case(f"2019/{100000 + n}").encode())
        names.append(name)
    for name in (b"too-large-\xff\xfe.txt", b"too large.txt"):  # over the limit, one not UTF-8
        with open(os.path.join(folder, name), "wb") as f:
            f.write(b"x" * (MAX_BYTES + 1))
        names.append(name)
    os.makedirs(os.path.join(folder, b"sub-\xff"))
    with open(os.path.join(folder, b"sub-\xff", b"inside-\xfe.txt"), "wb") as f:
        f.write(custody_case("2019/200000").encode())
    names.append(b"inside-\xfe.txt")
    return folder, names


def test_every_file_is_imported_or_reported_whatever_its_name_or_size(new_library, tmp_path):
    folder, names = odd_folder(tmp_path)
    report = import_paths(new_library, [os.fsdecode(folder)], label=os.fsdecode(b"Import: sub-\xff"))
    assert len(report.files) == len(names) == report.imported + report.rejected
    rejected = {f.name: f.reason for f in report.files if f.outcome == "rejected"}
    assert rejected.keys() == {"...txt", "too large.txt", "too-large-\ufffd\ufffd.txt"}
    assert "Hidden" in rejected["...txt"] and "too large" in rejected["too large.txt"]
    assert new_library.case_count() == report.imported
    shown = {f.name for f in report.files}
    assert "too-large-\ufffd\ufffd.txt" in shown and "inside-\ufffd.txt" in shown
    history = new_library.conn.execute("SELECT label, files FROM batches").fetchone()
    assert history[1] == len(names) and "\ufffd" in history[0]


def test_the_command_line_reports_odd_names_in_any_terminal(tmp_path):
    folder, names = odd_folder(tmp_path)
    run = cli(tmp_path / "odd.casebook", "import", os.fsdecode(folder), env={"PYTHONIOENCODING": "ascii"})
    assert run.returncode == 0, run.stderr
    assert f"{len(names) - 3} imported, 0 replaced, 0 skipped, 3 not importable." in run.stdout


# ----- one PDF per case -----------------------------------------------------------------

HOSTILE_REFERENCES = (
    "..\\..\\evil",
    "../../evil",
    "/etc/passwd",
    "CON",
    "nul",
    "COM1",
    "lpt9.txt",
    "line\nbreak",
    "tab\there",
    "\u202eevil",
    'a:b*c?d"e<f>g|h',
    " . ",
    "..",
    ".hidden",
    "x" * 400,
    "é" * 300,
    "😀" * 100,
)


@pytest.mark.parametrize("reference", HOSTILE_REFERENCES)
def test_pdf_names_are_safe_on_every_system_and_bounded(tmp_path, reference):
    case = Case(
        id=7, title="T", subject="T", reference=reference, force=None, kind="investigation", category=None,
        incident=None, incident_date=None, published=None, findings=(), narrative="", recommendations="",
        source_tags=(), warnings=(), status="new", tags=(), notes="", updated_at=None,
    )  # fmt: skip
    taken = {"x" * 10 + ".pdf"}
    first, second = pdf_name(case, taken), pdf_name(case, taken)
    for name in (first, second):
        assert len(name.encode("utf-8")) <= 255 and name.endswith(".pdf")
        assert not any(c in name for c in '/\\:*?"<>|\n\t\u202e') and not name.startswith((".", " "))
        assert name.split(".")[0].strip().lower() not in ("con", "nul", "com1", "lpt9", "aux", "prn")
        (tmp_path / name).write_bytes(b"%PDF")  # the file is made, and inside the folder
    assert first != second and sorted(p.name for p in tmp_path.iterdir()) == sorted({first, second})
    assert len(safe_file_name(reference).encode("utf-8")) <= NAME_BYTES


def test_a_pdf_that_cannot_be_written_spares_the_others(qtbot, library, tmp_path):
    cases = [library.find_case("2016/070829"), library.find_case("2017/094798"), library.case(2)]
    out = tmp_path / "out"
    out.mkdir()
    (out / "2017-094798.pdf.part").mkdir()  # in the way of the second case's PDF
    result = write_pdfs(out, cases, PrintOptions())
    assert [case.reference for case, _ in result.failed] == ["2017/094798"]
    assert len(result.written) == 2 and all(len(PdfReader(str(p)).pages) >= 1 for p in result.written)
    assert (out / "2016-070829.pdf").exists()


# ----- the command line -------------------------------------------------------------------


def cli(library: Path, *args, env: dict | None = None, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "gui.cli.main", "--library", str(library), *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120,
        env={**os.environ, **(env or {})}, **kwargs,
    )  # fmt: skip


@pytest.fixture(scope="module")
def cli_library(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "cli.casebook"
    lib = Library.open(path, create=True)
    import_paths(lib, [str(REAL), str(SEEDS)])
    lib.close()
    return path


def one_plain_line(run) -> str:
    assert "Traceback" not in run.stderr and run.returncode != 0, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("casebook-cli: "), run.stderr
    return lines[0]


@pytest.mark.parametrize(
    "args, says",
    [
        (("export", "--csv", "-o", "{tmp}/missing/cases.csv"), "does not exist"),
        (("export", "--json", "-o", "{tmp}"), "is a folder"),
        (("export", "--pdf", "{tmp}"), "is a folder"),
        (("export", "--pdf", "{tmp}/cases.pdf"), "could not be written"),
        (("export", "--csv", "-o", "{tmp}/cases.csv"), "could not be written"),
        (("search", "batch:²", "--json"), None),
        (("search", "published:99999999999999999999-1"), None),
        (("show", "²"), "no case"),
    ],
)
def test_what_a_user_gets_wrong_is_one_plain_line(cli_library, tmp_path, args, says):
    for blocked in ("cases.pdf.part", "cases.csv.part"):  # a folder where the file is first written
        (tmp_path / blocked).mkdir()
    run = cli(cli_library, *(a.replace("{tmp}", str(tmp_path)) for a in args))
    if says is None:
        assert run.returncode == 0 and not run.stderr, run.stderr
    else:
        assert says in one_plain_line(run)


def test_output_piped_into_head_ends_quietly(cli_library):
    process = subprocess.Popen(
        [sys.executable, "-m", "gui.cli.main", "--library", str(cli_library), "export", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout.read(100)  # more than a pipe holds is on its way: then the reader goes
    process.stdout.close()
    assert process.wait(timeout=60) != 0
    assert process.stderr.read() == b""


@pytest.mark.parametrize("after", [0.05, 0.15, 0.3, 0.5])
def test_ctrl_c_at_any_moment_is_one_plain_line(cli_library, after):
    """Moments counted from when Python has started our code (a Ctrl-C while the interpreter
    itself starts is Python's to report), so a busy machine moves nothing."""
    process = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "gui.cli.main", "--library", str(cli_library), "search",
         "custody"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    for line in process.stderr:  # "import time: self | cumulative | name", as each import ends
        if line.rstrip().endswith("| gui.cli"):
            break
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=60)
    err = "".join(line for line in rest.splitlines(True) if not line.startswith("import time:"))
    assert "Traceback" not in err
    if process.returncode != 0:  # (it may have finished first)
        assert err.count("\n") <= 1 and (not err or err.startswith("casebook-cli: interrupted")), err
