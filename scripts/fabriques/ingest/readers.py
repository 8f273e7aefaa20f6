"""Read a delimited text file (CSV, or a spreadsheet's "Unicode text" export) into numbered records, whatever its
encoding or delimiter.

Where the table starts (title rows, notes above the header) is decided later, from the records
(`fabriques.ingest.headers`). A file that cannot be read raises `UnreadableFile` with a stable reason code; it is
then quarantined whole.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

csv.field_size_limit(2**31 - 1)

DELIMITERS = (";", ",", "\t", "|")
SNIFF_RECORDS = 20
"""Records read to choose the delimiter (title rows above the header have few or none)."""
SNIFF_CHARACTERS = 65536
SINGLE_BYTE_ENCODINGS = ("cp1252", "iso8859_15")
"""What a file that is not UTF-8 can be: Windows-1252 (Excel on Windows) or ISO-8859-15 (Latin-9, older Unix
and Mac exports). They differ on eight letters (`€ œ Œ Š š Ž ž Ÿ`), so the choice is made on the content."""
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252", "iso8859_15": "ISO-8859-15"}
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_LATIN9_LETTERS = re.compile(rb"[\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe]")
_SEP_LINE = re.compile(r"\ufeff?sep=(.)[ \t]*(\r\n|\r|\n|$)", re.IGNORECASE)


class UnreadableFile(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class RawSheet:
    """Every non-blank record of one text file or one workbook sheet, numbered as a spreadsheet shows them."""

    name: str
    records: list[tuple[int, list[object]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was read besides the table (the encoding when not UTF-8, a `sep=` line), for the manifest."""


def read_text_table(data: bytes, name: str = "") -> RawSheet:
    text, encoding = decode(data)
    sheet = RawSheet(name)
    if encoding not in ("utf-8", "utf-16"):
        sheet.notes.append(f"read as {ENCODING_NAMES[encoding]}")
    delimiter = None
    if match := _SEP_LINE.match(text):  # Excel's hint line: the delimiter, not a row (Excel does not show it)
        delimiter, text = match.group(1), text[match.end() :]
        sheet.notes.append(f"sep={delimiter} line read")
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, start=1):
            if "".join(record).strip():  # a record whose every cell is blank is not a row
                sheet.records.append((number, record))
    except csv.Error as error:
        raise UnreadableFile("unreadable_file", f"CSV structure broken: {error}") from None
    return sheet


def decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 or
    ISO-8859-15 as charset-normalizer judges from the content."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8 (as its BOM says)"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "UTF-16 (as its BOM says)"), "utf-16"
    if b"\x00" in data[:4096]:
        raise UnreadableFile("unreadable_file", "binary content, not a CSV text file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = single_byte_encoding(data)
    return _strict(data, encoding, "UTF-8, Windows-1252 or ISO-8859-15"), encoding


def single_byte_encoding(data: bytes) -> str:
    """Windows-1252 or ISO-8859-15: Windows-1252 when a byte is one that ISO-8859-15 reads as a control character
    (0x80-0x9F: `€`, `œ`, `’` in Windows-1252), which no text holds; otherwise the one whose reading
    charset-normalizer finds less chaotic. When the two read as clean (short, mostly plain text), the eight bytes
    where they differ decide: in ISO-8859-15 they are `€` and letters (`œ Œ Š š Ž ž Ÿ`), in Windows-1252 symbols
    nobody types (`¤ ½ ¼ ¾ ¦ ¨ ´ ¸`); without any, the two read the same."""
    if _C1_BYTES.search(data):
        return "cp1252"
    from charset_normalizer import from_bytes

    chaos = {
        match.encoding: match.chaos
        for match in from_bytes(data, cp_isolation=list(SINGLE_BYTE_ENCODINGS), explain=False)
    }
    readable = [encoding for encoding in SINGLE_BYTE_ENCODINGS if encoding in chaos]
    if not readable:
        return "cp1252"
    least = min(chaos[encoding] for encoding in readable)
    clean = [encoding for encoding in readable if chaos[encoding] <= least]
    if len(clean) == 1:
        return clean[0]
    return "iso8859_15" if _LATIN9_LETTERS.search(data) else "cp1252"


def _strict(data: bytes, encoding: str, expected: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            "unreadable_file", f"text encoding is not {expected} (byte {error.start} cannot be read)"
        ) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter that separates most cells over the first records (outside quotes)."""
    sample = text[:SNIFF_CHARACTERS]
    counts = {delimiter: _cells_separated(sample, delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _cells_separated(sample: str, delimiter: str) -> int:
    separated, records = 0, 0
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            if not "".join(record).strip():
                continue
            separated += len(record) - 1
            records += 1
            if records == SNIFF_RECORDS:
                break
    except csv.Error:  # a sample cut inside a quoted field: what was read counts
        pass
    return separated
