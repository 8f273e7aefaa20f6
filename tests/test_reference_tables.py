"""The reference files load into the warehouse's `reference` schema as their dbt sources declare them: every row,
every column with its declared type, INSEE codes kept as text."""

import csv

import duckdb

from fabriques.reference_tables import reference_tables, store_reference


def test_every_reference_file_loads_whole_with_its_declared_types(tmp_path):
    tables = reference_tables()
    assert len(tables) >= 10
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        store_reference(con)
        for table in tables:
            with open(table.path, encoding="utf-8", newline="") as handle:
                records = list(csv.reader(handle, delimiter=table.delimiter))
            assert len(table.columns) == len(records[0]), table.name  # columns are named by position
            assert con.execute(f"select count(*) from reference.{table.name}").fetchone()[0] == len(records) - 1
            loaded = con.execute(
                "select column_name, lower(data_type) from information_schema.columns "
                "where table_schema = 'reference' and table_name = ? order by ordinal_position",
                [table.name],
            ).fetchall()
            assert loaded == [(name, sql_type) for name, sql_type in table.columns], table.name
        assert con.execute("select count(*) from reference.cog_communes where com like '0%'").fetchone()[0] > 1000
