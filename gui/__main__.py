"""python -m gui: the same as the `casebook` command (and the bundle's entry point)."""

import sys

from gui.app import main

if __name__ == "__main__":
    sys.exit(main())
