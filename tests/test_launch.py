"""Starting Casebook: first and later runs, files on the command line, a second launch,
the crash handler, the Linux menu entry and --screenshot."""

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from importlib import metadata

import pytest
from conftest import FIXTURES, REAL, SEEDS
from gui_helpers import WAIT_MS, answer_message, close_window, open_window, search
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from gui.app import parse_args, start_window
from gui.session.session import prepare_reader
from gui.settings import Settings
from storage import paths
from storage.keeping.importing import import_paths
from storage.keeping.library import Library

TASERED = REAL / "066_tasered-west-yorkshire-2017.txt"


def run_casebook(*args, home, timeout=120, **kw):
    env = {**os.environ, "CASEBOOK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "gui", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        **kw,
    )


def test_first_run_creates_the_default_library_and_welcomes(qtbot, private_home):
    window = start_window(Settings(), None)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.result is not None, timeout=WAIT_MS)
    assert window.lib.path == paths.default_library_path()
    assert window.lib.path.is_relative_to(private_home)
    assert window.list_stack.currentWidget() is window.empty_library
    assert "Welcome to Casebook" in window.empty_library.title.text()
    assert "Drag summary files" in " ".join(
        label.text() for label in window.empty_library.findChildren(type(window.empty_library.title))
    )
    close_window(qtbot, window)


def wrapped_labels_fit(page) -> list[str]:
    """The word-wrapped labels of `page` that are drawn shorter than their text needs."""
    from PySide6.QtWidgets import QLabel

    return [
        label.text()
        for label in page.findChildren(QLabel)
        if label.wordWrap() and label.text() and label.height() < label.heightForWidth(label.width())
    ]


def assert_laid_out_unclipped(qtbot, page) -> None:
    """Once the page's layout has caught up with its texts, no label is shorter than its text."""
    with contextlib.suppress(qtbot.TimeoutError):
        qtbot.waitUntil(lambda: not wrapped_labels_fit(page), timeout=5000)
    assert wrapped_labels_fit(page) == []


@pytest.mark.parametrize("size", [(1600, 920), (1000, 700)])
def test_the_welcome_text_is_not_clipped(qtbot, size):
    window = start_window(Settings(), None)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.result is not None, timeout=WAIT_MS)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    page = window.empty_library
    qtbot.waitUntil(lambda: page.isVisible() and page.width() > 300, timeout=WAIT_MS)
    assert "Welcome to Casebook" in page.title.text()
    assert_laid_out_unclipped(qtbot, page)
    close_window(qtbot, window)


def test_the_no_results_text_is_not_clipped(qtbot, library):
    path = library.path
    library.close()
    window = open_window(qtbot, path)
    window.resize(1000, 700)
    search(qtbot, window, 'nothing matches this "unbalanced quote force:nowhere')
    qtbot.waitUntil(lambda: window.no_results.isVisible(), timeout=WAIT_MS)
    assert "No cases match" in window.no_results.title.text()
    assert_laid_out_unclipped(qtbot, window.no_results)
    close_window(qtbot, window)


def test_second_run_opens_the_last_library(qtbot, tmp_path):
    first = start_window(Settings(), None)
    qtbot.addWidget(first)
    other = tmp_path / "other.casebook"
    with qtbot.waitSignal(first.search_finished, timeout=WAIT_MS):
        assert first.open_library(other, create=True)
    close_window(qtbot, first)

    second = start_window(Settings(), None)
    qtbot.addWidget(second)
    assert second.lib.path == other
    assert "Your library is empty" in second.empty_library.title.text()
    close_window(qtbot, second)


def test_the_reader_prepared_at_launch_serves_the_library_the_window_opens(qtbot, library, tmp_path):
    """Launching starts reading the library it expects to open before the window is built;
    when the window opens that library, its list is that library's, and when it opens another
    (the expected one could not be opened), the list is the other's, not the prepared one's."""
    expected = library.path
    library.close()
    prepare_reader(expected)
    window = start_window(Settings(), str(expected))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.result is not None, timeout=WAIT_MS)
    assert window.result.total == len(list(REAL.glob("*.txt"))) + len(list(SEEDS.glob("*.txt")))
    close_window(qtbot, window)

    other = tmp_path / "other.casebook"
    lib = Library.open(other, create=True)
    import_paths(lib, [str(TASERED)])
    lib.close()
    prepare_reader(expected)
    window = start_window(Settings(), str(other))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.result is not None, timeout=WAIT_MS)
    assert window.result.total == 1
    assert "Tasered" in window.model.case_row(0).title
    close_window(qtbot, window)


def test_a_reader_prepared_at_launch_leaves_an_old_library_to_the_upgrade(qtbot, tmp_path):
    """An older library is upgraded only after a backup, with the window saying so: reading it
    ahead at launch must not open (and so upgrade) it first."""
    old = tmp_path / "v1.casebook"
    shutil.copy(FIXTURES / "libraries" / "v1.casebook", old)
    original = old.read_bytes()
    prepare_reader(old)
    time.sleep(0.5)  # what a reader started in spite of the version would have done by now
    assert old.read_bytes() == original
    assert not paths.backup_dir(old).exists() or not list(paths.backup_dir(old).iterdir())


def test_files_handed_over_open_the_import_wizard(qtbot, tmp_path):
    window = start_window(Settings(), None)
    qtbot.addWidget(window)
    window.handle_launch({"files": [str(REAL / "066_tasered-west-yorkshire-2017.txt")], "library": None})
    qtbot.waitUntil(lambda: window.wizard is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.wizard.currentPage() is window.wizard.review_page, timeout=WAIT_MS)
    assert [f.name for f in window.wizard.files] == ["066_tasered-west-yorkshire-2017.txt"]
    window.wizard.reject()
    close_window(qtbot, window)


def test_a_launch_restores_a_minimised_window_and_keeps_a_maximised_one(qtbot):
    window = start_window(Settings(), None)
    qtbot.addWidget(window)
    window.showMaximized()
    qtbot.waitExposed(window)
    window.handle_launch({"files": [], "library": None})
    assert window.isMaximized() and window.isVisible()
    window.showMinimized()
    assert window.isMinimized()
    window.handle_launch({"files": [], "library": None})
    assert not window.isMinimized() and window.isMaximized()
    close_window(qtbot, window)


def test_crash_reports_in_the_same_second_do_not_overwrite_each_other(private_home):
    from gui.crash import write_report

    for n in range(5):
        try:
            raise RuntimeError(f"crash number {n}")
        except RuntimeError:
            write_report(*sys.exc_info())
    reports = sorted(paths.log_dir().glob("crash-*.txt"))
    assert len(reports) == 5
    for n in range(5):
        assert sum(f"crash number {n}" in r.read_text() for r in reports) == 1


def test_open_with_on_macos_starts_an_import_of_the_files(qtbot, qapp):
    """The Finder sends "Open with Casebook" files to the application as QFileOpenEvents."""
    from PySide6.QtGui import QFileOpenEvent

    from gui.file_open import FileOpenEvents

    other = REAL / "003_handling-complaint-merseyside-2022.txt"
    opener = FileOpenEvents(qapp)
    try:
        window = start_window(Settings(), None, [opener])
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.result is not None, timeout=WAIT_MS)
        for path in (TASERED, other):
            event = QFileOpenEvent(str(path))
            assert QApplication.sendEvent(qapp, event)
        qtbot.waitUntil(lambda: window.wizard is not None, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.wizard.currentPage() is window.wizard.review_page, timeout=WAIT_MS)
        assert sorted(f.name for f in window.wizard.files) == sorted([TASERED.name, other.name])
        window.wizard.reject()
    finally:
        qapp.removeEventFilter(opener)
        opener.deleteLater()
    close_window(qtbot, window)


def test_open_with_casebook_on_a_library_opens_it_rather_than_importing_it(tmp_path):
    """A file manager's "Open with Casebook" on a .casebook file hands it over as a file: it
    opens as the library (before, the import wizard said it was not a summary)."""
    library = str(tmp_path / "Reviews 2026.casebook")
    assert (parse_args([library]).library, parse_args([library]).files) == (library, [])
    summary = str(TASERED)
    assert parse_args([library, summary]).files == [library, summary]  # several: an import, as before
    assert parse_args(["--library", library, summary]).files == [summary]


def test_a_folder_named_like_a_library_is_still_imported(tmp_path):
    """A folder of summaries whose name ends in .casebook is not a library: handed to Casebook
    alone, it is imported as before, not refused as "a folder, not a library file"."""
    folder = tmp_path / "cases.casebook"
    folder.mkdir()
    args = parse_args([str(folder)])
    assert (args.library, args.files) == (None, [str(folder)])


def test_version():
    result = subprocess.run(
        [sys.executable, "-m", "gui", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.startswith("Casebook ")


def test_screenshot_of_a_library(tmp_path):
    library = tmp_path / "shot.casebook"
    lib = Library.open(library, create=True)
    from storage.keeping.importing import import_paths

    import_paths(lib, [str(SEEDS)])
    lib.close()
    out = tmp_path / "window.png"
    result = run_casebook(
        "--screenshot", out, "--library", library, "--search", "risk", home=tmp_path / "home"
    )
    assert result.returncode == 0, result.stderr
    assert_window_picture(out)


def assert_window_picture(path):
    image = QImage(str(path))
    assert not image.isNull() and image.width() >= 1000
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 29)}
    assert len(colours) > 20, "the picture is blank"


def wait_for(predicate, seconds=60):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def start_first(home, library) -> subprocess.Popen:
    """A first Casebook in its own process, once it listens for later launches."""
    env = {**os.environ, "CASEBOOK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    first = subprocess.Popen(
        [sys.executable, "-m", "gui", "--library", str(library)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not wait_for(lambda: "listening for later launches" in log_text(home)):
        first.kill()
        pytest.fail("the first window did not start")
    return first


def log_text(home) -> str:
    log = home / "logs" / "casebook.log"
    return log.read_text() if log.exists() else ""


def stop(process) -> None:
    os.kill(process.pid, signal.SIGCONT)
    process.terminate()
    process.wait(timeout=30)


def assert_whole(library) -> None:
    lib = Library.open(library)
    assert lib.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    lib.close()


def test_a_second_launch_hands_over_to_the_first_and_the_library_stays_whole(tmp_path):
    home = tmp_path / "home"
    library = tmp_path / "shared.casebook"
    Library.open(library, create=True).close()
    first = start_first(home, library)
    try:
        second = run_casebook(TASERED, "--library", library, home=home)
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        assert wait_for(lambda: TASERED.name in log_text(home))
        assert first.poll() is None, "the first window is still open"
    finally:
        stop(first)
    assert_whole(library)


def test_a_launch_after_a_crash_takes_over_the_lock_and_the_socket(qtbot, tmp_path, private_home):
    from gui.single_instance import InstanceServer, claim

    library = tmp_path / "crashed.casebook"
    Library.open(library, create=True).close()
    first = start_first(private_home, library)
    first.kill()  # leaves its lock file and (on Unix) its socket file behind
    first.wait(timeout=30)
    lock = claim({"files": [], "library": None}, wait_ms=5000)
    assert lock is not None and lock.isLocked()
    server = InstanceServer(lock)
    try:
        assert server.listening
    finally:
        server.server.close()
        lock.unlock()


def test_a_second_launch_reaches_this_window(qtbot, tmp_path, private_home):
    """This test is the first Casebook: start_window wires its server to the window."""
    from gui.single_instance import InstanceServer, claim

    lock = claim({"files": [], "library": None}, wait_ms=5000)
    assert lock is not None
    server = InstanceServer(lock)
    window = start_window(Settings(), None, [server])
    qtbot.addWidget(window)
    try:
        second = subprocess.Popen(
            [sys.executable, "-m", "gui", str(TASERED)],
            env={**os.environ, "CASEBOOK_HOME": str(private_home), "QT_QPA_PLATFORM": "offscreen"},
            stdout=subprocess.PIPE,
            text=True,
        )
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=WAIT_MS * 3)
        assert second.returncode == 0 and "already running" in second.stdout.read()
        qtbot.waitUntil(lambda: window.wizard is not None, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.wizard.currentPage() is window.wizard.review_page, timeout=WAIT_MS)
        assert [f.name for f in window.wizard.files] == [TASERED.name]
        window.wizard.reject()
    finally:
        server.server.close()
        lock.unlock()
    close_window(qtbot, window)


def answer_message_boxes(qtbot, texts: list[str]) -> QTimer:
    """Click OK on each message box that opens, keeping its text."""
    from PySide6.QtWidgets import QMessageBox

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            texts.append(box.text())
            qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(100)
    return timer


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="stops a process with SIGSTOP")
def test_a_busy_first_window_keeps_its_socket_and_a_second_launch_waits_or_says_so(
    qtbot, tmp_path, private_home, monkeypatch
):
    from gui import app, single_instance

    library = tmp_path / "shared.casebook"
    Library.open(library, create=True).close()
    first = start_first(private_home, library)
    try:
        os.kill(first.pid, signal.SIGSTOP)  # busy: alive, but not answering
        second = subprocess.Popen(
            [sys.executable, "-m", "gui", str(TASERED), "--library", str(library)],
            env={**os.environ, "CASEBOOK_HOME": str(private_home), "QT_QPA_PLATFORM": "offscreen"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(single_instance.CONNECT_MS / 1000 * 3)  # longer than a quick hand-over waits
        os.kill(first.pid, signal.SIGCONT)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err
        assert "already running" in out
        assert wait_for(lambda: TASERED.name in log_text(private_home))

        os.kill(first.pid, signal.SIGSTOP)  # and now it stays busy
        monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # app.main installs the crash handler
        handlers = list(logging.getLogger().handlers)
        texts: list[str] = []
        timer = answer_message_boxes(qtbot, texts)
        try:
            assert app.main(["--library", str(library)]) == 1
        finally:
            timer.stop()
            for handler in set(logging.getLogger().handlers) - set(handlers):
                logging.getLogger().removeHandler(handler)
                handler.close()
        assert len(texts) == 1 and "did not answer" in texts[0]
        os.kill(first.pid, signal.SIGCONT)

        third = run_casebook("--library", library, home=private_home)  # the first still has the socket
        assert third.returncode == 0 and "already running" in third.stdout, third.stderr
        assert log_text(private_home).count("listening for later launches") == 1
        assert first.poll() is None
    finally:
        stop(first)
    assert_whole(library)


def test_the_crash_handler_writes_a_report_and_says_so(qtbot, monkeypatch, private_home):
    from PySide6.QtWidgets import QMessageBox

    from gui import crash

    told = []
    answer_message(QMessageBox.StandardButton.Ok, told)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    crash.install()
    try:
        raise ValueError("boom")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    reports = list(paths.log_dir().glob("crash-*.txt"))
    assert len(reports) == 1 and "ValueError: boom" in reports[0].read_text()
    assert told and str(reports[0]) in told[0][1] and "saved" in told[0][1]


def test_installing_the_linux_menu_entry(tmp_path, monkeypatch, qapp):
    from gui.app import configure
    from gui.desktop_install import install

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    written = install()
    entry = tmp_path / "share" / "applications" / "casebook.desktop"
    assert entry in written
    text = entry.read_text()
    assert "Name=Casebook" in text and "Icon=casebook" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith("%F") and ("casebook" in exec_line or "-m gui" in exec_line)
    assert (tmp_path / "share" / "icons" / "hicolor" / "256x256" / "apps" / "casebook.png").exists()
    # The menu and the dock find the running window by these: on X11 its WM_CLASS class
    # is the application name, on Wayland its app id is the desktop file name.
    configure(qapp)
    assert f"StartupWMClass={qapp.applicationName()}" in text.splitlines()
    assert f"{qapp.desktopFileName()}.desktop" == entry.name


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X11 libraries of Linux desktops")
def test_make_dist_warns_when_the_desktop_libraries_are_missing():
    import runpy

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    check_dist = runpy.run_path(os.path.join(root, ".ci", "check_dist.py"))
    NEEDED, missing = check_dist["NEEDED"], check_dist["missing"]
    assert missing({"c": "libc6", "casebook-no-such-library": "no-such-package"}) == ["no-such-package"]
    check = subprocess.run(
        [sys.executable, ".ci/check_dist.py"], capture_output=True, text=True, cwd=root
    )
    assert check.returncode == 0  # a warning, not a failure
    absent = missing(NEEDED)
    assert ("WARNING" in check.stderr) == bool(absent)
    for package in absent:
        assert package in check.stderr
    if shutil.which("make"):
        plan = subprocess.run(["make", "-n", "dist"], capture_output=True, text=True, cwd=root).stdout
        assert ".ci/check_dist.py" in plan and plan.index("check_dist") < plan.index("pyinstaller")


@pytest.mark.slow
def test_the_double_click_bundle_builds_and_runs(tmp_path):
    """PyInstaller builds the one-folder app from build.spec; it starts and draws its window."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(tmp_path / "dist"),
         "--workpath", str(tmp_path / "build"), os.path.join(root, "build.spec")],
        capture_output=True, text=True, timeout=900, cwd=root,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-3000:]
    folder = tmp_path / "dist" / "Casebook"
    exe = folder / ("Casebook.exe" if sys.platform == "win32" else "Casebook")
    cli = folder / ("casebook-cli.exe" if sys.platform == "win32" else "casebook-cli")
    env = {**os.environ, "CASEBOOK_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}
    library = tmp_path / "bundle.casebook"
    imported = subprocess.run([str(cli), "--library", str(library), "import", str(SEEDS)], env=env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    if sys.platform != "win32":  # a windowed .exe has no standard output
        shown = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=120)
        assert shown.stdout.strip() == f"Casebook {metadata.version('casebook')}"  # metadata bundled
    out = tmp_path / "bundle.png"
    run = subprocess.run([str(exe), "--library", str(library), "--screenshot", str(out)], env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert_window_picture(out)
    assert (folder / "_internal" / "resources" / "samples").is_dir()
    assert (folder / "_internal" / "resources" / "print.css").exists()
