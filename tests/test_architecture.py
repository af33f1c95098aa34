"""The walls of the design: storage/ knows no Qt, gui/ writes no SQL, and storage's layers
(reading < keeping < searching < patterns) import only from below."""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def modules_imported(path: Path, root: Path = ROOT) -> set[tuple[str, ...]]:
    """The modules (as dotted parts) a module imports, relative imports resolved against its
    own package; `from x import y` counts as importing x.y, which may be a module."""
    package = path.relative_to(root).parent.parts
    tree = ast.parse(path.read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(tuple(a.name.split(".")) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = tuple(node.module.split("."))
            else:  # from . import x, from ..gui import y: up level - 1 folders from its own
                base = package[: len(package) - (node.level - 1)]
                base = (*base, *(node.module.split(".") if node.module else ()))
            found.update((*base, a.name) for a in node.names)
    return found


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """The top-level packages a module imports."""
    return {parts[0] for parts in modules_imported(path, root) if parts}


STORAGE_LAYERS = ("reading", "keeping", "searching", "patterns")


def test_storage_layers_import_only_from_below():
    for path in (ROOT / "storage").rglob("*.py"):
        here = path.relative_to(ROOT).parts
        if len(here) < 3:  # storage/errors.py, records.py, …: the base and export
            continue
        rank = STORAGE_LAYERS.index(here[1])
        for parts in modules_imported(path):
            if parts[:1] == ("storage",) and len(parts) > 1 and parts[1] in STORAGE_LAYERS:
                assert STORAGE_LAYERS.index(parts[1]) <= rank, f"{'/'.join(here)} imports {'.'.join(parts)}"


def test_relative_imports_are_resolved(tmp_path):
    module = tmp_path / "storage" / "probe.py"
    module.parent.mkdir()
    module.write_text("from ..gui import main_window\nfrom . import schema\n", "utf-8")
    assert imports_of(module, tmp_path) == {"gui", "storage"}


def test_storage_imports_neither_qt_nor_gui():
    for path in (ROOT / "storage").rglob("*.py"):
        bad = imports_of(path) & {"PySide6", "shiboken6", "gui"}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_storage_runs_without_qt_loaded():
    code = (
        "import sys, storage.keeping.library, storage.searching.search, storage.keeping.importing,"
        " storage.export, storage.patterns.stats;"
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


SQL = re.compile(r"\.execute\(|\bSELECT\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b")


def test_gui_holds_no_sql():
    for path in (ROOT / "gui").rglob("*.py"):
        text = path.read_text("utf-8")
        assert not SQL.search(text), f"{path.relative_to(ROOT)} contains SQL"
        assert "sqlite3" not in imports_of(path), f"{path.relative_to(ROOT)} imports sqlite3"
