"""Match the names senders give to columns and tables with the contract's names."""
from __future__ import annotations

import re

from fabriques.contract import TABLES, Table
from fabriques.ingest.parsers import strip_accents


def name_key(name: str) -> str:
    """Compare names regardless of case, accents, spaces and punctuation: ` Référence_Décision ` ~ `referenceDecision`."""
    return re.sub(r"[^0-9a-z]", "", strip_accents(str(name)).casefold())


def table_for_name(name: str) -> Table | None:
    """The table a file stem or sheet name stands for: its name or an alias, optionally followed by a suffix
    (`activities_part2`, `site_year-occitanie`)."""
    key = name_key(name)
    candidates = []
    for table in TABLES:
        for alias in (table.name, *table.aliases):
            alias_key = name_key(alias)
            if key.startswith(alias_key):
                candidates.append((len(alias_key), table))
    return max(candidates, key=lambda c: c[0])[1] if candidates else None


class HeaderProblem(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def map_header(table: Table, header: list[str]) -> dict[str, int]:
    """Column name -> position in the header. Extra columns are kept in the original values only."""
    by_key: dict[str, str] = {}
    for column in table.columns:
        for alias in (column.name, *column.aliases):
            by_key.setdefault(name_key(alias), column.name)
    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        column_name = by_key.get(name_key(name))
        if column_name is None:
            continue
        if column_name in positions:
            raise HeaderProblem("duplicate_column", f"two columns stand for '{column_name}'")
        positions[column_name] = position
    if not positions:
        raise HeaderProblem("no_header", "no column of the table is recognised in the first row")
    return positions
