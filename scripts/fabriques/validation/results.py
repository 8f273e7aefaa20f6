"""One result per expectation run: stored in the warehouse and exported as data_quality.csv."""

from __future__ import annotations

import json
from dataclasses import astuple, dataclass, fields

import duckdb

RESULTS_DDL = """
create schema if not exists validation;
create table if not exists validation.results (
    run_id varchar not null, validated_at timestamp not null, suite varchar not null, table_name varchar not null,
    rule varchar not null, expectation_type varchar not null, columns varchar, severity varchar not null,
    success boolean not null, status varchar not null, element_count bigint, unexpected_count bigint,
    observed_value varchar, failing_keys varchar, description_en varchar, description_fr varchar
)
"""
MAX_FAILING_KEYS = 20


@dataclass
class CheckResult:
    run_id: str
    validated_at: str
    suite: str
    table_name: str
    rule: str
    expectation_type: str
    columns: str
    severity: str
    success: bool
    status: str
    """passed, warning (a finding published with the data) or error (the run is refused)."""
    element_count: int | None
    unexpected_count: int | None
    observed_value: str
    failing_keys: str
    """JSON list of the keys of up to MAX_FAILING_KEYS failing rows, e.g. ["site_id=fabt-12"]."""
    description_en: str
    """What the rule checks (the suite's `meta.description`, in English)."""
    description_fr: str
    """The same in French, from the catalogue (reports/locales/fr/LC_MESSAGES/validation.po), for data_quality.csv."""

    @property
    def is_blocking(self) -> bool:
        return self.status == "error"


def status_of(success: bool, severity: str) -> str:
    return "passed" if success else severity


def failing_keys(result: dict, key_columns: tuple[str, ...]) -> str:
    rows = result.get("partial_unexpected_index_list") or []
    keys = []
    for row in rows[:MAX_FAILING_KEYS]:
        if isinstance(row, dict):
            keys.append("|".join(f"{c}={_key_text(row.get(c))}" for c in key_columns if c in row))
    return json.dumps(keys, ensure_ascii=False)


def _key_text(value: object) -> str:
    missing = value is None or (isinstance(value, float) and value != value)
    return "(missing)" if missing else str(value)


def _plain(value: object) -> object:
    """JSON-safe: NaN (pandas' missing value) becomes null."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def observed_value(result: dict) -> str:
    if "observed_value" in result:
        return json.dumps(_plain(result["observed_value"]), ensure_ascii=False, default=str)
    sample = result.get("partial_unexpected_list") or []
    return json.dumps(_plain(sample[:5]), ensure_ascii=False, default=str) if sample else ""


def store_results(con: duckdb.DuckDBPyConnection, results: list[CheckResult]) -> None:
    con.execute(RESULTS_DDL)
    if results:
        placeholders = ", ".join("?" for _ in fields(CheckResult))
        con.executemany(f"insert into validation.results values ({placeholders})", [astuple(r) for r in results])


CSV_COLUMNS = [f.name for f in fields(CheckResult)]
