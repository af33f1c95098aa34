"""Guards against platform regressions measured on our machines (DESIGN.md, "Platform facts")."""

import sys

from PySide6.QtCore import QObject


def test_void_qt_calls_do_not_leak_references_to_none():
    """PySide6 6.12.0 on CPython 3.11 drops a reference to None on every Qt call that
    returns nothing; after ~5,000 calls the process aborts. An upgrade into that bug
    must fail here, loudly, rather than abort the whole test run later."""
    obj = QObject()
    for _ in range(1000):  # warm up caches first
        obj.setObjectName("warm")
    before = sys.getrefcount(None)
    for i in range(20_000):
        obj.setObjectName("x" if i % 2 else "y")
    after = sys.getrefcount(None)
    assert after >= before - 100, f"None lost {before - after} references in 20,000 void Qt calls"
