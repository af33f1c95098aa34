"""The two walls of the design: storage/ knows no Qt, gui/ writes no SQL."""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """The top-level packages a module imports, relative imports resolved against its own."""
    package = path.relative_to(root).parent.parts
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.add(node.module.split(".")[0])
            else:  # from . import x, from ..gui import y: up level - 1 folders from its own
                base = package[: len(package) - (node.level - 1)]
                parts = (*base, *(node.module.split(".") if node.module else ()))
                names.add(parts[0] if parts else "")
    return names


def test_relative_imports_are_resolved(tmp_path):
    module = tmp_path / "storage" / "probe.py"
    module.parent.mkdir()
    module.write_text("from ..gui import main_window\nfrom . import schema\n", "utf-8")
    assert imports_of(module, tmp_path) == {"gui", "storage"}


def test_storage_imports_neither_qt_nor_gui():
    for path in (ROOT / "storage").rglob("*.py"):
        bad = imports_of(path) & {"PySide6", "shiboken6", "gui", "cli"}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_storage_runs_without_qt_loaded():
    code = (
        "import sys, storage.library, storage.search, storage.importing, storage.export;"
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
