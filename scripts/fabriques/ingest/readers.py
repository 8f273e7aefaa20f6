"""Read a CSV file or an XLSX sheet into a header and numbered rows, whatever its encoding or delimiter.

The only module that knows file formats. A file that cannot be read raises `UnreadableFile` with a stable
reason code; it is then quarantined whole.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from fabriques.ingest.parsers import cell_text

csv.field_size_limit(2**31 - 1)

DELIMITERS = (";", ",", "\t", "|")
MAX_XLSX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
"""An XLSX whose parts unpack to more than this is refused (a zip bomb, not a site report)."""


class UnreadableFile(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class Sheet:
    """Rows of one CSV file or one XLSX sheet: the first non-empty row is the header."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    """(row number as a spreadsheet shows it, cells); blank rows are not rows and are skipped."""


def read_csv_bytes(data: bytes, name: str = "") -> Sheet:
    text = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    try:
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = record
            else:
                rows.append((number, record))
    except csv.Error as error:
        raise UnreadableFile("unreadable_file", f"CSV structure broken: {error}") from None
    if header is None:
        return Sheet(name, [], [])
    return Sheet(name, header, rows)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise UnreadableFile("unreadable_file", "binary content, not a CSV text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFile("unreadable_file", "text encoding is neither UTF-8 nor Windows-1252") from None


def sniff_delimiter(text: str) -> str:
    """The delimiter that occurs most in the first line (outside quotes)."""
    first_line = _first_record_text(text)
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _first_record_text(text: str) -> str:
    in_quotes, out = False, []
    for char in text[:65536]:
        if char == '"':
            in_quotes = not in_quotes
            continue
        if char in "\r\n" and not in_quotes:
            if "".join(out).strip():
                break
            out = []
            continue
        if not in_quotes:
            out.append(char)
    return "".join(out)


def read_xlsx(path: Path) -> dict[str, Sheet]:
    """Every sheet of a workbook, by sheet name; typed cells (numbers, dates) keep their type."""
    check_xlsx_size(path)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = {}
        for sheet_name in workbook.sheet_names:
            values = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            sheets[sheet_name] = _sheet_from_rows(sheet_name, values)
        return sheets
    except UnreadableFile:
        raise
    except Exception as error:  # calamine raises several error types for a broken workbook
        raise UnreadableFile("unreadable_file", f"not a readable XLSX workbook ({type(error).__name__})") from None


def check_xlsx_size(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise UnreadableFile("unreadable_file", "not a readable XLSX workbook (not a zip archive)") from None
    if unpacked > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise UnreadableFile("file_too_large", f"workbook unpacks to {unpacked} bytes")


def _sheet_from_rows(name: str, values: list[list[object]]) -> Sheet:
    header: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    for number, record in enumerate(values, start=1):
        if not any(cell_text(cell) for cell in record):
            continue
        if header is None:
            header = [cell_text(cell) for cell in record]
        else:
            rows.append((number, [None if cell == "" else cell for cell in record]))
    return Sheet(name, header or [], rows)
