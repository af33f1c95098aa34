"""The package as pip builds it: no warnings from the build, and its resources inside."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_builds_without_warnings_and_finds_its_resources(tmp_path):
    source = tmp_path / "source"  # a copy: the build leaves its build/ folder behind
    skip = shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__", "tests", "bench")
    shutil.copytree(ROOT, source, ignore=skip)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(tmp_path), str(source)],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    said = built.stdout + built.stderr
    backend = [line for line in said.splitlines() if "Warning" in line and "Location" not in line]
    assert backend == []  # e.g. "`project.license` as a TOML table is deprecated"
    assert "is absent from the `packages` configuration" not in said
    (wheel,) = tmp_path.glob("casebook-*.whl")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp_path / "site")
    needed = ("print.css", "icons/casebook.svg", "icons/actions/tag.svg", "samples/003_3383604867fd5015.txt")
    found = subprocess.run(
        [sys.executable, "-c",
         f"import resources as r; print(r.ROOT); print(all(r.path(p).exists() for p in {needed}))"],
        capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site")},
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines() == [str(tmp_path / "site" / "resources"), "True"]
