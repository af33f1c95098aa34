"""Render the Casebook application icon into PNG, ICO and ICNS files.

Reads resources/icons/casebook.svg and writes beside it casebook-<size>.png for
every size in PNG_SIZES, casebook.ico (PNG-compressed entries, which Windows
Vista+ and PyInstaller accept) and casebook.icns (PNG-based entries for macOS).
Both containers are assembled here with struct, so Pillow is not needed. The
output is deterministic: running the script twice gives byte-identical files.
Afterwards every written file is read back and each image is checked to decode
at the size its header claims.

    python .ci/make_icons.py        # needs no display
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "casebook.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that hold PNG data, with their pixel size; ic11–ic14 are the @2x variants.
ICNS_TYPES = {b"ic11": 32, b"ic12": 64, b"ic07": 128, b"ic13": 256, b"ic08": 256, b"ic14": 512, b"ic09": 512}
DOTS_PER_METRE = 3780  # 96 dpi, fixed so the PNG pHYs chunk never depends on the machine


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The SVG drawn antialiased on a transparent size×size canvas, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    image.setDotsPerMeterX(DOTS_PER_METRE)
    image.setDotsPerMeterY(DOTS_PER_METRE)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return data.data()


def build_ico(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR, one 16-byte ICONDIRENTRY per size (a width of 0 means 256), then the PNGs."""
    directory = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = len(directory) + 16 * len(ICO_SIZES)
    entries = []
    for size in ICO_SIZES:
        entries.append(struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(pngs[size]), offset))
        offset += len(pngs[size])
    return directory + b"".join(entries) + b"".join(pngs[size] for size in ICO_SIZES)


def build_icns(pngs: dict[int, bytes]) -> bytes:
    """'icns' and the total length, then each element: type, length (with its 8-byte header), PNG."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES.items()
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def ico_entries(data: bytes) -> list[tuple[int, bytes]]:
    """(declared size, image bytes) for each entry of an .ico file."""
    reserved, kind, count = struct.unpack_from("<HHH", data)
    if (reserved, kind) != (0, 1):
        raise ValueError("not an ICO directory")
    entries = []
    for index in range(count):
        width, height, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * index)
        if width != height:
            raise ValueError(f"entry {index} is not square")
        entries.append((width or 256, data[offset : offset + length]))
    return entries


def icns_entries(data: bytes) -> list[tuple[int, bytes]]:
    """(size implied by the element type, image bytes) for each element of an .icns file."""
    magic, total = struct.unpack_from(">4sI", data)
    if magic != b"icns" or total != len(data):
        raise ValueError("bad ICNS header")
    entries, offset = [], 8
    while offset < total:
        kind, length = struct.unpack_from(">4sI", data, offset)
        entries.append((ICNS_TYPES[kind], data[offset + 8 : offset + length]))
        offset += length
    return entries


def check(path: Path, entries: list[tuple[int, bytes]], expected: list[int]) -> None:
    """Each entry decodes at its declared size, the sizes are as expected, and Qt's reader agrees."""
    for size, image in entries:
        decoded = QImage.fromData(image, "PNG")
        if (decoded.width(), decoded.height()) != (size, size):
            got = f"{decoded.width()}×{decoded.height()}"
            raise ValueError(f"{path.name}: a {size} px entry decodes as {got}")
    if sorted(size for size, _ in entries) != sorted(expected):
        raise ValueError(f"{path.name}: holds sizes {[size for size, _ in entries]}")
    if path.suffix[1:].encode() in [bytes(name) for name in QImageReader.supportedImageFormats()]:
        reader = QImageReader(str(path))
        read = []
        for index in range(reader.imageCount()):
            reader.jumpToImage(index)
            read.append(reader.read().width())
        if sorted(set(read)) != sorted(set(expected)):
            raise ValueError(f"{path.name}: Qt reads sizes {read}")


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication(sys.argv[:1])  # kept alive while Qt paints and loads image plugins
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot render {SOURCE}")
    pngs = {size: render_png(renderer, size) for size in PNG_SIZES}
    outputs = {ICONS / f"casebook-{size}.png": png for size, png in pngs.items()}
    outputs[ICONS / "casebook.ico"] = build_ico(pngs)
    outputs[ICONS / "casebook.icns"] = build_icns(pngs)
    for path, data in outputs.items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ICONS.parent.parent)} ({len(data)} bytes)")

    for size in PNG_SIZES:
        path = ICONS / f"casebook-{size}.png"
        check(path, [(size, path.read_bytes())], [size])
    check(ICONS / "casebook.ico", ico_entries((ICONS / "casebook.ico").read_bytes()), list(ICO_SIZES))
    icns = ICONS / "casebook.icns"
    check(icns, icns_entries(icns.read_bytes()), list(ICNS_TYPES.values()))
    print("self-check passed")


if __name__ == "__main__":
    main()
