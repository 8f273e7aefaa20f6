"""List the files of a campaign folder and the table each stands for."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPORTS_DIR = "reports"
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
"""Delimited text: CSV, and a spreadsheet's "Unicode text" export (tab-delimited UTF-16)."""
ARCHIVE_SUFFIX = ".zip"
LOCK_FILE_PREFIX = "~$"
ARCHIVE_METADATA_FOLDER = "__MACOSX"


@dataclass(frozen=True)
class CampaignFile:
    path: Path
    relative: str
    """Path relative to the campaign folder, with `/` separators: how the file is named in every output."""
    in_reports: bool


class NotACampaign(Exception):
    pass


def campaign_files(campaign_dir: Path) -> list[CampaignFile]:
    """Every non-hidden entry of the campaign folder that is not a folder, sorted by path: files, and links or
    special files that are then refused with their reason; nothing is skipped silently. A link to a folder is
    listed too (it is not followed)."""
    root = campaign_dir.resolve()
    if not root.is_dir():
        raise NotACampaign(f"{campaign_dir}: not a folder")
    files = []
    for path in sorted(root.rglob("*")):
        relative_parts = path.relative_to(root).parts
        if any(part.startswith(".") for part in relative_parts):
            continue
        if path.is_dir() and not path.is_symlink():
            continue
        files.append(CampaignFile(path, readable_name("/".join(relative_parts)), relative_parts[0] == REPORTS_DIR))
    return files


def readable_name(name: str) -> str:
    """A file name as text: names that are not UTF-8 (archives made on Windows) are read as Windows-1252."""
    raw = os.fsencode(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
