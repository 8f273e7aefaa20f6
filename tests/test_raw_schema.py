"""The raw schema comes from the contract (fabriques.contract.raw_ddl) and an existing warehouse is migrated
additively: a column the contract gained is added, the rows already loaded stay, and what can be derived from
them is filled in."""

import duckdb

from campaign_builder import small_campaign
from fabriques import contract
from fabriques.cli import main
from fabriques.ingest.headers import site_named
from fabriques.ingest.load import create_raw_schema

OLD_QUARANTINED_ROW = (
    "/old/campaign-2020",
    "reports/site_year.csv",
    4,
    "site_year",
    "people_total",
    "invalid_number",
    "m",
    "m",
    '{"Identifiant site": " FABT-01 ", "personnes": "beaucoup"}',
)


def raw_columns(con, table):
    return [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ? "
            "order by ordinal_position",
            [table],
        ).fetchall()
    ]


def test_the_raw_tables_have_the_contract_columns_in_order():
    with duckdb.connect() as con:
        assert create_raw_schema(con) == []
        for table in contract.RAW_TABLES:
            assert raw_columns(con, table) == [name for name, _type, _not_null in contract.raw_columns(table)]
        registry = raw_columns(con, "registry")
        assert registry[:3] == ["campaign_key", "source_file", "source_row"]
        assert registry.index("commune_code") == registry.index("commune_insee") + 1


def test_a_column_missing_from_an_older_warehouse_is_added_and_its_rows_kept():
    with duckdb.connect() as con:
        con.execute(contract.raw_ddl())
        con.execute("alter table raw.site_year drop column volunteers")
        con.execute(
            "insert into raw.site_year by name select 'c' as campaign_key, 'f.csv' as source_file, "
            "2 as source_row, 'fabt-01' as site_id, 2021 as year, 10 as people_total, 1.0 as employees_fte, "
            "0.0 as jobs_created, 200 as open_days, 1000 as expenses_eur"
        )
        assert create_raw_schema(con) == ["site_year.volunteers"]
        assert con.execute("select site_id, people_total, volunteers from raw.site_year").fetchall() == [
            ("fabt-01", 10, None)
        ]
        assert create_raw_schema(con) == []


def test_the_site_a_row_names_is_read_under_any_site_id_header():
    assert site_named('{"Identifiant site": " FABT-01 ", "x": "1"}') == "fabt-01"
    assert site_named('{"ID_FABT": "fabt-07"}') == "fabt-07"
    assert site_named('{"referenceDecision": "G-1", "montant": "0"}') is None
    assert site_named('{"site_id": ""}') is None
    assert site_named(None) is None


def test_quarantined_rows_of_an_older_warehouse_get_their_site_and_reach_its_sheet(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(contract.raw_ddl())
        con.execute("alter table raw.quarantine drop column message_arguments")
        con.execute("alter table raw.quarantine drop column site_id")
        con.execute("insert into raw.campaigns values ('/old/campaign-2020', 'campaign-2020', 2020, 1)")
        con.execute("insert into raw.quarantine values (?, ?, ?, ?, ?, ?, ?, ?, ?)", OLD_QUARANTINED_ROW)
    campaign_dir = small_campaign(2021).write(tmp_path / "campaign-2021")
    assert (
        main(
            ["run", str(campaign_dir), "--year", "2021", "--out", str(tmp_path / "out"), "--warehouse", str(warehouse)]
        )
        == 0
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(
            "select site_id from raw.quarantine where campaign_key = '/old/campaign-2020'"
        ).fetchall() == [("fabt-01",)]
        assert con.execute(
            "select site_id, matched_by from marts.fct_site_quarantined_rows "
            "where source_file = 'reports/site_year.csv' and source_row = 4"
        ).fetchall() == [("fabt-01", "site_id")]
