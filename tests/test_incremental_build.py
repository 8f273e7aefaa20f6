"""Adding campaigns to a built warehouse (incremental build, year by year) gives the same marts as building
every campaign into a new warehouse: a new year, an earlier year re-sent, a registry that changes the sites
of earlier years, and a campaign loaded again."""

import duckdb
import pytest

from campaign_builder import small_campaign
from fabriques.dbt_build import build_version, built_version, dbt_build
from fabriques.ingest import ingest

NO_DATA_TESTS = ["--exclude-resource-type", "test"]
"""The data tests guard the data, not the incremental logic: left out to keep this test short."""
SIGNIFICANT_DIGITS = 12


def campaigns(tmp_path):
    first = small_campaign(2021).write(tmp_path / "campaign-2021")
    later = small_campaign(2022)
    later.add("site_year", "fabt-01", 2021, 999, 3.0, 1.0, 12, 210, 130000)  # re-sends fabt-01's 2021 report
    later.rows["registry"][3][5] = "qpv"  # fabt-04 is now declared qpv: its earlier years move with it
    return first, later.write(tmp_path / "campaign-2022")


def load(warehouse, *campaign_dirs):
    with duckdb.connect(str(warehouse)) as con:
        for campaign_dir in campaign_dirs:
            ingest(con, campaign_dir, None)


def build(warehouse):
    result = dbt_build(warehouse, warehouse.parent, extra_args=NO_DATA_TESTS)
    assert result.ok, result.failures or result.output[-3000:]
    return result


def differences(first, second, schema):
    """Table -> rows of one not in the other (doubles to SIGNIFICANT_DIGITS), for every table of `schema`."""
    found = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{first}' as a (read_only)")
        con.execute(f"attach '{second}' as b (read_only)")
        tables = con.execute(
            "select table_name from information_schema.tables where table_catalog = 'a' "
            "and table_schema = ? and table_type = 'BASE TABLE'",
            [schema],
        ).fetchall()
        assert tables
        for (table,) in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'a' and table_schema = ? and table_name = ?",
                [schema, table],
            ).fetchall()
            select = ", ".join(
                f'round("{c}", {SIGNIFICANT_DIGITS - 1} - cast(floor(log10(abs("{c}") + 1e-300)) as integer))'
                if t == "DOUBLE"
                else f'"{c}"'
                for c, t in columns
            )
            a, b = f'select {select} from a.{schema}."{table}"', f'select {select} from b.{schema}."{table}"'
            count = con.execute(
                f"select (select count(*) from ({a} except all {b})) + (select count(*) from ({b} except all {a}))"
            ).fetchone()[0]
            if count:
                found[table] = count
    return found


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("incremental")
    first, later = campaigns(tmp)
    incremental = tmp / "incremental" / "warehouse.duckdb"
    incremental.parent.mkdir()
    load(incremental, first)
    assert build(incremental).full_refresh
    load(incremental, later, first)  # a new campaign, and the first one loaded again
    added = build(incremental)
    full = tmp / "full" / "warehouse.duckdb"
    full.parent.mkdir()
    load(full, first, later, first)
    build(full)
    return incremental, full, added


def test_adding_campaigns_builds_incrementally(warehouses):
    incremental, _, added = warehouses
    assert not added.full_refresh
    assert built_version(incremental) == build_version()


@pytest.mark.parametrize("schema", ["staging", "marts"])
def test_incremental_build_equals_a_full_rebuild(warehouses, schema):
    incremental, full, _ = warehouses
    assert differences(incremental, full, schema) == {}


def test_the_resent_report_and_the_new_registry_count_in_earlier_years(warehouses):
    incremental, _, _ = warehouses
    with duckdb.connect(str(incremental), read_only=True) as con:
        people = con.execute(
            "select people_total from staging.stg_campaign__site_year where site_id = 'fabt-01' and year = 2021"
        ).fetchone()[0]
        qpv_sites = con.execute(
            "select value from marts.fct_indicators where indicator_code = 'FT02_sites_qpv' "
            "and year = 2021 and scope_type = 'national'"
        ).fetchone()[0]
    assert people == 999
    assert qpv_sites == 3
