"""Never lose a reviewer's work: killed processes, two writers, hostile files,
damaged and old libraries, backups. Real processes and real files throughout."""

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, REAL, SEEDS, custody_case, write_case
from gui_helpers import WAIT_MS, answer_message, close_window, drop_urls, file_urls, open_window
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from storage import paths
from storage.errors import BackupFailed, LibraryDamaged, LibraryLocked, NotALibrary
from storage.keeping import backup, drafts, schema
from storage.keeping.importing import import_paths
from storage.keeping.library import Library
from storage.searching.columns import _READ_SQL

ROOT = Path(__file__).resolve().parents[1]


def child_env(home):
    return {**os.environ, "CASEBOOK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}


def integrity(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def reviewed_library(tmp_path):
    """A library with cases and notes that must survive whatever comes next."""
    path = tmp_path / "work.casebook"
    lib = Library.open(path, create=True)
    import_paths(lib, [str(SEEDS)])
    lib.set_notes(1, "Two days of notes.")
    lib.set_status([1], "flagged")
    lib.close()
    return path


def start_import(library, folder, home) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gui.cli.main", "--library", str(library), "import", str(folder)],
        env=child_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so a kill takes its reading processes too
    )


@pytest.fixture(scope="module")
def five_thousand(tmp_path_factory):
    """5,000 files, and how long importing them takes here (to spread the kills over)."""
    folder = tmp_path_factory.mktemp("five-thousand")
    for i in range(5000):
        write_case(folder / f"{i // 500:02}", f"{i:05}.txt", custody_case(f"2019/{700000 + i}"))
    scratch = tmp_path_factory.mktemp("scratch")
    started = time.monotonic()
    assert start_import(scratch / "timing.casebook", folder, scratch).wait(timeout=600) == 0
    return folder, time.monotonic() - started


# Kill points as fractions of a full import: while reading, storing, indexing,
# committing, and after it finished.
@pytest.mark.parametrize("kill_at", [0.1, 0.4, 0.7, 0.9, 1.3])
def test_killing_an_import_leaves_the_batch_wholly_there_or_wholly_absent(
    reviewed_library, five_thousand, tmp_path, kill_at
):
    folder, duration = five_thousand
    process = start_import(reviewed_library, folder, tmp_path / "home")
    if kill_at > 1:  # after it finished, however long that took on a busy machine
        process.wait(timeout=600)
    else:
        time.sleep(kill_at * duration)
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert integrity(reviewed_library) == "ok"
    lib = Library.open(reviewed_library)
    count = lib.case_count()
    batches = lib.conn.execute("SELECT count(*) FROM batches").fetchone()[0]
    assert (count, batches) in ((2, 1), (5002, 2)), f"half a batch: {count} cases, {batches} batches"
    if kill_at > 1:
        assert count == 5002, "the import finished"
    fts = lib.conn.execute("SELECT count(*) FROM cases_fts WHERE cases_fts MATCH 'unresponsive'").fetchone()[
        0
    ]
    assert fts == count - 2
    one = lib.case(1)
    assert (one.notes, one.status) == ("Two days of notes.", "flagged")
    lib.close()


# A first import into a new library is written with a rollback journal (Library.write_once).
@pytest.mark.parametrize("kill_at", [0.3, 0.7])
def test_killing_a_first_import_leaves_an_empty_library_that_opens(five_thousand, tmp_path, kill_at):
    folder, duration = five_thousand
    path = tmp_path / "first.casebook"
    Library.open(path, create=True).close()
    process = start_import(path, folder, tmp_path / "home")
    time.sleep(kill_at * duration)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    lib = Library.open(path)
    try:
        count = lib.case_count()
        batches = lib.conn.execute("SELECT count(*) FROM batches").fetchone()[0]
        assert (count, batches) in ((0, 0), (5000, 1)), f"half a batch: {count} cases, {batches} batches"
        assert lib.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        lib.close()
    assert integrity(path) == "ok"


_STOPPED_IN_FIRST_IMPORT = (
    "import os, sys\n"
    "from storage.keeping.library import Library\n"
    "lib = Library.open(sys.argv[1])\n"
    "lib.conn.execute('PRAGMA cache_size = -500')\n"  # so that pages reach the file before the end
    "with lib.write_once() as conn:\n"
    "    conn.executemany(\"INSERT INTO batches(started_at, label) VALUES ('now', ?)\",\n"
    "                     [(str(i) * 5000,) for i in range(2000)])\n"
    "    os._exit(9)\n"
)


def test_a_first_import_stopped_part_way_is_undone_when_the_library_next_opens(tmp_path):
    path = tmp_path / "first.casebook"
    Library.open(path, create=True).close()
    before = path.stat().st_size
    child = [sys.executable, "-c", _STOPPED_IN_FIRST_IMPORT, str(path)]
    assert subprocess.run(child, env=child_env(tmp_path / "home"), check=False).returncode == 9
    assert Path(f"{path}-journal").exists() and path.stat().st_size > before  # half written
    with Library.open(path, read_only=True) as reader:  # as `casebook-cli search` would
        assert reader.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    lib = Library.open(path)
    try:
        assert lib.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
        assert lib.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        lib.close()
    assert integrity(path) == "ok" and not Path(f"{path}-journal").exists()


def test_a_first_import_beside_another_connection_goes_through_the_log(tmp_path):
    path = tmp_path / "first.casebook"
    lib = Library.open(path, create=True)
    other = Library.open(path)  # as the window's reading connection
    try:
        import_paths(lib, [str(REAL)])
        assert lib.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert other.case_count() == lib.case_count() > 0
    finally:
        other.close()
        lib.close()
    alone = Library.open(tmp_path / "alone.casebook", create=True)
    try:
        import_paths(alone, [str(REAL)])
        assert alone.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert alone.case_count() > 0 and not Path(f"{alone.path}-journal").exists()
    finally:
        alone.close()


def descendants(pid: int) -> set[int]:
    """The processes started by `pid` and by them, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_reading_processes_end_soon_after_an_import_is_killed(reviewed_library, five_thousand, tmp_path, how):
    folder, _ = five_thousand
    process = start_import(reviewed_library, folder, tmp_path / "home")
    deadline = time.monotonic() + 60
    while len(descendants(process.pid)) < 2 and time.monotonic() < deadline:  # readers + tracker
        time.sleep(0.05)
    time.sleep(0.5)  # every reader started
    helpers = descendants(process.pid)
    assert len(helpers) >= 2, "the import did not start its reading processes"
    process.send_signal(how)  # the import alone, not its process group
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in helpers if alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "reading processes outlived the import"


def test_killing_the_window_right_after_typing_keeps_the_note(qtbot, reviewed_library, tmp_path):
    home = Path(os.environ["CASEBOOK_HOME"])
    text = "Typed just before the power cut"
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "child_typing.py"), str(reviewed_library), text],
        env=child_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = child.stdout.readline()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert line.startswith("TYPED"), line
    case_id = int(line.split()[1])
    assert integrity(reviewed_library) == "ok"
    window = open_window(qtbot, reviewed_library)
    qtbot.waitUntil(lambda: window.lib.case(case_id).notes.endswith(text), timeout=WAIT_MS)
    close_window(qtbot, window)
    lib = Library.open(reviewed_library)
    assert lib.case(case_id).notes.endswith(text)
    lib.close()


def test_two_processes_writing_at_once_lose_nothing(reviewed_library, tmp_path):
    lib = Library.open(reviewed_library)
    import_paths(lib, [str(REAL)])
    lib.close()
    env = child_env(tmp_path / "home")
    children = [
        subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "tests" / "child_writer.py"),
                str(reviewed_library),
                name,
                "10",
                str(parity),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, parity in (("first", 0), ("second", 1))
    ]
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        results.append(json.loads(out))
    lib = Library.open(reviewed_library)
    for result in results:
        assert result["attempts"] == result["written"] > 10
        for case_id, note in result["last"].items():
            assert lib.case(int(case_id)).notes == note
    tags = set(lib.case(1).tags)
    for result in results:
        assert set(result["tags"]) <= tags, "a tag write was lost"
    assert integrity(reviewed_library) == "ok"
    lib.close()


def hostile_corpus(root: Path) -> int:
    """At least 30 awkward things in one folder; returns how many entries should be reported."""
    entries = 0

    def add(name, data):
        nonlocal entries
        write_case(root, name, data)
        entries += 1

    add("good.txt", custody_case("2019/800001"))
    add("binary.txt", bytes(range(256)) * 40)
    add("nul-only.txt", b"\x00" * 4096)
    add("empty.txt", b"")
    add("blank.txt", b"\n \n\t\n")
    add(
        "script.txt",
        custody_case("2019/800002").replace("cell.", "cell. <script>alert(document.cookie)</script>"),
    )
    add(
        "html-payload.txt",
        custody_case("2019/800003").replace("cell.", 'cell. <img src="http://evil.invalid/x">'),
    )
    add(
        "fts-syntax.txt",
        custody_case("2019/800004").replace("cell.", 'cell. NEAR("a" "b") OR title:* ^x "unbalanced'),
    )
    add(
        "sql.txt",
        custody_case("2019/800005").replace("cell.", "cell. '); DROP TABLE cases; -- SELECT * FROM sources"),
    )
    add("utf16-nobom.txt", custody_case("2019/800006").encode("utf-16-le"))
    add("utf32.txt", "\ufeff".encode("utf-32-le")[4:] + custody_case("2019/800007").encode("utf-32"))
    add("cr-only.txt", custody_case("2019/800008").replace("\n", "\r").encode())
    add("cp1252.txt", custody_case("2019/800009").replace("cell", "cell (£40 “quoted”)").encode("cp1252"))
    add("pdf.txt", (FIXTURES / "bad" / "pdf-renamed.txt").read_bytes())
    add("docx.txt", (FIXTURES / "bad" / "word-document.txt").read_bytes())
    add("png.txt", (FIXTURES / "bad" / "image.txt").read_bytes())
    add("web.html", b"<html><body>hi</body></html>")
    add("table.csv", b"a,b,c,d\n1,2,3,4\n5,6,7,8\n")
    add("long-lines.txt", ("x" * 100_000 + "\n").encode() * 3)
    add("many-lines.txt", custody_case("2019/800010") + "\n".join(f"line {i}" for i in range(20_000)))
    add("Zoë café.txt", custody_case("2019/800011"))
    add("e\u0301te\u0301 nfd.txt", custody_case("2019/800012"))
    add("\u202ereversed-name.txt", custody_case("2019/800013"))
    add("emoji 😀 case.txt", custody_case("2019/800014"))
    add("a" * 240 + ".txt", custody_case("2019/800015"))
    add(os.fsdecode(b"bad-utf8-\xff\xfe.txt"), custody_case("2019/800016"))
    add(".hidden.txt", custody_case("2019/800017"))
    add("dup-of-good.txt", custody_case("2019/800001"))
    with open(root / "huge.txt", "wb") as f:
        f.write(b"Man dies - Kent Police, May 2019\n")
        f.seek(50 * 1024 * 1024)
        f.write(b"end\n")
    entries += 1
    deep = root / "deep"
    for level in range(60):
        deep = deep / f"level{level}"
    write_case(deep, "bottom.txt", custody_case("2019/800018"))
    entries += 1
    os.symlink(root, root / "loop")  # a folder link back up: not followed
    os.symlink("/etc/passwd", root / "passwd.txt")  # a file link outside: not read
    os.symlink(root / "nowhere", root / "broken.txt")
    os.mkfifo(root / "pipe.txt")
    (root / "empty-folder").mkdir()
    locked = write_case(root, "locked.txt", custody_case("2019/800019"))
    locked.chmod(0)
    return entries + 6


def snapshot(folder: Path) -> dict:
    """Names, sizes and hashes of everything under `folder` (links are not followed)."""
    state = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            state[str(path)] = ("link", os.readlink(path))
        elif path.is_file() and path.stat().st_size < 1_000_000:
            try:
                state[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            except PermissionError:
                state[str(path)] = "locked"
        else:
            state[str(path)] = path.stat(follow_symlinks=False).st_size if path.exists() else None
    return state


def test_a_hostile_corpus_through_the_wizard(qtbot, tmp_path):
    drop = tmp_path / "hostile"
    drop.mkdir()
    expected = hostile_corpus(drop)
    assert expected >= 30
    before = snapshot(drop)
    window = open_window(qtbot, tmp_path / "hostile.casebook", create=True)
    entered, dropped = drop_urls(window, file_urls(drop))
    assert entered and dropped
    qtbot.waitUntil(lambda: window.wizard is not None, timeout=WAIT_MS)
    wizard = window.wizard
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.review_page, timeout=60_000)
    assert len(wizard.files) == expected
    assert all(f.status in ("ready", "warnings") or f.detail for f in wizard.files)
    with qtbot.waitSignal(window.search_finished, timeout=WAIT_MS):
        wizard.button(QWizard.WizardButton.CommitButton).click()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=60_000)
    report = wizard.report
    assert len(report.files) == expected
    assert all(f.outcome in ("imported", "duplicate") or f.reason for f in report.files)
    reasons = {Path(f.path or f.name).name: f.reason for f in report.files}
    assert "not followed" in reasons["passwd.txt"] and "not followed" in reasons["loop"]
    assert "too large" in reasons["huge.txt"]
    assert "not a regular file" in reasons["pipe.txt"]
    assert window.lib.case_count() >= 15
    passwd = Path("/etc/passwd").read_bytes()[:40]
    assert not window.lib.conn.execute(
        "SELECT count(*) FROM sources WHERE instr(original, ?) > 0", (passwd,)
    ).fetchone()[0]
    wizard.button(QWizard.WizardButton.FinishButton).click()
    close_window(qtbot, window)
    assert snapshot(drop) == before, "the import changed the dropped files"
    assert integrity(tmp_path / "hostile.casebook") == "ok"


@pytest.mark.parametrize(
    "damage",
    ["truncate", "scribble", "text-file"],
)
def test_a_damaged_library_is_refused_plainly_and_never_written(qtbot, reviewed_library, damage):
    conn = sqlite3.connect(reviewed_library)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    data = reviewed_library.read_bytes()
    if damage == "truncate":
        data = data[: len(data) // 2 + 17]
    elif damage == "scribble":
        data = data[:4096] + bytes((i * 31) % 256 for i in range(8192)) + data[4096 + 8192 :]
    else:
        data = b"These are my notes, not a library.\n" * 100
    reviewed_library.write_bytes(data)
    with pytest.raises((LibraryDamaged, NotALibrary)) as raised:
        Library.open(reviewed_library)
    assert "not changed" in raised.value.message or "has not changed it" in raised.value.message
    assert reviewed_library.read_bytes() == data

    from gui.settings import Settings
    from gui.window.main_window import MainWindow

    window = MainWindow(Settings())
    qtbot.addWidget(window)
    shown = []
    QTimer.singleShot(0, lambda: answer_message_box(shown))  # waits for the box, however slow
    assert not window.open_library(reviewed_library)
    assert shown and ("damaged" in shown[0][1] or "not a Casebook library" in shown[0][1])
    assert reviewed_library.read_bytes() == data


def test_an_old_library_is_upgraded_after_a_backup(tmp_path):
    old = tmp_path / "v1.casebook"
    shutil.copy(FIXTURES / "libraries" / "v1.casebook", old)
    original = old.read_bytes()
    lib = Library.open(old)
    assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert lib.case(1).notes == "Written before the upgrade." and lib.case(1).status == "flagged"
    assert lib.case_count() == 3
    lib.save_search("kept", "taser")  # the new table works
    plan = lib.conn.execute("EXPLAIN QUERY PLAN " + _READ_SQL.format(where="id > 0")).fetchall()
    assert "COVERING INDEX" in str(plan)
    lib.close()
    taken = backup.describe(old)
    assert [b.reason for b in taken] == ["before-upgrade-v1"]
    copy = sqlite3.connect(taken[0].path)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    assert copy.execute("SELECT notes FROM cases WHERE id = 1").fetchone()[0] == "Written before the upgrade."
    copy.close()
    assert original != old.read_bytes()


def old_library(tmp_path) -> Path:
    """A copy of the v1 fixture: an older schema, in rollback-journal (not WAL) mode."""
    old = tmp_path / "v1.casebook"
    shutil.copy(FIXTURES / "libraries" / "v1.casebook", old)
    assert old.read_bytes()[18] == 1, "the fixture is not in WAL mode"
    return old


def test_a_backup_gives_up_while_another_program_keeps_the_library_locked(tmp_path):
    old = old_library(tmp_path)
    other = sqlite3.connect(old, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # SQLite's backup alone retries this for ever
    with pytest.raises(LibraryLocked) as e:
        backup.backup_file(old, wait=0.2)
    assert "could not be backed up" in e.value.message
    assert not list(paths.backup_dir(old).iterdir()), "a partial backup was left"
    other.execute("ROLLBACK")
    other.close()
    assert integrity(backup.backup_file(old, wait=0.2)) == "ok"


def test_opening_an_old_library_another_program_keeps_locked_says_busy(tmp_path):
    old = old_library(tmp_path)
    original = old.read_bytes()
    other = sqlite3.connect(old, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LibraryLocked) as e:
            Library.open(old)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "busy" in e.value.message and "not opened" in e.value.advice
    assert old.read_bytes() == original


def test_an_old_library_is_not_upgraded_when_no_backup_can_be_taken(tmp_path):
    old = old_library(tmp_path)
    original = old.read_bytes()
    (paths.data_dir() / "backups").write_text("a file where the backups folder should be")
    with pytest.raises(BackupFailed) as e:
        Library.open(old)
    assert "backup" in e.value.message and "not changed" in e.value.message
    assert old.read_bytes() == original


def test_a_backup_while_another_connection_writes_is_consistent(reviewed_library, tmp_path):
    writer = sqlite3.connect(reviewed_library, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE cases SET notes = 'half-way' WHERE id = 1")
    copy = backup.backup_file(reviewed_library, dest=tmp_path / "copy.casebook")
    writer.execute("ROLLBACK")
    writer.close()
    assert integrity(copy) == "ok"
    lib = Library.open(copy)
    assert lib.case(1).notes == "Two days of notes."
    lib.close()


def test_daily_backups_are_taken_once_and_pruned(reviewed_library):
    for _ in range(3):
        backup.backup_if_due(reviewed_library)
    assert len(backup.list_backups(reviewed_library)) == 1
    for _ in range(backup.KEEP + 3):
        backup.backup_file(reviewed_library)
    assert len(backup.list_backups(reviewed_library)) == backup.KEEP
    assert paths.backup_dir(reviewed_library).is_relative_to(paths.data_dir())


def test_a_backup_abandoned_by_quitting_leaves_no_lasting_partial_copy(reviewed_library):
    # Quitting during the day's backup abandons it part-way: the next backup clears the
    # leftover once it is clearly not being written any more.
    folder = paths.backup_dir(reviewed_library)
    folder.mkdir(parents=True, exist_ok=True)
    old, recent = folder / "x-old.casebook.part", folder / "x-recent.casebook.part"
    for part in (old, recent):
        part.write_bytes(b"half a library")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    backup.backup_file(reviewed_library)
    assert not old.exists() and recent.exists()
    assert len(backup.list_backups(reviewed_library)) == 1


def test_restore_from_backup_in_the_window(qtbot, reviewed_library):
    window = open_window(qtbot, reviewed_library)
    qtbot.waitUntil(lambda: bool(backup.list_backups(reviewed_library)), timeout=WAIT_MS)
    lib = window.lib
    window.session.save_notes(1, "Changed after the backup.", "Two days of notes.")
    qtbot.waitUntil(lambda: window.lib.case(1).notes == "Changed after the backup.", timeout=WAIT_MS)
    info = backup.describe(reviewed_library)[0]
    answer_message(QMessageBox.StandardButton.Yes)
    assert window.flows.restore_backup(reviewed_library, info)
    assert window.lib is not lib
    assert window.lib.case(1).notes == "Two days of notes."
    kept = list(paths.backup_dir(reviewed_library).glob("*replaced*"))
    assert kept, "the replaced library was kept"
    close_window(qtbot, window)


def notes_once_drafts_are_in(qtbot, library: Path) -> str:
    """Open the window on `library`, wait until the drafts left behind went in, close it;
    return case 1's notes."""
    window = open_window(qtbot, library)
    qtbot.waitUntil(lambda: not window.session.notes_saver.has_unsaved(), timeout=WAIT_MS)
    notes = window.lib.case(1).notes
    close_window(qtbot, window)
    assert drafts.all_drafts(library) == {}
    return notes


def test_a_draft_goes_in_over_the_notes_it_was_typed_over(qtbot, reviewed_library):
    base = "Two days of notes."
    drafts.save(reviewed_library, 1, f"{base} And a third", base)
    drafts.save(reviewed_library, 1, f"{base} And a third day", base)  # then killed before saving
    assert notes_once_drafts_are_in(qtbot, reviewed_library) == f"{base} And a third day"


def test_a_draft_typed_on_after_a_save_still_goes_in(qtbot, reviewed_library):
    base = "Two days of notes."
    drafts.save(reviewed_library, 1, f"{base} First part", base)
    drafts.save(reviewed_library, 1, f"{base} First part, second", base)
    with Library.open(reviewed_library) as lib:  # the save of the earlier text lands while typing goes on
        lib.save_notes(1, f"{base} First part", base)
    drafts.clear(reviewed_library, 1, f"{base} First part")
    assert notes_once_drafts_are_in(qtbot, reviewed_library) == f"{base} First part, second"


@pytest.mark.parametrize("how", ["restored", "another-program"])
def test_a_leftover_draft_and_newer_notes_are_both_kept(qtbot, reviewed_library, how):
    lib = Library.open(reviewed_library)
    taken = backup.backup_file(reviewed_library)
    base = "Notes after the backup."
    lib.set_notes(1, base)
    drafts.save(reviewed_library, 1, f"{base} Typed before a crash.", base)
    lib.close()
    if how == "restored":
        backup.restore(taken, reviewed_library)  # the library goes back to "Two days of notes."
        newer = "Two days of notes."
    else:
        with Library.open(reviewed_library) as other:
            other.set_notes(1, "Rewritten in another window.")
        newer = "Rewritten in another window."
    notes = notes_once_drafts_are_in(qtbot, reviewed_library)
    assert "Typed before a crash." in notes and newer.rstrip(".") in notes


def damage_the_free_list(path: Path) -> None:
    """Damage a WAL library where opening and reading never look, only an integrity check:
    the list of its free pages (left by a large deleted saved search)."""
    lib = Library.open(path)
    lib.save_search("large", "x" * 200_000)
    lib.delete_saved_search("large")
    lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    lib.close()
    data = bytearray(path.read_bytes())
    assert data[18] == 2, "the library is in WAL mode"
    page_size, first_free = int.from_bytes(data[16:18], "big"), int.from_bytes(data[32:36], "big")
    assert first_free, "the library has free pages"
    at = (first_free - 1) * page_size
    data[at : at + 8] = b"\xff" * 8  # the next trunk page and the leaf count
    path.write_bytes(data)


def answer_message_box(shown: list, tries: int = 400) -> None:
    """Click Cancel on the next message box to appear, noting its title and text."""
    box = next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None
    )
    if box is None:
        if tries:
            QTimer.singleShot(50, lambda: answer_message_box(shown, tries - 1))
        return
    shown.append((box.windowTitle(), box.text()))
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    cancel.click() if cancel else box.close()


def test_damage_found_by_the_windows_background_check_is_shown_and_never_written(qtbot, reviewed_library):
    from gui.settings import Settings
    from gui.window.main_window import MainWindow

    damage_the_free_list(reviewed_library)
    data = reviewed_library.read_bytes()
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    shown = []
    QTimer.singleShot(0, lambda: answer_message_box(shown))
    assert window.open_library(reviewed_library)  # opens at once: the check runs in the background
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    title, text = shown[0]
    assert title == "The library is damaged" and "has not changed it" in text
    qtbot.waitUntil(lambda: window.lib is None, timeout=WAIT_MS)
    assert reviewed_library.read_bytes() == data
    assert not backup.list_backups(reviewed_library), "a damaged library was backed up"


def test_file_back_up_library_writes_a_consistent_copy_while_another_program_writes(
    qtbot, reviewed_library, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    copy = tmp_path / "elsewhere" / "copy.casebook"
    copy.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    window = open_window(qtbot, reviewed_library)
    file_menu = window.menuBar().actions()[0].menu()
    action = next(a for a in file_menu.actions() if a.text() == "&Back up library…")
    writer = sqlite3.connect(reviewed_library, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE cases SET notes = 'half-way' WHERE id = 1")
    try:
        action.trigger()
        qtbot.waitUntil(lambda: "Backed up to" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    close_window(qtbot, window)
    assert integrity(copy) == "ok"
    assert sorted(p.name for p in copy.parent.iterdir()) == ["copy.casebook"], "a single, whole file"
    lib = Library.open(copy)
    assert lib.case_count() == 2
    assert (lib.case(1).notes, lib.case(1).status) == ("Two days of notes.", "flagged")
    lib.close()


def test_notes_recovered_on_opening_say_which_case_they_went_into(qtbot, reviewed_library):
    from gui.settings import Settings
    from gui.window.main_window import MainWindow

    drafts.save(reviewed_library, 1, "Two days of notes. And a third.", "Two days of notes.")
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    said = []
    window.statusBar().messageChanged.connect(said.append)
    assert window.open_library(reviewed_library)
    window.show()
    qtbot.waitUntil(lambda: any("last closed" in s for s in said), timeout=WAIT_MS)
    (message,) = [s for s in said if "last closed" in s]
    assert message == (
        "Notes you typed in 2016/070829, “Response to intelligence received prior to an attack - "
        "Leicestershire Police, July 2016”, before Casebook last closed are now saved."
    )
    close_window(qtbot, window)
