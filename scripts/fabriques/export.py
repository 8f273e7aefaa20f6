"""Write the machine-readable outputs (contract section 4) from the built warehouse."""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from fabriques.privacy import redact

INDICATOR_COLUMNS = ("indicator_code", "year", "scope_type", "scope_code", "value", "unit")
QUARANTINE_COLUMNS = ("campaign", "source_file", "source_row", "table_name", "column_name", "reason_code",
                      "message", "message_en", "original_values")

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def write_csv(path: Path, header: list[str], rows: list[tuple]) -> int:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([tuple(_cell(v) for v in row) for row in rows])
    return len(rows)


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value)
    return value


def format_number(value: float) -> str:
    """A plain number: `.` decimal separator, no thousands separator, no exponent, no trailing zeros."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def neutralise_formula(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula is prefixed with a quote."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def export_indicators(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    extra = [c for (c,) in con.execute(
        "select column_name from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'indicators' order by ordinal_position").fetchall() if c not in INDICATOR_COLUMNS]
    columns = list(INDICATOR_COLUMNS) + extra
    rows = con.execute(
        f"select {', '.join(columns)} from marts.indicators "
        "order by indicator_code, year, scope_type, scope_code").fetchall()
    return write_csv(path, columns, rows)


def export_quarantine(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    rows = con.execute("""
        select c.campaign_name, q.source_file, q.source_row, q.table_name, q.column_name, q.reason_code,
               q.message, q.message_en, q.original_values
        from raw.quarantine as q
        join raw.campaigns as c using (campaign_key)
        order by c.load_seq, q.source_file, q.source_row nulls first, q.column_name
    """).fetchall()
    return write_csv(path, list(QUARANTINE_COLUMNS), [safe_text_cells(row) for row in rows])


def safe_text_cells(row: tuple) -> tuple:
    """Text as it may be published: personal data masked, formulas made inert."""
    return tuple(neutralise_formula(redact(v)) if isinstance(v, str) else v for v in row)


def export_data_quality(con: duckdb.DuckDBPyConnection, path: Path, run_id: str) -> int:
    from fabriques.validation.results import CSV_COLUMNS

    rows = con.execute(f"select {', '.join(CSV_COLUMNS)} from validation.results where run_id = ? "
                       "order by case status when 'error' then 0 when 'warning' then 1 else 2 end, suite, rule",
                       [run_id]).fetchall()
    return write_csv(path, CSV_COLUMNS, rows)
