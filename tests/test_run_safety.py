"""One run at a time on a warehouse (lock with owner pid, stale lock recovered) and the audit trail."""

import subprocess
import sys
import textwrap
import time

import pytest

from campaign_builder import small_campaign
from fabriques.cli import main
from fabriques.history import read_records
from fabriques.locking import WarehouseBusy, lock_path, warehouse_lock

HOLD_LOCK = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from fabriques.locking import warehouse_lock
    with warehouse_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def hold_lock_in_another_process(warehouse, seconds):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(warehouse), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_second_run_on_a_busy_warehouse_exits_with_a_clear_message(tmp_path, capsys):
    out = tmp_path / "out"
    holder = hold_lock_in_another_process(out / "warehouse.duckdb", 30)
    try:
        folder = small_campaign().write(tmp_path / "c")
        assert main(["run", str(folder), "--year", "2021", "--out", str(out)]) == 3
        message = capsys.readouterr().err
        assert "another run holds" in message and f"pid {holder.pid}" in message
    finally:
        holder.kill()
        holder.wait()
    assert not (out / "indicators.csv").exists()


def test_a_run_waits_for_the_lock_when_asked(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    holder = hold_lock_in_another_process(warehouse, 1.5)
    started = time.monotonic()
    with warehouse_lock(warehouse, wait_seconds=30):
        waited = time.monotonic() - started
    holder.wait()
    assert 0.5 < waited < 30


def test_the_lock_of_a_killed_run_is_recovered(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    holder = hold_lock_in_another_process(warehouse, 60)
    with pytest.raises(WarehouseBusy), warehouse_lock(warehouse):
        pass
    holder.kill()  # SIGKILL: no clean-up runs
    holder.wait()
    assert f"pid {holder.pid}" in lock_path(warehouse).read_text()
    notices = []
    with warehouse_lock(warehouse, notice=notices.append):
        pass
    assert notices and f"pid {holder.pid}" in notices[0]


def test_every_run_is_recorded_and_same_inputs_give_the_same_indicators_hash(tmp_path, capsys):
    folder = small_campaign().write(tmp_path / "c")
    for out in ("out-a", "out-b"):
        assert main(["run", str(folder), "--year", "2021", "--out", str(tmp_path / out)]) == 0
    (tmp_path / "empty").mkdir()
    assert main(["run", str(tmp_path / "empty"), "--year", "2021", "--out", str(tmp_path / "out-a")]) == 1
    first, refused = read_records(tmp_path / "out-a")
    (second,) = read_records(tmp_path / "out-b")
    assert (first.outcome, second.outcome) == ("published", "published")
    assert first.indicators_sha256 == second.indicators_sha256 != ""
    assert first.inputs_hash == second.inputs_hash and len(first.input_files) == 8
    assert first.versions["duckdb"] and first.code_version
    assert refused.outcome == "failed" and "no registry file" in refused.message
    capsys.readouterr()
    assert main(["history", "--out", str(tmp_path / "out-a")]) == 0
    listing = capsys.readouterr().out
    assert first.run_id in listing and "published" in listing and "failed" in listing
