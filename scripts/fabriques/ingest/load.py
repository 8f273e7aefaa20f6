"""Write a checked campaign into the warehouse's raw schema, replacing that campaign's earlier rows."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from fabriques.contract import PROVENANCE_COLUMNS, RAW_TABLES, TABLES, raw_ddl
from fabriques.contract import raw_columns as declared_columns
from fabriques.ingest.campaign import CheckedCampaign
from fabriques.ingest.headers import site_named
from fabriques.ingest.reasons import Finding

PROVENANCE = tuple(name for name, _type, _not_null in PROVENANCE_COLUMNS)
CAMPAIGN_KEYED_TABLES = (*tuple(t.name for t in TABLES), "manifest", "quarantine", "flags")


def create_raw_schema(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create the raw schema of the contract (fabriques.contract.raw_ddl), and add to an existing warehouse the
    columns it lacks (an additive migration: rows already loaded keep their values, the new column is empty
    unless it can be derived from them). Returns the columns added, as `table.column`."""
    con.execute(raw_ddl())
    added = []
    for table in RAW_TABLES:
        present = set(raw_columns(con, table))
        for name, sql_type, _not_null in declared_columns(table):
            if name not in present:
                con.execute(f"alter table raw.{table} add column {name} {sql_type.replace(' primary key', '')}")
                BACKFILLS.get((table, name), lambda _con: None)(con)
                added.append(f"{table}.{name}")
    return added


def backfill_quarantine_site_ids(con: duckdb.DuckDBPyConnection) -> None:
    """The site id each quarantined row names, for rows loaded before raw.quarantine kept it."""
    rows = con.execute(
        "select distinct original_values from raw.quarantine where site_id is null and original_values is not null"
    ).fetchall()
    named = [(values, site_named(values)) for (values,) in rows]
    if not any(site for _values, site in named):
        return
    sites = pa.table({"original_values": [v for v, s in named if s], "site_id": [s for v, s in named if s]})  # noqa: F841
    con.execute(
        "update raw.quarantine as q set site_id = sites.site_id from sites "
        "where q.original_values = sites.original_values and q.site_id is null"
    )


BACKFILLS = {("quarantine", "site_id"): backfill_quarantine_site_ids}
"""How a column added to an existing raw table is filled from the rows already there."""


def raw_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ? "
            "order by ordinal_position",
            [table],
        ).fetchall()
    ]


def load_campaign(con: duckdb.DuckDBPyConnection, campaign: CheckedCampaign, reporting_year: int) -> None:
    """Replace the campaign's rows in every raw table, in one transaction (idempotent)."""
    key = str(campaign.path)
    create_raw_schema(con)
    con.execute("begin transaction")
    try:
        for table in CAMPAIGN_KEYED_TABLES:
            con.execute(f"delete from raw.{table} where campaign_key = ?", [key])
        for table in TABLES:
            rows = campaign.rows[table.name]
            columns = [c for c in raw_columns(con, table.name) if c not in PROVENANCE]
            data = {
                "campaign_key": [key] * len(rows),
                "source_file": [r.source_file for r in rows],
                "source_row": [r.source_row for r in rows],
            }
            data |= {c: [r.values.get(c) for r in rows] for c in columns}
            _insert(con, table.name, data)
        _insert(con, "manifest", manifest_columns(campaign, key))
        _insert(con, "quarantine", findings_columns(campaign.quarantined, key, "reason_code", with_original=True))
        _insert(con, "flags", findings_columns(campaign.flags, key, "flag_code", with_original=False))
        next_seq = con.execute("select coalesce(max(load_seq), 0) + 1 from raw.campaigns").fetchone()[0]
        con.execute("delete from raw.campaigns where campaign_key = ?", [key])
        con.execute("insert into raw.campaigns values (?, ?, ?, ?)", [key, campaign.name, reporting_year, next_seq])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: dict[str, list]) -> None:
    if not next(iter(data.values()), []):
        return
    arrow_rows = pa.table(data)  # noqa: F841 (scanned by name below)
    con.execute(f"insert into raw.{table} by name select * from arrow_rows")


def manifest_columns(campaign: CheckedCampaign, key: str) -> dict[str, list]:
    sources = campaign.sources
    loaded, quarantined = campaign.rows_loaded_by_file(), campaign.rows_quarantined_by_file()
    return {
        "campaign_key": [key] * len(sources),
        "source_file": [s.source_file for s in sources],
        "table_name": [s.table_name for s in sources],
        "sha256": [s.sha256 for s in sources],
        "rows_read": [s.rows_read for s in sources],
        "rows_loaded": [loaded[s.source_file] for s in sources],
        "rows_quarantined": [quarantined[s.source_file] for s in sources],
        "status": [s.status for s in sources],
        "message": [s.message for s in sources],
    }


def findings_columns(findings: list[Finding], key: str, code_column: str, with_original: bool) -> dict[str, list]:
    data = {
        "campaign_key": [key] * len(findings),
        "source_file": [f.source_file for f in findings],
        "source_row": [f.source_row for f in findings],
        "table_name": [f.table_name for f in findings],
        "column_name": [f.column_name for f in findings],
        code_column: [f.reason_code for f in findings],
        "message": [f.message("fr") for f in findings],
        "message_en": [f.message("en") for f in findings],
    }
    if with_original:
        data["original_values"] = [f.original_values for f in findings]
        data["site_id"] = [site_named(f.original_values) for f in findings]
        data["message_arguments"] = [f.message_arguments() for f in findings]
    return data
