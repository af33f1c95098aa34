"""casebook: start the window.

casebook [FILE_OR_FOLDER ...] [--library PATH] [--search QUERY]
casebook --screenshot OUT.png [--library PATH] [--search QUERY]   (offscreen, then exit)
casebook --install-desktop     (Linux: add Casebook to the applications menu)
casebook --version

A second launch hands its files (and library) to the running window and exits;
on macOS, "Open with Casebook" sends the files as events to the running one.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
from pathlib import Path

log = logging.getLogger("casebook")

SCREENSHOT_SIZE = (1600, 920)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="casebook", description="Review police-conduct case summaries.")
    parser.add_argument("files", nargs="*", metavar="FILE_OR_FOLDER", help="summaries to import")
    parser.add_argument("--library", metavar="PATH", help="open this library file")
    parser.add_argument("--search", metavar="QUERY", help="start with this search")
    parser.add_argument("--screenshot", metavar="PNG", help="render the window to a PNG file and exit")
    parser.add_argument(
        "--install-desktop", action="store_true", help="add Casebook to the Linux menu and exit"
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    args = parser.parse_args(argv)
    from storage.library_files import SUFFIX

    given = args.files[0] if len(args.files) == 1 else ""
    if not args.library and given.casefold().endswith(SUFFIX) and not Path(given).is_dir():
        args.library, args.files = given, []  # "Open with Casebook" on a library opens it
    return args


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()  # the import's worker processes in a bundled app
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from .dialogs import version

    if args.version:
        print(f"Casebook {version()}")
        return 0
    if args.install_desktop:
        from .desktop_install import install

        for path in install():
            print(path)
        return 0
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication, QMessageBox

    from storage import paths

    from . import crash
    from .safe_text import message
    from .settings import Settings
    from .single_instance import NOT_ANSWERING, InstanceServer, NotAnswering, claim

    paths.setup_logging()
    log.info("Casebook %s starting", version())
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "casebook"])
    configure(app)
    crash.install()

    launch = {
        "files": [str(Path(f).resolve()) for f in args.files],
        "library": str(Path(args.library).resolve()) if args.library else None,
    }
    launches = []  # what can hand the window more files once it is open
    if not args.screenshot:
        try:
            lock = claim(launch)
        except NotAnswering:
            print(NOT_ANSWERING, file=sys.stderr)
            message(None, QMessageBox.Icon.Warning, "Casebook", NOT_ANSWERING)
            return 1
        if lock is None:
            print("Casebook is already running: its window now has your files.")
            log.info("handed %s over to the running Casebook", launch)
            return 0
        launches.append(InstanceServer(lock, app))
        if sys.platform == "darwin":
            from .file_open import FileOpenEvents

            launches.append(FileOpenEvents(app))

    if args.screenshot and args.library:
        problem = library_problem(Path(args.library))
        if problem:  # no one is there to read a message box
            print(f"casebook: {args.library}: {problem}", file=sys.stderr)
            return 1
    from .session.session import prepare_reader

    settings = Settings()
    prepare_reader(start_libraries(settings, args.library)[0])
    window = start_window(settings, args.library, launches)
    if window is None:
        return 1
    if args.search:
        window.search_bar.set_text(args.search)
    if args.screenshot:
        return screenshot(window, Path(args.screenshot))
    window.show()
    if args.files:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: window.start_import(args.files))
    return app.exec()


def configure(app) -> None:
    """Name the application: its settings, its window class on X11 and its desktop entry."""
    from .dialogs import version
    from .icons import app_icon

    app.setApplicationName("Casebook")  # also the X11 WM_CLASS: StartupWMClass in casebook.desktop
    app.setOrganizationName("Casebook")
    app.setApplicationVersion(version())
    app.setDesktopFileName("casebook")  # Wayland matches the window to casebook.desktop by this
    app.setWindowIcon(app_icon())


def start_window(settings, library: str | None, launches=()):
    """The main window on the library to start with; None if no library could be opened.

    The first run creates the default library and welcomes the user; later runs
    open the last library used. Each of `launches` (an object with a `received`
    signal) is connected to the window before anything can run an event loop,
    so no file handed over while the library opens is lost.
    """
    from .window.main_window import MainWindow

    window = MainWindow(settings)
    for source in launches:
        source.received.connect(window.handle_launch)
    window.empty_library.set_welcome(not settings.get("welcome/shown"))
    if not open_start_library(window, settings, library):
        return None
    settings.set("welcome/shown", True)
    return window


def start_libraries(settings, given: str | None) -> list[Path]:
    """The libraries to open at start, in the order to try them: the one asked for; else the
    last one used, then the default (created if need be)."""
    from storage import paths

    default = paths.default_library_path()
    if given:
        return [Path(given)]
    last = settings.get("library/last")
    return [Path(last), default] if last and Path(last) != default else [default]


def open_start_library(window, settings, given: str | None) -> bool:
    *first, final = start_libraries(settings, given)
    return any(window.open_library(path) for path in first) or window.open_library(final, create=not given)


def library_problem(path: Path) -> str | None:
    """Why the library at `path` cannot be opened, in plain words; None if it can."""
    from storage.errors import LibraryError
    from storage.keeping.library import Library

    try:
        Library.open(path, create=False).close()
    except LibraryError as e:
        return f"{e.title}. {e}"
    return None


def screenshot(window, path: Path) -> int:
    """Show the window offscreen, wait for the first search, select a case, save a PNG."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMaximized)  # a set size, any screen
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    loop = QEventLoop()
    window.search_finished.connect(lambda _: loop.quit())
    QTimer.singleShot(60_000, loop.quit)
    if window.result is None:
        loop.exec()
    if window.model.rowCount():
        window.select_row(0)
    for _ in range(5):
        QTimer.singleShot(50, loop.quit)
        loop.exec()
    ok = window.grab().save(str(path))
    window.close()
    if not ok:
        print(f"casebook: could not write {path}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
