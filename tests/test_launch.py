"""Starting Casebook: first and later runs, files on the command line, a second launch,
the crash handler, the Linux menu entry and --screenshot."""

import contextlib
import os
import subprocess
import sys
import time

import pytest
from conftest import REAL, SEEDS
from gui_helpers import WAIT_MS, close_window, open_window, search
from PySide6.QtGui import QImage

from gui.app import start_window
from gui.settings import Settings
from storage import paths
from storage.library import Library


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


def test_files_handed_over_open_the_import_wizard(qtbot, tmp_path):
    window = start_window(Settings(), None)
    qtbot.addWidget(window)
    window.handle_launch({"files": [str(REAL / "066_tasered-west-yorkshire-2017.txt")], "library": None})
    qtbot.waitUntil(lambda: window.wizard is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.wizard.currentPage() is window.wizard.review_page, timeout=WAIT_MS)
    assert [f.name for f in window.wizard.files] == ["066_tasered-west-yorkshire-2017.txt"]
    window.wizard.reject()
    close_window(qtbot, window)


def test_version():
    result = subprocess.run(
        [sys.executable, "-m", "gui", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.startswith("Casebook ")


def test_screenshot_of_a_library(tmp_path):
    library = tmp_path / "shot.casebook"
    lib = Library.open(library, create=True)
    from storage.importing import import_paths

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


def test_a_second_launch_hands_over_to_the_first_and_the_library_stays_whole(tmp_path):
    home = tmp_path / "home"
    library = tmp_path / "shared.casebook"
    Library.open(library, create=True).close()
    env = {**os.environ, "CASEBOOK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    first = subprocess.Popen(
        [sys.executable, "-m", "gui", "--library", str(library)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        log = home / "logs" / "casebook.log"
        listening = wait_for(lambda: log.exists() and "listening for later launches" in log.read_text())
        assert listening, "the first window did not start"
        second = run_casebook(REAL / "066_tasered-west-yorkshire-2017.txt", "--library", library, home=home)
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        assert wait_for(lambda: "066_tasered-west-yorkshire-2017.txt" in log.read_text())
        assert first.poll() is None, "the first window is still open"
    finally:
        first.terminate()
        first.wait(timeout=30)
    lib = Library.open(library)
    assert lib.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    lib.close()


def test_the_crash_handler_writes_a_report_and_says_so(qtbot, monkeypatch, private_home):
    from PySide6.QtWidgets import QMessageBox

    from gui import crash

    told = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    crash.install()
    try:
        raise ValueError("boom")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    reports = list(paths.log_dir().glob("crash-*.txt"))
    assert len(reports) == 1 and "ValueError: boom" in reports[0].read_text()
    assert told and str(reports[0]) in told[0] and "saved" in told[0]


def test_installing_the_linux_menu_entry(tmp_path, monkeypatch):
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
    out = tmp_path / "bundle.png"
    run = subprocess.run([str(exe), "--library", str(library), "--screenshot", str(out)], env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert_window_picture(out)
    assert (folder / "_internal" / "resources" / "samples").is_dir()
    assert (folder / "_internal" / "resources" / "print.css").exists()
