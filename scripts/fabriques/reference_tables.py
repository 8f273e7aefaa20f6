"""The vendored reference files (data/reference/) as tables of the warehouse's `reference` schema, loaded before each
dbt build, so that every engine reads them the same way: as a source of tables, not files.

What each table is comes from its dbt source declaration (models/staging/reference/_reference__sources.yml): the
file, its delimiter and the texts read as NULL (`meta`), and each column with its `data_type`. That file is the only
place they are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fabriques.settings import PROJECT_DIR, REFERENCE_DIR

SOURCES_FILE = PROJECT_DIR / "models" / "staging" / "reference" / "_reference__sources.yml"
SCHEMA = "reference"
DEFAULT_NULL_VALUES = ("",)
"""An empty cell is NULL in every reference file."""


@dataclass(frozen=True)
class ReferenceTable:
    name: str
    file: str
    delimiter: str
    null_values: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    """(name, type) of every column of the file, in its order."""

    @property
    def path(self) -> Path:
        return REFERENCE_DIR / self.file


@cache
def reference_tables() -> tuple[ReferenceTable, ...]:
    """Every table of the `reference` source, as its declaration gives it."""
    import yaml

    declaration = yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))
    (source,) = [s for s in declaration["sources"] if s["name"] == SCHEMA]
    tables = []
    for table in source["tables"]:
        meta = table["config"]["meta"]
        tables.append(
            ReferenceTable(
                table["name"],
                meta["file"],
                meta["delimiter"],
                tuple(meta.get("null_values", DEFAULT_NULL_VALUES)),
                tuple((column["name"], column["data_type"]) for column in table["columns"]),
            )
        )
    return tuple(tables)


def store_reference(con) -> None:
    """Replace the `reference` schema of a DuckDB warehouse with the reference files, every column typed."""
    con.execute(f"create schema if not exists {SCHEMA}")
    for table in reference_tables():
        columns = ", ".join(f"'{name}': '{sql_type}'" for name, sql_type in table.columns)
        nulls = ", ".join(_quoted(value) for value in table.null_values)
        con.execute(
            f"create or replace table {SCHEMA}.{table.name} as select * from read_csv(?, header = true, "
            f"delim = {_quoted(table.delimiter)}, quote = '\"', nullstr = [{nulls}], columns = {{{columns}}})",
            [str(table.path)],
        )


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
