"""Benchmarks for Casebook: import, search, paging and size at 1,000 to 100,000 cases.

`python -m bench.run` (or `make bench`) prints Markdown tables for docs/PERFORMANCE.md.
The corpus is synthetic (`bench.corpus`) and the peer importer is a plain sqlite-utils
script (`bench.plain`), so the figures can be compared with what a simple tool would do.
"""

from pathlib import Path

SCREEN = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "screens" / "desktop.json"


def offscreen() -> str:
    """The Qt platform the window benchmarks run on: offscreen, on a 1920×1080 screen as the
    tests' (Qt's own offscreen screen is 800×800, where the window opens maximised and its
    panes sit at their least widths)."""
    return f"offscreen:configfile={SCREEN}"
