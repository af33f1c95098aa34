"""The window's commands: one table of actions (text, shortcut, icon, what it does), and the
menus, toolbar and list menu built from it.

Each action has its own key: statuses are "status:new", … so that no command can take
another's place in a menu.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from storage.records import STATUSES

from ..formatting import plural
from ..icons import icon
from ..safe_text import menu_text, rich

STD = QKeySequence.StandardKey


@dataclass(frozen=True)
class Command:
    text: str
    run: Callable[[], object]
    shortcut: str | STD | list[str | STD] | None = None
    icon: str | None = None
    tip: str | None = None


def status_key(status: str) -> str:
    return f"status:{status}"


def make_actions(window: QMainWindow, commands: dict[str, Command]) -> dict[str, QAction]:
    actions = {}
    for key, command in commands.items():
        action = QAction(command.text, window)
        action.setObjectName(key)
        if command.icon:
            action.setIcon(icon(command.icon))
        if command.shortcut:
            keys = command.shortcut if isinstance(command.shortcut, list) else [command.shortcut]
            action.setShortcuts([QKeySequence(k) for k in keys])
        if command.tip:
            action.setStatusTip(command.tip)
            action.setToolTip(rich(command.tip))
        action.triggered.connect(lambda _=False, run=command.run: run())
        window.addAction(action)
        actions[key] = action
    return actions


MENUS = (
    ("&File", ("new", "open", "recent", None, "import", "import_folder", "history", "samples", None,
               "print", "pdf", "report", "csv", "json", None,
               "backup", "restore", "check", "settings", None, "quit")),
    ("&Edit", ("undo", None, "find", "next_hit", "previous_hit")),
    ("&Case", (*(status_key(s) for s in STATUSES), None, "tag", "findings", "original", "like")),
    ("&View", ("relevance", "timeline", "statistics", "duplicates", None,
               "zoom_in", "zoom_out", "zoom_reset")),
    ("&Help", ("syntax", "log", "about")),
)  # fmt: skip
TOOLBAR = ("import", None, "print", "pdf", "csv", "timeline", None)


def build_menus(window: QMainWindow, actions: dict[str, QAction], recent: Callable[[QMenu], None]) -> None:
    """The menu bar from MENUS; "recent" is the Open recent submenu, filled by `recent`."""
    bar = window.menuBar()
    for title, keys in MENUS:
        menu = bar.addMenu(title)
        for key in keys:
            if key is None:
                menu.addSeparator()
            elif key == "recent":
                submenu = menu.addMenu("Open &recent")
                submenu.aboutToShow.connect(lambda m=submenu: recent(m))
            else:
                menu.addAction(actions[key])


def build_toolbar(window: QMainWindow, actions: dict[str, QAction], search_bar: QWidget) -> QToolBar:
    toolbar = QToolBar("Main")
    toolbar.setObjectName("toolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for key in TOOLBAR:
        toolbar.addAction(actions[key]) if key else toolbar.addSeparator()
    toolbar.addWidget(search_bar)
    window.addToolBar(toolbar)
    return toolbar


def list_menu(
    parent: QWidget, actions: dict[str, QAction], count: int, tags: list[str], remove: Callable[[str], None]
) -> QMenu:
    """The case list's context menu for `count` selected cases holding `tags`."""
    menu = QMenu(parent)
    status_menu = menu.addMenu(f"Set status of {plural(count, 'case')}")
    for status in STATUSES:
        status_menu.addAction(actions[status_key(status)])
    menu.addAction(actions["tag"])
    removing = menu.addMenu("Remove tag")
    for tag in tags:
        removing.addAction(menu_text(tag)).triggered.connect(lambda _=False, t=tag: remove(t))
    removing.setEnabled(bool(tags))
    menu.addAction(actions["findings"])
    menu.addAction(actions["like"])
    menu.addSeparator()
    menu.addAction(actions["print"])
    menu.addAction(actions["pdf"])
    return menu


STATUS_TEXTS = {
    "new": "Mark as &new",
    "in_review": "Mark as &in review",
    "reviewed": "Mark as &reviewed",
    "flagged": "Mark as f&lagged",
}
"""The status commands, each with its own access letter in the Case menu."""


def status_command(status: str, run: Callable[[str], object], shortcut: str) -> Command:
    return Command(STATUS_TEXTS[status], lambda: run(status), shortcut)
