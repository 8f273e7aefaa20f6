"""`fabriques run` killed (SIGKILL, its whole process group) during each stage, over an output folder that holds
a good run: the published files are byte for byte those of the good run, the warehouse opens and holds its data,
and the next run takes the dead run's lock, cleans what it left, records it as interrupted and publishes.
Readers are never blocked: the warehouse and outputs are read while a run builds, and reports render from a
warehouse that another process holds open read-only."""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time

import duckdb
import pytest

from campaign_builder import small_campaign
from fabriques.cli import main
from fabriques.history import read_records
from fabriques.reports.render import render_reports
from fabriques.run import PUBLISHED_OUTPUTS

KILL_POINTS = ("ingest", "dbt build", "validate", "reports")
"""Stages of a run, as its progress lines on stderr name them (`· dbt build`)."""
STAGE_TIMEOUT_SECONDS = 600


def published_bytes(out):
    """sha256 of every published file, following the published names as a reader does."""
    digests = {}
    for name in (*PUBLISHED_OUTPUTS, "warehouse.duckdb"):
        path = out / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digests[str(file.relative_to(out) if path.is_file() else f"{name}/{file.relative_to(path)}")] = (
                hashlib.sha256(file.read_bytes()).hexdigest()
            )
    return digests


def campaigns_in(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [name for (name,) in con.execute("select campaign_name from raw.campaigns order by 1").fetchall()]


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    """An output folder holding one good run (campaign-2021), and the campaign a later run brings (2022)."""
    tmp = tmp_path_factory.mktemp("killed")
    small_campaign(2021).write(tmp / "campaign-2021")
    small_campaign(2022).write(tmp / "campaign-2022")
    assert main(["run", str(tmp / "campaign-2021"), "--year", "2021", "--out", str(tmp / "good")]) == 0
    return tmp


def start_run(tmp, out):
    """`fabriques run` in its own process group, and a queue of its stderr lines."""
    process = subprocess.Popen(
        [sys.executable, "-m", "fabriques.cli", "run", str(tmp / "campaign-2022"), "--year", "2022", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stderr] + [lines.put(None)], daemon=True
    ).start()
    return process, lines


def wait_for_stage(lines, stage) -> list[str]:
    """Read the run's stderr up to the progress line of `stage`; return the lines read."""
    deadline = time.monotonic() + STAGE_TIMEOUT_SECONDS
    seen = []
    while time.monotonic() < deadline:
        line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        if line is None:
            pytest.fail(f"the run ended before `{stage}`:\n{''.join(seen)}")
        seen.append(line)
        if line.startswith(f"· {stage}"):
            return seen
    pytest.fail(f"no `{stage}` within {STAGE_TIMEOUT_SECONDS} s")


def kill_during(tmp, out, stage) -> tuple[int, list[str]]:
    """Start a run, SIGKILL its whole process group once it enters `stage`; its pid and the stderr it wrote."""
    process, lines = start_run(tmp, out)
    try:
        seen = wait_for_stage(lines, stage)
        # while the run works, readers read: the published warehouse opens read-only, the outputs read
        assert campaigns_in(out / "warehouse.duckdb") == ["campaign-2021"], stage
        assert (out / "indicators.csv").read_text().startswith("indicator_code,"), stage
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return process.pid, seen


def test_a_run_killed_during_each_stage_leaves_the_last_good_outputs_and_the_next_run_succeeds(
    good_run, tmp_path, capsys
):
    """The kills follow each other on one output folder, each run starting over what the previous one left (its
    lock, its work folder, its half release): after every kill the good run is intact; then a run publishes."""
    out = tmp_path / "out"
    shutil.copytree(good_run / "good", out, symlinks=True)
    before = published_bytes(out)
    history_before = (out / "run_history.jsonl").read_text()
    killed_pids = []
    for stage in KILL_POINTS:
        pid, seen = kill_during(good_run, out, stage)
        if killed_pids:
            assert any(f"recovered a stale lock left by pid {killed_pids[-1]}" in line for line in seen), stage
        killed_pids.append(pid)
        assert published_bytes(out) == before, stage
        assert campaigns_in(out / "warehouse.duckdb") == ["campaign-2021"], stage
        history = (out / "run_history.jsonl").read_text()
        assert history.startswith(history_before) and read_records(out)[-1].outcome == "running", stage

    capsys.readouterr()
    assert main(["run", str(good_run / "campaign-2022"), "--year", "2022", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"recovered a stale lock left by pid {killed_pids[-1]}" in err
    assert campaigns_in(out / "warehouse.duckdb") == ["campaign-2021", "campaign-2022"]
    assert ",2022,national,FR," in (out / "indicators.csv").read_text()
    records = read_records(out)
    assert [r.outcome for r in records[-len(KILL_POINTS) - 1 :]] == ["interrupted"] * len(KILL_POINTS) + ["published"]
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".releases"]
    assert leftovers == [] and len([p for p in (out / ".releases").iterdir() if not p.is_symlink()]) == 2


HOLD_READ_ONLY = textwrap.dedent("""
    import sys, time
    import duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select count(*) from marts.fct_indicators").fetchone()[0], flush=True)
    time.sleep(120)
""")


def test_reports_render_from_a_warehouse_another_process_holds_open_read_only(good_run, tmp_path):
    """DuckDB lets readers share a file but refuses a writer beside them: rendering works, so it only reads."""
    warehouse = good_run / "good" / "warehouse.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_READ_ONLY, str(warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert int(holder.stdout.readline()) > 0
        with pytest.raises(duckdb.IOException):  # a writer would be refused: the holder really holds the file
            duckdb.connect(str(warehouse)).close()
        pages = render_reports(warehouse, tmp_path / "reports", 2021, pdf=False)
        assert pages and (tmp_path / "reports" / "index.html").exists()
    finally:
        holder.kill()
        holder.wait()
