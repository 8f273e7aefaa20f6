"""Read a CSV file or an XLSX sheet into a header and numbered rows, whatever its encoding or delimiter.

The only module that knows file formats. A file that cannot be read raises `UnreadableFile` with a stable
reason code; it is then quarantined whole.
"""
from __future__ import annotations

import csv
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from fabriques.ingest.parsers import cell_text

csv.field_size_limit(2**31 - 1)

DELIMITERS = (";", ",", "\t", "|")
MAX_XLSX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
"""An XLSX whose parts unpack to more than this is refused (a zip bomb, not a site report)."""
CHUNK_BYTES = 1024 * 1024
LOCAL_HEADER_BYTES = 30


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
            if not "".join(record).strip():  # every cell blank
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
        return _strict(data[3:], "utf-8", "UTF-8 (as its BOM says)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "UTF-16 (as its BOM says)")
    if b"\x00" in data[:4096]:
        raise UnreadableFile("unreadable_file", "binary content, not a CSV text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _strict(data, "cp1252", "UTF-8 or Windows-1252")


def _strict(data: bytes, encoding: str, expected: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFile("unreadable_file", f"text encoding is not {expected} "
                                                f"(byte {error.start} cannot be read)") from None


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


def read_xlsx_bytes(data: bytes) -> dict[str, Sheet]:
    """Every sheet of a workbook, by sheet name; typed cells (numbers, dates) keep their type. Read from the
    bytes already read (and hashed), whatever the file's name."""
    check_xlsx_size(data)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {}
        for sheet_name in workbook.sheet_names:
            values = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            sheets[sheet_name] = _sheet_from_rows(sheet_name, values)
        return sheets
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as error:  # calamine raises several error types, and a Rust panic is a BaseException
        raise UnreadableFile("unreadable_file", f"not a readable XLSX workbook ({type(error).__name__})") from None


def check_xlsx_size(data: bytes) -> None:
    """Refuse a workbook that unpacks beyond the limit (a zip bomb), counting the bytes its parts really inflate
    to: the sizes an archive declares can lie."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, io.BytesIO(data) as handle:
            budget = MAX_XLSX_UNCOMPRESSED_BYTES
            for info in archive.infolist():
                budget -= _inflated_size(handle, info, budget)
                if budget < 0:
                    raise UnreadableFile("file_too_large",
                                         f"workbook unpacks to more than {MAX_XLSX_UNCOMPRESSED_BYTES} bytes")
    except UnreadableFile:
        raise
    except Exception as error:  # a broken archive raises many error types (BadZipFile, EOFError, zlib.error, ...)
        raise UnreadableFile("unreadable_file", f"not a readable XLSX workbook ({type(error).__name__})") from None


def _inflated_size(handle, info: zipfile.ZipInfo, budget: int) -> int:
    """Bytes one part of the archive inflates to, counted chunk by chunk and never beyond `budget` + 1."""
    handle.seek(info.header_offset)
    local_header = handle.read(LOCAL_HEADER_BYTES)
    if len(local_header) < LOCAL_HEADER_BYTES or not local_header.startswith(b"PK\x03\x04"):
        raise zipfile.BadZipFile("broken local header")
    name_length, extra_length = struct.unpack("<HH", local_header[26:30])
    handle.seek(info.header_offset + LOCAL_HEADER_BYTES + name_length + extra_length)
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise zipfile.BadZipFile(f"compression method {info.compress_type}")
    inflater, size, left = zlib.decompressobj(-zlib.MAX_WBITS), 0, info.compress_size
    while left > 0 and not inflater.eof:
        pending = handle.read(min(CHUNK_BYTES, left))
        if not pending:
            break
        left -= len(pending)
        while pending:
            size += len(inflater.decompress(pending, budget + 1 - size))
            if size > budget:
                return size
            pending = inflater.unconsumed_tail
    return size


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
