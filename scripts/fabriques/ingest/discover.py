"""List the files of a campaign folder and the table each stands for."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPORTS_DIR = "reports"
READABLE_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class CampaignFile:
    path: Path
    relative: str
    """Path relative to the campaign folder, with `/` separators: how the file is named in every output."""
    in_reports: bool


class NotACampaign(Exception):
    pass


def campaign_files(campaign_dir: Path) -> list[CampaignFile]:
    """Every non-hidden file of the campaign folder, sorted by path; nothing is skipped silently."""
    root = campaign_dir.resolve()
    if not root.is_dir():
        raise NotACampaign(f"{campaign_dir}: not a folder")
    files = []
    for path in sorted(root.rglob("*")):
        relative_parts = path.relative_to(root).parts
        if any(part.startswith(".") for part in relative_parts) or path.is_dir():
            continue
        files.append(CampaignFile(path, "/".join(relative_parts), relative_parts[0] == REPORTS_DIR))
    return files
