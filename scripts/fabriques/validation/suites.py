"""The expectation suites, as files under expectations/ (GX's own JSON suite format)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from fabriques.settings import EXPECTATIONS_DIR

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class SuiteFile:
    name: str
    table: str
    """Warehouse relation the suite checks, `schema.name`."""
    key_columns: tuple[str, ...]
    """Columns that name a failing row in the results."""
    document: dict


def load_suite_files(folder: Path = EXPECTATIONS_DIR) -> list[SuiteFile]:
    suites = []
    for path in sorted(folder.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        meta = document.get("meta", {})
        for expectation in document["expectations"]:
            severity = expectation.get("meta", {}).get("severity")
            if severity not in SEVERITIES:
                raise ValueError(f"{path.name}: {expectation['type']} has severity {severity!r}, not error/warning")
        suites.append(SuiteFile(document["name"], meta["table"], tuple(meta["key_columns"]), document))
    return suites
