"""Check each row of a sheet against its table's column rules (contract section 2)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from fabriques import contract, programme
from fabriques.contract import Column, Table
from fabriques.ingest import parsers
from fabriques.ingest.communes import CommuneResolver
from fabriques.ingest.headers import Sheet
from fabriques.ingest.parsers import BadValue, cell_text, strip_accents
from fabriques.ingest.reasons import Finding
from fabriques.ingest.workbooks import FormulaWithoutValue
from fabriques.privacy import redact

YEAR_RANGE = (1990, 2100)


@dataclass(slots=True)
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
        return Finding(
            self.source_file, self.source_row, table, column, reason, str(value), detail, self.original_values
        )


@dataclass
class CheckedSheet:
    rows: list[Row]
    quarantined: list[Finding]
    flags: list[Finding]
    rows_read: int


@dataclass
class ParsedColumn:
    """One column of a sheet, parsed: per row, the cell as sent and its loaded value(s), or the BadValue."""

    column: Column
    cells: list[object]
    outputs: dict[str, list[object]]
    """Loaded column name -> value per row (a BadValue where the cell breaks the column's rules)."""
    bad_rows: list[int]
    """Indices of the rows whose cell breaks the column's rules."""


def check_sheet(
    table: Table, sheet: Sheet, positions: dict[str, int], source_file: str, resolver: CommuneResolver
) -> CheckedSheet:
    """Parse every row of a sheet whose header maps to `positions`.

    Columns are parsed one at a time, each distinct cell text once; a row is then loaded, flagged or quarantined
    for the first of its columns (in the table's order) whose cell breaks the rules."""
    missing = [c for c in table.columns if c.required and c.name not in positions]
    if missing:
        quarantined = [
            Finding(
                source_file,
                row_number,
                table.name,
                missing[0].name,
                "missing_column",
                original_values=original_json(sheet.header, cells),
            )
            for row_number, cells in sheet.rows
        ]
        return CheckedSheet([], quarantined, [], len(sheet.rows))
    sheet, totals = split_total_rows(table, sheet, positions, source_file)
    all_cells = [cells for _, cells in sheet.rows]
    columns = [parse_column(column, positions.get(column.name), all_cells, resolver) for column in table.columns]
    names = [name for parsed in columns for name in parsed.outputs]
    bad_rows = {index for parsed in columns for index in parsed.bad_rows}
    rows, quarantined, flags = [], totals, []
    header = sheet.header
    parsed_values = (values for parsed in columns for values in parsed.outputs.values())
    for index, row_values in enumerate(zip(*parsed_values, strict=True)):
        row_number, cells = sheet.rows[index]
        if index not in bad_rows:
            rows.append(Row(source_file, row_number, dict(zip(names, row_values, strict=False)), header, cells))
            continue
        values: dict[str, object] = {}
        problem: Finding | None = None
        for parsed in columns:
            column = parsed.column
            first = next(iter(parsed.outputs.values()))[index]
            if not isinstance(first, BadValue):
                values.update((name, outputs[index]) for name, outputs in parsed.outputs.items())
                continue
            finding = Finding(
                source_file,
                row_number,
                table.name,
                column.name,
                first.reason,
                cell_text(parsed.cells[index]),
                first.detail,
                original_json(header, cells),
            )
            if column.flag_if_invalid:
                values.update(empty_values(column))
                flags.append(finding)
                continue
            problem = finding
            break
        if problem:
            quarantined.append(problem)
        else:
            rows.append(Row(source_file, row_number, values, header, cells))
    return CheckedSheet(rows, quarantined, flags, len(sheet.rows))


TOTAL_MARKER = r"(sous[-_ ]?total|sub[-_ ]?total|grand[-_ ]total|total|Σ|∑)"
TOTAL_LABEL = re.compile(TOTAL_MARKER + r"(\b|[-_ :]|$)", re.IGNORECASE)
"""A key or code cell that says its row sums the rows above it: `Total`, `TOTAL QPV`, `Sous-total`, `Σ`."""
TOTAL_NAME = re.compile(TOTAL_MARKER + r"( general| des lieux| des sites)?[ :.]*", re.IGNORECASE)
"""A name cell that is nothing but a total marker (a site may be named `Total Lab`)."""


def split_total_rows(table: Table, sheet: Sheet, positions: dict[str, int], source_file: str):
    """The rows whose key, code or name column says `Total`: they sum other rows and are no site, so each is
    quarantined (`total_row`) before any of its values is checked."""
    label_columns = [
        (column, positions[column.name]) for column in total_label_columns(table) if column.name in positions
    ]
    kept, totals = [], []
    for number, cells in sheet.rows:
        label = next(
            ((column, cells[p]) for column, p in label_columns if p < len(cells) and is_total_label(column, cells[p])),
            None,
        )
        if label is None:
            kept.append((number, cells))
        else:
            totals.append(
                Finding(
                    source_file,
                    number,
                    table.name,
                    label[0].name,
                    "total_row",
                    cell_text(label[1]),
                    original_values=original_json(sheet.header, cells),
                )
            )
    if not totals:
        return sheet, []
    return Sheet(sheet.name, sheet.header, kept, sheet.header_row, sheet.skipped_rows), totals


def total_label_columns(table: Table) -> tuple[Column, ...]:
    """Where a spreadsheet writes `Total`: the key columns, the site, the codes and the names."""
    names = [
        *table.key,
        *([table.site_column] if table.site_column else []),
        *(c.name for c in table.columns if c.free_text or c.kind == contract.CODE),
    ]
    return tuple(
        table.column(n) for n in dict.fromkeys(names) if table.column(n).kind in (contract.TEXT, contract.CODE)
    )


def is_total_label(column: Column, cell: object) -> bool:
    text = cell_text(cell)
    return text[:1] in TOTAL_INITIALS and _is_total_text(text, column.free_text)


TOTAL_INITIALS = frozenset("tTsSgGΣ∑")
"""The first letters of the total markers: any other cell is no total, without a closer look."""


@lru_cache(maxsize=4096)
def _is_total_text(text: str, free_text: bool) -> bool:
    text = strip_accents(text).strip()
    return bool((TOTAL_NAME.fullmatch if free_text else TOTAL_LABEL.match)(text))


def parse_column(
    column: Column, position: int | None, all_cells: list[list[object]], resolver: CommuneResolver
) -> ParsedColumn:
    """Parse one column of every row; each distinct text (or typed cell) is parsed once."""
    cells = column_cells(position, all_cells)
    names = list(column.loaded_names)

    def outcome(cell: object) -> tuple | BadValue:
        try:
            parsed = parse_cell(column, cell, resolver)
        except BadValue as bad:
            return bad
        return tuple(parsed[name] for name in names)

    if set(map(type, cells)) <= {str, type(None)}:  # CSV text: distinct cells map to their outcome
        outcomes = {cell: outcome(cell) for cell in set(cells)}
        per_row = list(map(outcomes.__getitem__, cells))
        bad = {cell for cell, result in outcomes.items() if isinstance(result, BadValue)}
        bad_rows = [index for index, cell in enumerate(cells) if cell in bad] if bad else []
    else:  # typed workbook cells: 1, 1.0 and True are equal keys, so parse each cell
        per_row = [outcome(cell) for cell in cells]
        bad_rows = [index for index, result in enumerate(per_row) if isinstance(result, BadValue)]
    outputs = {name: [r if isinstance(r, BadValue) else r[i] for r in per_row] for i, name in enumerate(names)}
    return ParsedColumn(column, cells, outputs, bad_rows)


def column_cells(position: int | None, all_cells: list[list[object]]) -> list[object]:
    """The cell of every row at `position` (None where the row is shorter, or the column absent)."""
    if position is None:
        return [None] * len(all_cells)
    try:
        return [cells[position] for cells in all_cells]
    except IndexError:
        return [cells[position] if position < len(cells) else None for cells in all_cells]


def original_json(header: list[str], cells: list[object]) -> str:
    """The row as sent, as JSON text: header name -> cell text, every cell kept (a cell without a header, or
    under a header name already used, as column_N); e-mail addresses and phone numbers masked."""
    names: list[str] = []
    used: set[str] = set()
    for position in range(len(cells)):
        name = redact(str(header[position]).strip()) if position < len(header) else ""
        if not name or name in used:
            name = f"column_{position + 1}"
            while name in used:
                name += "_"
        names.append(name)
        used.add(name)
    sent = {name: redact(cell_text(cell)) for name, cell in zip(names, cells, strict=False)}
    return json.dumps(sent, ensure_ascii=False)


def empty_values(column: Column) -> dict[str, object]:
    return dict.fromkeys(column.loaded_names)


def parse_cell(column: Column, cell: object, resolver: CommuneResolver) -> dict[str, object]:
    """The loaded value(s) of one cell: {column: value}, plus the resolved code for a commune column."""
    if isinstance(cell, FormulaWithoutValue):
        raise BadValue("formula_without_value", str(cell))
    if type(cell) is str and not column.free_text:  # `'06088`: a spreadsheet's mark for text, not part of it
        cell = cell.strip().removeprefix("'")
    if cell is None or cell_text(cell) == "":
        if column.required:
            raise BadValue("missing_value")
        return empty_values(column)
    kind = column.kind
    if kind == contract.TEXT:
        text = parsers.parse_text(cell)
        return {column.name: redact(text) if column.free_text else text}
    if kind == contract.CODE:
        code = parsers.normalise_code(cell)
        allowed = programme.current().code_lists().get(column.domain) if column.domain else None
        if allowed is not None and code not in allowed:
            raise BadValue("invalid_code", ", ".join(sorted(allowed)))
        return {column.name: code}
    if kind == contract.COMMUNE:
        code = resolver.normalise(cell)
        resolved = resolver.resolve(code)
        if resolved is None:
            raise BadValue(resolver.unknown_reason)
        return dict(zip(column.loaded_names, (code, resolved), strict=False))
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
