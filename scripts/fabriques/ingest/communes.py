"""Resolve a commune code as sent to today's commune (COG 2026), from the vendored reference files.

Today's communes (TYPECOM COM) resolve to themselves; delegated and associated communes (COMD, COMA) and
municipal districts (ARM) to their parent; older codes through the COG change file, following successive
changes to the code in force today; overseas collectivities (seeds/territory_collectivities.csv) to themselves.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from fabriques.ingest.parsers import normalise_commune_code
from fabriques.settings import REFERENCE_DIR, SEEDS_DIR

COMMUNES_FILE = "insee_cog2026_communes.csv"
CHANGES_FILE = "insee_cog2026_mouvements-communes.csv"
COLLECTIVITIES_FILE = "territory_collectivities.csv"


class CommuneResolver:
    """Resolves INSEE commune codes; a programme with its own territory file uses territories.TerritoryResolver."""

    unknown_reason = "unknown_commune"
    """The quarantine reason of a code that resolves to nothing."""

    def __init__(self, current: dict[str, str], successors: dict[str, str]):
        self._current = current
        """code -> today's commune, for codes in today's COG (COM, COMD, COMA, ARM) and collectivities."""
        self._successors = successors
        """older code -> the code that replaced it (latest change first)."""

    def normalise(self, value: object) -> str:
        """The code as sent, written as the reference writes it (raises BadValue when it cannot be one)."""
        return normalise_commune_code(value)

    def resolve(self, code: str) -> str | None:
        seen = set()
        while code not in self._current:
            if code in seen or code not in self._successors:
                return None
            seen.add(code)
            code = self._successors[code]
        return self._current[code]


@cache
def default_resolver() -> CommuneResolver:
    return load_resolver(REFERENCE_DIR, SEEDS_DIR)


def load_resolver(reference_dir: Path, seeds_dir: Path) -> CommuneResolver:
    current: dict[str, str] = {}
    with open(reference_dir / COMMUNES_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            current[row["COM"]] = row["COM"] if row["TYPECOM"] == "COM" else (row["COMPARENT"] or row["COM"])
    # A COMD can share its code with its parent COM: the COM row wins.
    with open(reference_dir / COMMUNES_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["TYPECOM"] == "COM":
                current[row["COM"]] = row["COM"]
    collectivities = seeds_dir / COLLECTIVITIES_FILE
    if collectivities.exists():
        with open(collectivities, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                current[row["commune_code"]] = row["commune_code"]
    successors: dict[str, tuple[str, str]] = {}
    with open(reference_dir / CHANGES_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            before, after, date = row["COM_AV"], row["COM_AP"], row["DATE_EFF"]
            if before != after and (before not in successors or date > successors[before][0]):
                successors[before] = (date, after)
    return CommuneResolver(current, {code: after for code, (_, after) in successors.items()})
