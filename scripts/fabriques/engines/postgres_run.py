"""One run on a shared PostgreSQL server: the lock, the build into suffixed schemas, the copy back into the run's
local file, the publication by renaming in one transaction (fabriques.engines.postgres says why)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb

from fabriques.dbt_build import BuildResult, invoke_dbt
from fabriques.engines.postgres import (
    BUILD_SUFFIX,
    BUILT_SCHEMAS,
    INPUT_SCHEMAS,
    LOCK_KEY,
    PREVIOUS_SUFFIX,
    connect,
    connection_settings,
    copy_back,
    copy_inputs,
)
from fabriques.programme import current as current_programme
from fabriques.programme import store as store_programme
from fabriques.reference_tables import store_reference

PUBLISHED_SCHEMAS = INPUT_SCHEMAS + BUILT_SCHEMAS
LOCK_POLL_SECONDS = 0.5
PUBLISH_LOCK_TIMEOUT = "120s"
"""How long the publication waits for readers' open transactions on the published tables."""


class ServerBusy(Exception):
    """Another run holds the server's lock."""


def server_name(environ: dict[str, str] | None = None) -> str:
    """`host:port/database`, as a message names the server (never with the user's password)."""
    settings = connection_settings(environ)
    return f"{settings['host']}:{settings['port']}/{settings['dbname']}"


class PostgresRun:
    """Use as a context manager: the lock is held from `__enter__` to `__exit__`, which drops what an unpublished
    build left."""

    def __init__(self, wait_seconds: float = 0):
        self.wait_seconds = wait_seconds
        self.con = None
        self.published = False

    def __enter__(self) -> PostgresRun:
        self.con = connect()
        self.con.autocommit = True
        deadline = time.monotonic() + self.wait_seconds
        with self.con.cursor() as cursor:
            while True:
                cursor.execute("select pg_try_advisory_lock(%s)", [LOCK_KEY])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() >= deadline:
                    self.con.close()
                    raise ServerBusy(
                        f"another run is building the warehouse on {server_name()}: wait for it to finish, or "
                        "pass --wait SECONDS"
                    )
                time.sleep(LOCK_POLL_SECONDS)
        self.con.autocommit = False
        return self

    def build(self, local_warehouse: Path, work_dir: Path) -> BuildResult:
        """The inputs of the local file into the suffixed schemas, dbt's build there, and what it built back into
        the local file."""
        with duckdb.connect(str(local_warehouse)) as local:
            store_programme(local, current_programme())
            store_reference(local)
            copy_inputs(local, self.con, BUILD_SUFFIX)
        self.con.commit()
        arguments = ["--target", "postgres", "--vars", json.dumps({"schema_suffix": BUILD_SUFFIX}), "--full-refresh"]
        result = invoke_dbt(work_dir, work_dir, {}, arguments)
        result.full_refresh = True
        if result.ok:
            with duckdb.connect(str(local_warehouse)) as local:
                copy_back(self.con, local)
            self.con.commit()
        return result

    def publish(self) -> None:
        """The suffixed schemas take the published names, all in one transaction; the previous ones are dropped.
        A reader's query holds the tables it reads until it ends: the publication waits for it, up to
        PUBLISH_LOCK_TIMEOUT (a transaction left open longer makes the run fail, the last good warehouse kept)."""
        with self.con.cursor() as cursor:
            cursor.execute(f"set local lock_timeout = '{PUBLISH_LOCK_TIMEOUT}'")
            cursor.execute("select nspname from pg_namespace")
            existing = {name for (name,) in cursor.fetchall()}
            for schema in PUBLISHED_SCHEMAS:
                cursor.execute(f'drop schema if exists "{schema}{PREVIOUS_SUFFIX}" cascade')
                if schema in existing:
                    cursor.execute(f'alter schema "{schema}" rename to "{schema}{PREVIOUS_SUFFIX}"')
                cursor.execute(f'alter schema "{schema}{BUILD_SUFFIX}" rename to "{schema}"')
            for schema in PUBLISHED_SCHEMAS:
                cursor.execute(f'drop schema if exists "{schema}{PREVIOUS_SUFFIX}" cascade')
        self.con.commit()
        self.published = True

    def __exit__(self, *exc) -> None:
        try:
            self.con.rollback()
            if not self.published:
                with self.con.cursor() as cursor:
                    for schema in PUBLISHED_SCHEMAS:
                        cursor.execute(f'drop schema if exists "{schema}{BUILD_SUFFIX}" cascade')
                self.con.commit()
            with self.con.cursor() as cursor:
                cursor.execute("select pg_advisory_unlock(%s)", [LOCK_KEY])
            self.con.commit()
        finally:
            self.con.close()
