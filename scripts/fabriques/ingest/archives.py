"""Zip archives, read without trusting what they declare: workbooks (XLSX and ODS are zip archives) and a
campaign sent as a `.zip`.

Sizes are counted as the parts really inflate, chunk by chunk: the sizes an archive declares can lie, and a zip
bomb must be refused before it fills the memory.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
"""An archive (or a workbook) whose parts unpack to more than this is refused: a zip bomb, not a site report."""
CHUNK_BYTES = 1024 * 1024
LOCAL_HEADER_BYTES = 30


class ArchiveProblem(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Member:
    """One file of a campaign archive."""

    name: str
    """Its path inside the archive, `/`-separated."""
    data: bytes | None
    """Its bytes, or None when it is refused (`problem` says why)."""
    problem: ArchiveProblem | None = None


def check_inflated_size(data: bytes) -> dict[int, int]:
    """Refuse an archive whose parts unpack beyond MAX_UNCOMPRESSED_BYTES, counting the bytes they really
    inflate to; return what each part inflates to, by its offset in the archive."""
    limit = MAX_UNCOMPRESSED_BYTES
    sizes = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, io.BytesIO(data) as handle:
            budget = limit
            for info in archive.infolist():
                sizes[info.header_offset] = inflated_size(handle, info, budget)
                budget -= sizes[info.header_offset]
                if budget < 0:
                    raise ArchiveProblem("file_too_large", f"unpacks to more than {limit} bytes")
    except ArchiveProblem:
        raise
    except Exception as error:  # a broken archive raises many error types (BadZipFile, EOFError, zlib.error, ...)
        raise ArchiveProblem("unreadable_file", f"not a readable zip archive ({type(error).__name__})") from None
    return sizes


def inflated_size(handle, info: zipfile.ZipInfo, budget: int) -> int:
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


def campaign_members(data: bytes, max_member_bytes: int) -> list[Member]:
    """The files of a campaign archive, in name order, each with its bytes or the reason it is refused: a member
    that inflates beyond `max_member_bytes` or the archive's budget, an encrypted one, or one whose path leaves
    the archive (absolute, `..`). Folders are not members."""
    sizes = check_inflated_size(data)
    members = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if info.is_dir():
                    continue
                members.append(_member(archive, info, sizes[info.header_offset], max_member_bytes))
    except ArchiveProblem:
        raise
    except Exception as error:
        raise ArchiveProblem("unreadable_file", f"not a readable zip archive ({type(error).__name__})") from None
    return members


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int, max_member_bytes: int) -> Member:
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        return Member(name, None, ArchiveProblem("outside_campaign", f"{name}: a path leaving the archive"))
    if info.flag_bits & 0x1:
        return Member(name, None, ArchiveProblem("unreadable_file", "encrypted in the archive"))
    if size > max_member_bytes:  # measured as it inflated (check_inflated_size), not as the archive declares
        return Member(name, None, ArchiveProblem("file_too_large", f"more than {max_member_bytes} bytes"))
    try:
        return Member(name, archive.read(info))
    except Exception as error:
        return Member(name, None, ArchiveProblem("unreadable_file", f"broken in the archive ({type(error).__name__})"))
