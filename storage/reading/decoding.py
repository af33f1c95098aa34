"""Turn a file's bytes into clean text, or say in plain words why that is not possible.

Summary files arrive as UTF-8 (with or without a BOM), UTF-16 with a BOM, or
Windows-1252 from older tools; some are not text at all (a PDF or a Word file
renamed to .txt). Nothing here raises anything but `Unreadable`.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from ..records import ReadWarning

MAX_BYTES = 5 * 1024 * 1024
"""A summary is a few kilobytes; anything this big is not one."""

# (leading bytes, what the file is) for formats people save by mistake as .txt
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a Word (DOCX), OpenDocument or ZIP file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an older Word or Excel document (DOC, XLS)"),
    (b"{\\rtf", "a rich-text (RTF) document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"7z\xbc\xaf\x27\x1c", "a compressed (7-Zip) file"),
    (b"Rar!\x1a\x07", "a compressed (RAR) file"),
    (b"\x7fELF", "a program, not a document"),
    (b"SQLite format 3\x00", "a database file"),
)
_HTML_START = re.compile(rb"^\s*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32-le": "UTF-32",
    "utf-32-be": "UTF-32",
    "cp1252": "Windows-1252",
}

# Characters that carry no text: zero-width spaces and joiners, stray BOMs, soft hyphens,
# and the private-use marks the detail pane uses for search hits.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\ue000\ue001]")
# Everything that ends a line in one tool or another becomes "\n".
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")
_OTHER_BREAKS = re.compile(r"[\u2028\u2029\x85]")
# A form feed or vertical tab is white space, not the end of a line: PDF text puts a form
# feed next to the line break between pages (so a page break still ends a line), and one
# inside a line must not cut it, as a title.
_SPACES = str.maketrans("\x0b\x0c", "  ")
_UNUSUAL = re.compile(
    "[\r\u2028\u2029\x85\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00a0\u200b-\u200d\u2060\ufeff\u00ad\ue000\ue001]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Private-use code points the detail pane uses to mark search hits.
HIT_START, HIT_END = "\ue000", "\ue001"


_OTHER_DIGIT = re.compile(r"[^\D0-9]")
"""A decimal digit (Unicode's, as `str.isdecimal`) other than 0-9. Scanned for in C: converting
character by character in Python cost a third of the reader, as most files hold curly quotes."""
_PLAIN_BYTES = bytes(range(32, 127)) + b"\n\t"


def ascii_digits(text: str) -> str:
    """Decimal digits of any script (Arabic-Indic, Devanagari, full-width…) as 0-9, one for one.

    Numbers are read with [0-9] everywhere, from this: so "٢٠١٦/٠٧٠٨٢٩" and "2016/070829" are
    one reference, and a superscript "²", which is no decimal digit, is never taken for a number."""
    if text.isascii() or not _OTHER_DIGIT.search(_rare_characters(text)):
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m[0])), text)


def _rare_characters(text: str) -> str:
    """The characters of `text` other than printable ASCII, line breaks and tabs, in order: the
    bytes of those left out of its UTF-8. Looking for a kind of character among a text's few
    curly quotes and dashes is quicker than testing every character (a fifth of the time)."""
    data = text.encode("utf-8", "surrogatepass")
    return data.translate(None, _PLAIN_BYTES).decode("utf-8", "surrogatepass")


class Unreadable(Exception):
    """The file cannot be read as a summary; `reason` says why in plain words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[ReadWarning, ...]


def describe_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def too_large_reason(size: int) -> str:
    return (
        f"The file is too large to be a case summary ({describe_size(size)}; "
        f"summaries are a few KB and the limit is {describe_size(MAX_BYTES)})."
    )


def decode(data: bytes) -> Decoded:
    """Decode and normalise a summary file's bytes; raise `Unreadable` with a reason."""
    if not data:
        raise Unreadable("The file is empty.")
    if len(data) > MAX_BYTES:
        raise Unreadable(too_large_reason(len(data)))
    for signature, what in SIGNATURES:
        if data.startswith(signature):
            raise Unreadable(f"This is {what}, not a text file. Save the summary as plain text.")
    if _HTML_START.match(data[:512]):
        raise Unreadable(
            "This is a web page (HTML), not a text file. "
            "Save the page as plain text, or copy its text into a .txt file."
        )

    warnings: list[ReadWarning] = []
    text, encoding = _decode_bytes(data, warnings)
    text = _clean(text, warnings)
    if not text.strip():
        raise Unreadable("The file holds no text, only blank lines or spaces.")
    table = _table_separator(text)
    if table:
        raise Unreadable(
            f"This is a table ({table}), not a case summary. Casebook imports one summary per text file."
        )
    return Decoded(text, _ENCODING_NAMES.get(encoding, encoding), tuple(warnings))


def _decode_bytes(data: bytes, warnings: list[ReadWarning]) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(encoding), encoding
            except UnicodeDecodeError:
                warnings.append(
                    ReadWarning(
                        "bad_characters",
                        f"Some characters are not valid {_ENCODING_NAMES[encoding]} "
                        "and were replaced with \ufffd.",
                    )
                )
                return body.decode(encoding, errors="replace"), encoding

    utf16 = _sniff_utf16(data) if b"\x00" in data[:4096] else None
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            pass
        else:
            warnings.append(ReadWarning("encoding", "Read as UTF-16 text without a byte-order mark."))
            return text, utf16

    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Windows-1252, the encoding of text saved on Windows, leaves five bytes undefined; one of
    # them read as Latin-1 once turned every curly quote of the file into a control character.
    text = data.decode("cp1252", errors="replace")
    warnings.append(
        ReadWarning("encoding", "Not UTF-8: read as Windows-1252. Check quotes and symbols such as £.")
    )
    if "\ufffd" in text:  # only a replaced byte gives one: Windows-1252 has no such character
        warnings.append(
            ReadWarning(
                "bad_characters", "Some bytes are not Windows-1252 characters and were replaced with \ufffd."
            )
        )
    return text, "cp1252"


_TABLE_SEPARATORS = (("\t", "tab-separated values"), (",", "CSV"), (";", "CSV"), ("|", "a text table"))


def _table_separator(text: str) -> str | None:
    """Name the kind of table if most lines split into the same number (3+) of columns."""
    head = text.lstrip().partition("\n")[0]
    candidates = [(s, name) for s, name in _TABLE_SEPARATORS if head.count(s) >= 3]
    if not candidates:
        return None  # a summary's first line is a title, not a header row
    lines = [line for line in text.split("\n")[:200] if line.strip()]
    for separator, name in candidates:
        first = lines[0].count(separator)
        if len(lines) >= 2 and sum(line.count(separator) == first for line in lines) >= 0.8 * len(lines):
            return name
    return None


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as a NUL in every other byte of ASCII text."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _clean(text: str, warnings: list[ReadWarning]) -> str:
    """One kind of line break, no control or invisible characters, NFC. One search first
    says whether there is anything to do: most files need none of it."""
    if not _UNUSUAL.search(_rare_characters(text)):
        return (
            text
            if text.isascii() or unicodedata.is_normalized("NFC", text)
            else unicodedata.normalize("NFC", text)
        )
    if "\r" in text or _OTHER_BREAKS.search(text):
        text = _LINE_BREAKS.sub("\n", text)
    if "\x0b" in text or "\x0c" in text:
        text = text.translate(_SPACES)
    if _CONTROL.search(text):
        stripped = text.rstrip("\x00")
        nuls = stripped.count("\x00")
        controls = len(_CONTROL.findall(stripped)) - nuls
        if stripped and (controls > 0.02 * len(stripped) or nuls > 0.1 * len(stripped)):
            raise Unreadable("The file holds binary data, not text.")
        if len(stripped) != len(text) or nuls:
            warnings.append(ReadWarning("nul_bytes", "The file contains NUL bytes; they were left out."))
        text = _CONTROL.sub("", stripped)
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
