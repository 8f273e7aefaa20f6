"""Check each row of a sheet against its table's column rules (contract section 2)."""
from __future__ import annotations

import json
from dataclasses import dataclass

from fabriques import contract
from fabriques.contract import Column, Table
from fabriques.ingest import parsers
from fabriques.ingest.communes import CommuneResolver
from fabriques.ingest.parsers import BadValue, cell_text
from fabriques.ingest.readers import Sheet
from fabriques.ingest.reasons import Finding

YEAR_RANGE = (1990, 2100)


@dataclass
class Row:
    """A row that passed its column rules; table rules (keys, references) may still quarantine it."""

    source_file: str
    source_row: int
    values: dict[str, object]
    header: list[str]
    cells: list[object]
    """The row as sent, kept to quarantine it with its original values if a table rule refuses it."""

    @property
    def original_values(self) -> str:
        return original_json(self.header, self.cells)

    def finding(self, table: str, column: str | None, reason: str, value: object = "", detail: str = "") -> Finding:
        return Finding(self.source_file, self.source_row, table, column, reason, str(value), detail,
                       self.original_values)


@dataclass
class CheckedSheet:
    rows: list[Row]
    quarantined: list[Finding]
    flags: list[Finding]
    rows_read: int


def check_sheet(table: Table, sheet: Sheet, positions: dict[str, int], source_file: str,
                resolver: CommuneResolver) -> CheckedSheet:
    """Parse every row of a sheet whose header maps to `positions`."""
    missing = [c for c in table.columns if c.required and c.name not in positions]
    rows, quarantined, flags = [], [], []
    for row_number, cells in sheet.rows:
        if missing:
            quarantined.append(Finding(source_file, row_number, table.name, missing[0].name, "missing_column",
                                       original_values=original_json(sheet.header, cells)))
            continue
        values: dict[str, object] = {}
        problem: Finding | None = None
        for column in table.columns:
            position = positions.get(column.name)
            cell = cells[position] if position is not None and position < len(cells) else None
            try:
                values.update(parse_cell(column, cell, resolver))
            except BadValue as bad:
                if column.flag_if_invalid:
                    values.update(empty_values(column))
                    flags.append(Finding(source_file, row_number, table.name, column.name, bad.reason,
                                         cell_text(cell), bad.detail, original_json(sheet.header, cells)))
                    continue
                problem = Finding(source_file, row_number, table.name, column.name, bad.reason,
                                  cell_text(cell), bad.detail, original_json(sheet.header, cells))
                break
        if problem:
            quarantined.append(problem)
        else:
            rows.append(Row(source_file, row_number, values, sheet.header, cells))
    return CheckedSheet(rows, quarantined, flags, len(sheet.rows))


def original_json(header: list[str], cells: list[object]) -> str:
    """The row as sent, as JSON text: header name -> cell text (extra cells as column_N)."""
    names = [name or f"column_{i + 1}" for i, name in enumerate(header)]
    names += [f"column_{i + 1}" for i in range(len(header), len(cells))]
    return json.dumps({name: cell_text(cell) for name, cell in zip(names, cells)}, ensure_ascii=False)


def empty_values(column: Column) -> dict[str, object]:
    if column.kind == contract.COMMUNE:
        return {column.name: None, "commune_code": None}
    return {column.name: None}


def parse_cell(column: Column, cell: object, resolver: CommuneResolver) -> dict[str, object]:
    """The loaded value(s) of one cell: {column: value}, plus the resolved code for a commune column."""
    if cell is None or cell_text(cell) == "":
        if column.required:
            raise BadValue("missing_value")
        return empty_values(column)
    kind = column.kind
    if kind == contract.TEXT:
        return {column.name: parsers.parse_text(cell)}
    if kind == contract.CODE:
        code = parsers.normalise_code(cell)
        allowed = contract.code_lists().get(column.domain) if column.domain else None
        if allowed is not None and code not in allowed:
            raise BadValue("invalid_code", ", ".join(sorted(allowed)))
        return {column.name: code}
    if kind == contract.COMMUNE:
        code = parsers.normalise_commune_code(cell)
        resolved = resolver.resolve(code)
        if resolved is None:
            raise BadValue("unknown_commune")
        return {column.name: code, "commune_code": resolved}
    if kind == contract.SIRET:
        return {column.name: parsers.parse_siret(cell)}
    if kind == contract.DATE:
        return {column.name: parsers.parse_date(cell)}
    if kind == contract.YEAR:
        year = parsers.parse_integer(cell)
        if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise BadValue("out_of_range", f"{YEAR_RANGE[0]}–{YEAR_RANGE[1]}")
        return {column.name: year}
    number = {
        contract.INTEGER: parsers.parse_integer,
        contract.DECIMAL: parsers.parse_decimal,
        contract.MONEY: parsers.parse_money,
    }[kind](cell)
    check_bounds(column, number)
    return {column.name: number}


def check_bounds(column: Column, number: float) -> None:
    if number < 0 and (column.strictly_positive or (column.minimum is not None and column.minimum >= 0)):
        raise BadValue("negative_value")
    if column.strictly_positive and number <= 0:
        raise BadValue("out_of_range", "> 0")
    if column.minimum is not None and number < column.minimum:
        raise BadValue("out_of_range", bounds_text(column))
    if column.maximum is not None and number > column.maximum:
        raise BadValue("out_of_range", bounds_text(column))


def bounds_text(column: Column) -> str:
    low = "" if column.minimum is None else f"{column.minimum:g}"
    high = "" if column.maximum is None else f"{column.maximum:g}"
    return f"{low}–{high}"
