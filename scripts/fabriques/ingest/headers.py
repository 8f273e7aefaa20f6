"""Find a table in what senders send: which table a file or sheet holds, which row is its header, and which
column is which."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from fabriques.contract import TABLES, Table, canonical_id
from fabriques.ingest.parsers import cell_text, strip_accents
from fabriques.ingest.readers import RawSheet

HEADER_SEARCH_ROWS = 20
"""The header is looked for among this many first non-empty rows (title rows, notes, blank lines above it)."""


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Compare names regardless of case, accents, spaces and punctuation:
    ` Référence_Décision ` ~ `referenceDecision`."""
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


@dataclass
class Sheet:
    """A table as found: its header, and the numbered rows below it."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    """(row number as a spreadsheet shows it, cells); blank rows are not rows."""
    header_row: int = 1
    skipped_rows: list[int] = field(default_factory=list)
    """Rows above the header (titles, notes): not rows of the table, listed in the manifest."""


@cache
def _column_by_key(table: Table) -> dict[str, str]:
    by_key: dict[str, str] = {}
    for column in table.columns:
        for alias in (column.name, *column.aliases):
            by_key.setdefault(name_key(alias), column.name)
    return by_key


def recognised_columns(table: Table, cells: list[object]) -> set[str]:
    """The table's columns that a row names."""
    by_key = _column_by_key(table)
    return {by_key[key] for key in (name_key(cell_text(cell)) for cell in cells) if key in by_key}


def locate_table(sheet: RawSheet, table: Table) -> Sheet:
    """The table in a sheet: the header is the row, among the first non-empty ones, that names most of the
    table's columns (the first such row on a tie); when none names any, the first row stands as the header,
    so that its names keep the cells of the rows, which `map_header` then refuses."""
    records = sheet.records
    best_index, best_score = 0, 0
    for index, (_number, cells) in enumerate(records[:HEADER_SEARCH_ROWS]):
        score = len(recognised_columns(table, cells))
        if score > best_score:
            best_index, best_score = index, score
    if not records:
        return Sheet(sheet.name, [])
    header_number, header_cells = records[best_index]
    return Sheet(
        sheet.name,
        [cell_text(cell) for cell in header_cells],
        records[best_index + 1 :],
        header_number,
        [number for number, _ in records[:best_index]],
    )


def table_for_header(sheet: RawSheet) -> Table | None:
    """For a file or sheet whose name says nothing (`Feuil1`, `Données`): the table whose columns a row among
    the first ones names best, when that row names at least half of the table's required columns (and two);
    None for a sheet with no table header (instructions, a read-me, a list of codes)."""
    best: tuple[float, int, Table] | None = None
    for _number, cells in sheet.records[:HEADER_SEARCH_ROWS]:
        for table in TABLES:
            found = recognised_columns(table, cells)
            required = {c.name for c in table.columns if c.required}
            if len(found) < 2 or 2 * len(found & required) < len(required):
                continue
            score = (len(found) / len(table.columns), len(found), table)
            if best is None or score[:2] > best[:2]:
                best = score
    return best[2] if best else None


def map_header(table: Table, header: list[str]) -> dict[str, int]:
    """Column name -> position in the header. Extra columns are kept in the original values only."""
    by_key = _column_by_key(table)
    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        column_name = by_key.get(name_key(name))
        if column_name is None:
            continue
        if column_name in positions:
            raise HeaderProblem("duplicate_column", f"two columns stand for '{column_name}'")
        positions[column_name] = position
    if not positions:
        raise HeaderProblem("no_header", f"{HEADER_SEARCH_ROWS}")
    return positions


@cache
def site_id_header_keys() -> frozenset[str]:
    """Every header the ingestion reads as a site id (the `site_id` column of any table, and its aliases)."""
    return frozenset(
        name_key(name)
        for table in TABLES
        if "site_id" in table.column_names
        for name in (table.column("site_id").name, *table.column("site_id").aliases)
    )


def site_named(original_values: str | None) -> str | None:
    """The site id a row as sent names under a site-id header (canonical form), or None: what ties a quarantined
    row to its site's sheet."""
    if not original_values:
        return None
    for header, value in json.loads(original_values).items():
        if name_key(header) in site_id_header_keys() and value is not None and str(value).strip():
            return canonical_id(str(value))
    return None
