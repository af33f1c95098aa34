"""python -m cli: the same as the `casebook-cli` command (and the bundle's console tool)."""

import sys

from gui.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
