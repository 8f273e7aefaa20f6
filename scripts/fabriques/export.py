"""Write the machine-readable outputs (contract section 4) from the built warehouse.

Every text cell is written as it may be published: e-mail addresses and phone numbers masked, and a text that a
spreadsheet would run as a formula made inert. At site level, a count of people below the disclosure threshold,
and what it can be read back from, is left empty and the row says why (`suppression`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb

from fabriques.privacy import redact
from fabriques.reports.context import DEFAULT_DISCLOSURE_THRESHOLD

INDICATOR_COLUMNS = ("indicator_code", "year", "scope_type", "scope_code", "value", "unit")
SUPPRESSION_COLUMN = "suppression"
PEOPLE_COUNT_INDICATOR = "FT07_people_reached"
DISCLOSING_COLUMNS = {
    "FT07_people_reached": ("value", "numerator", "denominator"),
    "FT14_state_eur_per_person": ("value", "denominator"),  # euros per person: with FT12's payments, the count
}
"""Columns of site-level rows from which the site's count of people (FT07) can be read."""
JSON_COLUMNS = ("observed_value", "failing_keys")
"""data_quality.csv columns holding JSON: it starts with `[`, `{`, `"`, a digit, a literal or the `-` of a
negative number, never like a formula; so it is masked but not prefixed (a prefix would break the JSON)."""
QUARANTINE_COLUMNS = (
    "campaign",
    "source_file",
    "source_row",
    "table_name",
    "column_name",
    "reason_code",
    "message",
    "message_en",
    "original_values",
)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


BATCH_ROWS = 100_000
"""Rows read from the warehouse at a time by the exports: memory stays flat whatever the warehouse's size."""


def write_csv(path: Path, header: list[str], rows: Iterable[tuple]) -> int:
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(tuple(_cell(v) for v in row))
            count += 1
    return count


def batches(cursor: duckdb.DuckDBPyConnection) -> Iterator[tuple]:
    """The rows of an executed query, fetched BATCH_ROWS at a time."""
    while rows := cursor.fetchmany(BATCH_ROWS):
        yield from rows


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value)
    return value


PUBLISHED_DECIMALS = 6
"""Every published number (CSV and spreadsheet cells) is given to this many decimals."""


def published_number(value: float) -> float:
    """A number as it is published: rounded to PUBLISHED_DECIMALS, so a spreadsheet cell equals the CSV cell."""
    return round(value, PUBLISHED_DECIMALS)


def format_number(value: float) -> str:
    """A plain number: `.` decimal separator, no thousands separator, no exponent, no trailing zeros."""
    text = f"{value:.{PUBLISHED_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def neutralise_formula(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula is prefixed with a quote."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def export_indicators(
    con: duckdb.DuckDBPyConnection, path: Path, disclosure_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD
) -> int:
    extra = [
        c
        for (c,) in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = 'fct_indicators' order by ordinal_position"
        ).fetchall()
        if c not in INDICATOR_COLUMNS
    ]
    columns = list(INDICATOR_COLUMNS) + extra
    cursor = con.execute(
        f"""
        with site_people as (
            select scope_code, year, value as people
            from marts.fct_indicators
            where scope_type = 'site' and indicator_code = '{PEOPLE_COUNT_INDICATOR}'
        ),
        rows_with_small_counts as (
            select i.*,
                   coalesce(i.scope_type = 'site' and site_people.people > 0 and site_people.people < ?, false)
                       and i.indicator_code in ({_sql_list(DISCLOSING_COLUMNS)}) as is_suppressed
            from marts.fct_indicators as i
            left join site_people
                on site_people.scope_code = i.scope_code and site_people.year = i.year and i.scope_type = 'site'
        )
        select {", ".join(_published_column(c) for c in columns)},
               case when is_suppressed then 'small_count_below_{int(disclosure_threshold)}' else '' end
                   as {SUPPRESSION_COLUMN}
        from rows_with_small_counts
        order by indicator_code, year, scope_type, scope_code""",
        [disclosure_threshold],
    )
    return write_csv(path, [*columns, SUPPRESSION_COLUMN], (safe_text_cells(row) for row in batches(cursor)))


def _published_column(column: str) -> str:
    """The column as published: empty on a suppressed row of an indicator from which it discloses the count."""
    codes = [code for code, disclosing in DISCLOSING_COLUMNS.items() if column in disclosing]
    if not codes:
        return column
    return f"case when is_suppressed and indicator_code in ({_sql_list(codes)}) then null else {column} end as {column}"


def _sql_list(codes) -> str:
    return ", ".join(f"'{code}'" for code in codes)


def export_quarantine(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    return export_query(
        con,
        path,
        QUARANTINE_COLUMNS,
        """
        select c.campaign_name, q.source_file, q.source_row, q.table_name, q.column_name, q.reason_code,
               q.message, q.message_en, q.original_values
        from raw.quarantine as q
        join raw.campaigns as c using (campaign_key)
        order by c.load_seq, q.source_file, q.source_row nulls first, q.column_name
    """,
    )


MANIFEST_COLUMNS = (
    "campaign",
    "source_file",
    "table_name",
    "status",
    "rows_read",
    "rows_loaded",
    "rows_quarantined",
    "message",
    "sha256",
)


def export_manifest(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Every file, member and sheet received, with what became of it (the raw manifest, named by campaign)."""
    return export_query(
        con,
        path,
        MANIFEST_COLUMNS,
        """
        select c.campaign_name, m.source_file, m.table_name, m.status, m.rows_read, m.rows_loaded,
               m.rows_quarantined, m.message, m.sha256
        from raw.manifest as m
        join raw.campaigns as c using (campaign_key)
        order by c.load_seq, m.source_file
    """,
    )


def export_query(con: duckdb.DuckDBPyConnection, path: Path, columns: tuple[str, ...], sql: str) -> int:
    """The rows of a query as a published CSV: text masked and made inert (safe_text_cells)."""
    return write_csv(path, list(columns), [safe_text_cells(row) for row in con.execute(sql).fetchall()])


def safe_text_cells(row: tuple, json_at: frozenset[int] = frozenset()) -> tuple:
    """Text as it may be published: personal data masked, formulas made inert (JSON cells, at `json_at`, are only
    masked)."""
    return tuple(
        v if not isinstance(v, str) else redact(v) if i in json_at else neutralise_formula(redact(v))
        for i, v in enumerate(row)
    )


def export_data_quality(con: duckdb.DuckDBPyConnection, path: Path, run_id: str) -> int:
    from fabriques.validation.results import CSV_COLUMNS

    rows = con.execute(
        f"select {', '.join(CSV_COLUMNS)} from validation.results where run_id = ? "
        "order by case status when 'error' then 0 when 'warning' then 1 else 2 end, suite, rule",
        [run_id],
    ).fetchall()
    json_at = frozenset(CSV_COLUMNS.index(c) for c in JSON_COLUMNS)
    return write_csv(path, CSV_COLUMNS, [safe_text_cells(row, json_at) for row in rows])
