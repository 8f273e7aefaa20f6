"""`fabriques run --engine postgres` on a throwaway PostgreSQL (scripts/throwaway_postgres.py): the same indicators
as DuckDB's, readers of the server always see a whole warehouse, one run at a time, and no credential written."""

from __future__ import annotations

import csv
import importlib.util
import math
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from campaign_builder import small_campaign
from fabriques.cli import main

ROOT = Path(__file__).resolve().parents[1]
SENTINEL_PASSWORD = "not-a-real-password-7f3a"


def throwaway_module():
    spec = importlib.util.spec_from_file_location("throwaway_postgres", ROOT / "scripts" / "throwaway_postgres.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def server():
    throwaway = throwaway_module()
    if not throwaway.BIN_DIRS:
        pytest.skip("PostgreSQL's server is not installed (scripts/setup_system.sh installs it as root)")
    folder = Path(tempfile.mkdtemp(prefix="fabriques-postgres-"))  # not under pytest's folder, closed to others
    settings = throwaway.start(folder)
    yield settings | {"FABRIQUES_PG_PASSWORD": SENTINEL_PASSWORD}
    throwaway.stop(folder)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def on_server(server, monkeypatch):
    for name, value in server.items():
        monkeypatch.setenv(name, value)
    return server


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> Path:
    return small_campaign(2021).write(tmp_path_factory.mktemp("campaign") / "campaign-2021")


def indicators(path: Path) -> dict[tuple, str]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {(r["indicator_code"], r["year"], r["scope_type"], r["scope_code"]): r["value"] for r in rows}


def connect(settings):
    import psycopg2

    return psycopg2.connect(
        host=settings["FABRIQUES_PG_HOST"],
        port=settings["FABRIQUES_PG_PORT"],
        user=settings["FABRIQUES_PG_USER"],
        dbname=settings["FABRIQUES_PG_DBNAME"],
    )


def test_postgres_publishes_the_indicators_duckdb_publishes(campaign, on_server, tmp_path, capsys):
    assert main(["run", str(campaign), "--year", "2021", "--out", str(tmp_path / "duckdb")]) == 0
    assert main(["run", str(campaign), "--year", "2021", "--out", str(tmp_path / "pg"), "--engine", "postgres"]) == 0
    printed = capsys.readouterr()
    expected, found = indicators(tmp_path / "duckdb" / "indicators.csv"), indicators(tmp_path / "pg" / "indicators.csv")
    assert found.keys() == expected.keys() and len(found) > 100
    for key, value in expected.items():
        if value == "" or found[key] == "":
            assert value == found[key], key
        else:
            assert math.isclose(float(value), float(found[key]), rel_tol=1e-9), key
    with connect(on_server) as con, con.cursor() as cursor:
        cursor.execute("select nspname from pg_namespace where nspname like '%%\\_\\_%%'")
        assert cursor.fetchall() == []  # no suffixed schema left once published
        cursor.execute("select count(*) from marts.fct_indicators")
        assert cursor.fetchone()[0] > 100
    history = (tmp_path / "pg" / "run_history.jsonl").read_text(encoding="utf-8")
    assert f'"engine": "postgres 127.0.0.1:{on_server["FABRIQUES_PG_PORT"]}/fabriques"' in history
    written = [
        p for p in (tmp_path / "pg").rglob("*") if p.is_file() and p.suffix in (".csv", ".json", ".jsonl", ".html")
    ]
    assert written and not [p for p in written if SENTINEL_PASSWORD in p.read_text(encoding="utf-8", errors="replace")]
    assert SENTINEL_PASSWORD not in printed.out + printed.err


def test_a_second_run_waits_for_the_first_and_readers_always_see_a_whole_warehouse(
    campaign, on_server, tmp_path, capsys
):
    out = tmp_path / "pg"
    assert main(["run", str(campaign), "--year", "2021", "--out", str(out), "--engine", "postgres"]) == 0
    holder = connect(on_server)
    with holder.cursor() as cursor:
        cursor.execute("select pg_advisory_lock(4163812017)")
    assert main(["run", str(campaign), "--year", "2021", "--out", str(out), "--engine", "postgres"]) == 3
    assert f"another run is building the warehouse on 127.0.0.1:{on_server['FABRIQUES_PG_PORT']}" in (
        capsys.readouterr().err
    )
    holder.close()

    counts, errors, running = [], [], threading.Event()

    def read_while_running():
        reader = connect(on_server)
        reader.autocommit = True  # a dashboard's queries, each in its own transaction
        try:
            while running.is_set():
                try:
                    with reader.cursor() as cursor:
                        cursor.execute("select count(*) from marts.fct_indicators")
                        counts.append(cursor.fetchone()[0])
                except Exception as error:
                    errors.append(str(error))
        finally:
            reader.close()

    running.set()
    reader = threading.Thread(target=read_while_running)
    reader.start()
    try:
        assert main(["run", str(campaign), "--year", "2021", "--out", str(out), "--engine", "postgres"]) == 0
    finally:
        running.clear()
        reader.join()
    assert errors == [] and len(counts) > 10 and len(set(counts)) == 1
