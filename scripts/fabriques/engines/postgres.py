"""PostgreSQL as the engine of the warehouse, on a server others read at the same time.

A run holds the server's advisory lock (`LOCK_KEY`: a second run waits or stops with a clear message), copies its
inputs (the schemas the run writes: raw, programme, reference) from its local DuckDB file with COPY in one
transaction, into schemas named with BUILD_SUFFIX, has dbt build the models into the same suffixed schemas, then
copies what dbt built back into its local file, where the validation, the export and the reports read it. Once
they have succeeded, `publish` renames the suffixed schemas into place in one transaction: a dashboard or
another evaluator reading the server sees the last good warehouse, never a half-built one. The connection comes
from the environment (FABRIQUES_PG_*); the password is never printed nor written to the run history.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

INPUT_SCHEMAS = ("raw", "programme", "reference")
BUILT_SCHEMAS = ("seeds", "staging", "intermediate", "marts", "checks")
"""What dbt builds (dbt_project.yml's schemas)."""
BUILD_SUFFIX = "__next"
PREVIOUS_SUFFIX = "__previous"
LOCK_KEY = 4_163_812_017
"""The advisory lock of a run on the server: one run builds the warehouse at a time."""
SETTINGS = {
    "host": ("FABRIQUES_PG_HOST", "localhost"),
    "port": ("FABRIQUES_PG_PORT", "5432"),
    "user": ("FABRIQUES_PG_USER", "postgres"),
    "password": ("FABRIQUES_PG_PASSWORD", ""),
    "dbname": ("FABRIQUES_PG_DBNAME", "fabriques"),
}
"""Connection setting -> (environment variable, default): what profiles.yml's `postgres` target reads too."""
TYPES = {"VARCHAR": "text", "DOUBLE": "double precision", "FLOAT": "real", "HUGEINT": "numeric(38, 0)"}
"""DuckDB's type names that PostgreSQL writes otherwise; the others (integer, bigint, date, boolean, decimal(p, s),
timestamp) are the same."""


def connection_settings(environ: dict[str, str] | None = None) -> dict[str, str]:
    environ = os.environ if environ is None else environ
    return {name: environ.get(variable, default) for name, (variable, default) in SETTINGS.items()}


def connect(environ: dict[str, str] | None = None):
    import psycopg2

    settings = {k: v for k, v in connection_settings(environ).items() if v}
    return psycopg2.connect(**settings)


def postgres_type(duckdb_type: str) -> str:
    upper = duckdb_type.upper()
    if upper in TYPES:
        return TYPES[upper]
    if re.fullmatch(r"DECIMAL\(\d+,\s*\d+\)", upper):
        return upper.replace("DECIMAL", "numeric").lower()
    return duckdb_type.lower()


def copy_inputs(duckdb_con, pg_con, suffix: str = "", schemas: tuple[str, ...] = INPUT_SCHEMAS) -> dict[str, int]:
    """Replace `schemas` (named with `suffix`) in PostgreSQL by the DuckDB warehouse's tables of the same names
    (rows as CSV through COPY), in the current transaction: the caller commits. Returns the rows copied per
    table."""
    copied = {}
    with pg_con.cursor() as cursor:
        for schema in schemas:
            target = schema + suffix
            cursor.execute(f'drop schema if exists "{target}" cascade')
            cursor.execute(f'create schema "{target}"')
            tables = duckdb_con.execute(
                "select table_name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE' "
                "order by table_name",
                [schema],
            ).fetchall()
            for (table,) in tables:
                columns = duckdb_con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                # names in lower case, as PostgreSQL reads the models' unquoted names (`referenceDecision`)
                definition = ", ".join(f'"{name.lower()}" {postgres_type(sql_type)}' for name, sql_type in columns)
                cursor.execute(f'create table "{target}"."{table}" ({definition})')
                names = ", ".join(f'"{name.lower()}"' for name, _type in columns)
                with tempfile.TemporaryDirectory() as folder:
                    path = Path(folder) / "rows.csv"
                    duckdb_con.execute(
                        f'copy (select {names} from "{schema}"."{table}") to \'{path}\' '  # DuckDB: any case
                        "(format csv, header false, force_quote *, nullstr '')"
                    )
                    with open(path, encoding="utf-8", newline="") as rows:  # newlines inside texts kept as sent
                        cursor.copy_expert(f'copy "{target}"."{table}" ({names}) from stdin with (format csv)', rows)
                    count = cursor.rowcount
                copied[f"{schema}.{table}"] = count
    return copied


def duckdb_type(data_type: str, precision: int | None, scale: int | None) -> str:
    """The DuckDB type of a PostgreSQL column (information_schema's data_type, numeric_precision and scale)."""
    if data_type == "numeric":
        return f"decimal({precision}, {scale})" if precision is not None and precision <= 38 else "double"
    return {
        "text": "varchar",
        "character varying": "varchar",
        "double precision": "double",
        "real": "float",
        "timestamp without time zone": "timestamp",
    }.get(data_type, data_type)


def copy_back(pg_con, duckdb_con, suffix: str = BUILD_SUFFIX, schemas: tuple[str, ...] = BUILT_SCHEMAS) -> int:
    """Replace `schemas` of the DuckDB file by what dbt built in PostgreSQL (the schemas named with `suffix`),
    every table and view as a table with its columns' types: what the validation, the export and the reports
    read. Returns the number of tables copied."""
    copied = 0
    with pg_con.cursor() as cursor, tempfile.TemporaryDirectory() as folder:
        for schema in schemas:
            duckdb_con.execute(f'drop schema if exists "{schema}" cascade')
            duckdb_con.execute(f'create schema "{schema}"')
            cursor.execute(
                "select table_name from information_schema.tables where table_schema = %s order by table_name",
                [schema + suffix],
            )
            for (table,) in cursor.fetchall():
                cursor.execute(
                    "select column_name, data_type, numeric_precision, numeric_scale from information_schema.columns "
                    "where table_schema = %s and table_name = %s order by ordinal_position",
                    [schema + suffix, table],
                )
                columns = cursor.fetchall()
                path = Path(folder) / f"{schema}.{table}.csv"
                with open(path, "w", encoding="utf-8", newline="") as rows:
                    query = f'select * from "{schema + suffix}"."{table}"'  # a view has no COPY of its own
                    cursor.copy_expert(f"copy ({query}) to stdout with (format csv)", rows)
                if path.stat().st_size == 0:  # no row: the table with its columns
                    definition = ", ".join(f'"{name}" {duckdb_type(t, p, s)}' for name, t, p, s in columns)
                    duckdb_con.execute(f'create table "{schema}"."{table}" ({definition})')
                    copied += 1
                    continue
                types = ", ".join(f"'{name}': '{duckdb_type(t, p, s)}'" for name, t, p, s in columns)
                duckdb_con.execute(
                    f'create table "{schema}"."{table}" as select * from read_csv(?, header = false, delim = \',\', '
                    f"quote = '\"', escape = '\"', nullstr = '', allow_quoted_nulls = false, columns = {{{types}}})",
                    [str(path)],
                )
                copied += 1
    return copied
