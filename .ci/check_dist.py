"""Before `make dist` on Linux: warn when the X11 libraries a desktop bundle needs are missing.

PyInstaller copies into the bundle the libraries that Qt's X11 plugin uses, as
found on the build machine. Built without these, the bundle runs offscreen but
on a desktop that lacks them too it stops with "could not load the Qt platform
plugin xcb". The build still goes on: a bundle for servers does not need them.

    python .ci/check_dist.py
"""

from __future__ import annotations

import ctypes.util
import sys

# library name (as in libNAME.so) -> the Debian/Ubuntu package that has it
NEEDED = {"xcb-icccm": "libxcb-icccm4", "xcb-keysyms": "libxcb-keysyms1"}


def missing(needed: dict[str, str] = NEEDED) -> list[str]:
    """The packages of `needed` whose library this machine does not have."""
    return [package for library, package in needed.items() if ctypes.util.find_library(library) is None]


def main() -> int:
    if not sys.platform.startswith("linux"):
        return 0
    absent = missing()
    if absent:
        print(
            "\n*** WARNING: the X11 libraries for a desktop bundle are missing: "
            f"{', '.join(absent)}.\n"
            "*** The bundle will not start on desktops that lack them. Install them first:\n"
            f"***     sudo apt-get install {' '.join(absent)}\n",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
