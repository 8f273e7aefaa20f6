"""Checks of the benchmark's results: the warehouse's indicators against a baseline's, and the marts of two
warehouses against each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

CORE_INDICATORS = (
    "FT01_sites_labelled",
    "FT02_sites_qpv",
    "FT03_sites_rural",
    "FT04_state_committed_eur",
    "FT05_state_paid_eur",
    "FT06_grant_in_bounds_pct",
    "FT07_people_reached",
    "FT08_participations",
    "FT09_activity_hours",
    "FT10_jobs_fte",
    "FT11_own_revenue_pct",
    "FT12_cofunding_leverage",
    "FT13_places_supported",
    "FT14_state_eur_per_person",
    "FT15_reporting_pct",
)
RELATIVE_TOLERANCE = 1e-9
"""Values agree when they differ by at most this share of the larger (or by this much below 1): sums of
floats in another order differ in their last bits."""


@dataclass
class Agreement:
    rows: int
    only_in_warehouse: int
    only_in_baseline: int
    different: int
    exact: int
    examples: list[tuple] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.only_in_warehouse or self.only_in_baseline or self.different)

    def summary(self) -> str:
        if self.ok:
            return f"agree on all {self.rows} values ({self.exact} exactly)"
        return (
            f"DISAGREE: {self.different} values differ, {self.only_in_warehouse} rows only in the warehouse, "
            f"{self.only_in_baseline} only in the baseline; e.g. {self.examples[:3]}"
        )


def compare_indicators(warehouse: Path, baseline: Path) -> Agreement:
    """Every (indicator_code, year, scope_type, scope_code) of the core indicators in marts.fct_indicators against
    the rows of a baseline's Parquet file."""
    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        codes = ", ".join(f"'{c}'" for c in CORE_INDICATORS)
        con.execute(f"""
            create temp table compared as
            with ours as (
                select indicator_code, year, scope_type, scope_code, value
                from warehouse.marts.fct_indicators where indicator_code in ({codes})
            ),
            theirs as (
                select indicator_code, cast(year as integer) as year, scope_type, cast(scope_code as varchar)
                    as scope_code, value
                from read_parquet('{baseline}') where indicator_code in ({codes})
            )
            select
                indicator_code, year, scope_type, scope_code,
                ours.value as ours, theirs.value as theirs,
                ours.indicator_code is not null as in_ours, theirs.indicator_code is not null as in_theirs
            from ours full outer join theirs using (indicator_code, year, scope_type, scope_code)
        """)
        counts = con.execute(f"""
            select
                count(*),
                count(*) filter (where in_ours and not in_theirs),
                count(*) filter (where in_theirs and not in_ours),
                count(*) filter (where in_ours and in_theirs and not ({_agree("ours", "theirs")})),
                count(*) filter (where in_ours and in_theirs and ours is not distinct from theirs)
            from compared
        """).fetchone()
        examples = con.execute(f"""
            select indicator_code, year, scope_type, scope_code, ours, theirs from compared
            where not (in_ours and in_theirs and {_agree("ours", "theirs")})
            order by indicator_code, year, scope_type, scope_code limit 10
        """).fetchall()
    return Agreement(*counts, examples=examples)


def _agree(a: str, b: str) -> str:
    return f"({a} is not distinct from {b} or abs({a} - {b}) <= {RELATIVE_TOLERANCE} * greatest(abs({a}), abs({b}), 1))"


SIGNIFICANT_DIGITS = 12
"""Doubles in marts are compared to this many significant digits: DuckDB sums doubles in parallel in no fixed
order, so two builds of the same warehouse can differ in the last bits of a sum."""


def marts_differences(first: Path, second: Path, schema: str = "marts") -> dict[str, int]:
    """Table -> rows in one warehouse's table and not in the other's (both ways, duplicates counted, doubles to
    SIGNIFICANT_DIGITS); a table in only one of them counts -1. Empty: every table of `schema` is equal."""
    differences = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{first}' as first_wh (read_only)")
        con.execute(f"attach '{second}' as second_wh (read_only)")
        tables = {}
        for catalog in ("first_wh", "second_wh"):
            tables[catalog] = {
                t
                for (t,) in con.execute(
                    "select table_name from information_schema.tables where table_catalog = ? and table_schema = ? "
                    "and table_type = 'BASE TABLE'",
                    [catalog, schema],
                ).fetchall()
            }
        for table in sorted(tables["first_wh"] ^ tables["second_wh"]):
            differences[table] = -1
        for table in sorted(tables["first_wh"] & tables["second_wh"]):
            columns = con.execute(
                "select column_name, data_type from information_schema.columns where table_catalog = 'first_wh' "
                "and table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            select = ", ".join(_comparable(name, data_type) for name, data_type in columns)
            a = f'select {select} from first_wh.{schema}."{table}"'
            b = f'select {select} from second_wh.{schema}."{table}"'
            count = con.execute(
                f"select (select count(*) from ({a} except all {b})) + (select count(*) from ({b} except all {a}))"
            ).fetchone()[0]
            if count:
                differences[table] = count
    return differences


def _comparable(name: str, data_type: str) -> str:
    column = f'"{name}"'
    if data_type not in ("DOUBLE", "FLOAT"):
        return column
    return (
        f"case when {column} = 0 or not isfinite({column}) then {column} else round({column}, "
        f"{SIGNIFICANT_DIGITS - 1} - cast(floor(log10(abs({column}))) as integer)) end as {column}"
    )
