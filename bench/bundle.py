"""The double-click bundle's size and start time (build it first with `make dist`).

    python -m bench.bundle [DIST_FOLDER]      (default: dist/Casebook)

Start time is launch to exit of `Casebook --screenshot` on a library of the bundled
sample cases, offscreen: starting the bundled Python and Qt, opening the library,
the first search, drawing the window and saving the PNG. Median of five launches;
the first launch (cold files) is reported on its own.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def launch(executable: Path, args: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([str(executable), *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    dist = Path(argv[0]) if argv else ROOT / "dist" / "Casebook"
    executable = dist / ("Casebook.exe" if os.name == "nt" else "Casebook")
    cli = dist / ("casebook-cli.exe" if os.name == "nt" else "casebook-cli")
    if not executable.exists():
        print(f"No bundle at {dist}: build it with `make dist` first.", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="casebook-bundle-"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CASEBOOK_HOME": str(work / "home")}
    library = work / "samples.casebook"
    samples = ROOT / "resources" / "samples"
    subprocess.run([str(cli), "--library", str(library), "import", str(samples)], env=env, check=True,
                   capture_output=True)  # fmt: skip
    shot = ["--screenshot", str(work / "window.png"), "--library", str(library)]
    first = launch(executable, shot, env)
    times = [launch(executable, shot, env) for _ in range(RUNS)]
    print(f"- bundle: {dist.name}/ holds {folder_mb(dist):,.0f} MB")
    print(
        f"- `{executable.name} --screenshot` on the sample library, launch to exit: "
        f"{statistics.median(times):.2f} s (median of {RUNS}; the first launch took {first:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
