"""Bundled files: icons, the print stylesheet, the .desktop entry and the sample cases."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. path("samples")."""
    return ROOT.joinpath(*parts)
