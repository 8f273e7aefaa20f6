#!/usr/bin/env python3
"""Benchmark the warehouse at several scale factors of the programme: every stage of a run, and hand-written
baselines of the transformation (BENCHMARKS.md).

For each scale factor K (SF1 = the programme's 382 sites over 5 years, SFK = K copies of them, all CSV):
  1. generates the demo campaigns once (scripts/generate_demo.py --scale K), kept under WORK/data/;
  2. times `fabriques run` on all campaigns into a new warehouse RUNS times: each stage (ingest, dbt build,
     validate, export, reports), the whole run, rows read per second of ingestion and the peak resident memory
     of the whole process tree;
  3. times, on the run's ingested raw tables, the models that marts.fct_indicators needs (dbt, no tests) and the two
     baselines: (a) the hand-written DuckDB query scripts/baselines/indicators_duckdb.sql, (b) the pandas
     script scripts/baselines/indicators_pandas.py; and checks that both give every core indicator value of
     marts.fct_indicators;
  4. times `fabriques check` on one site workbook and on the largest campaign of the demo (SF1, with workbooks);
  5. for the scale factors of --incremental: builds a warehouse of every campaign but the last, then times
     adding the last one (`fabriques run LAST --warehouse W`) and checks that every mart then equals the full
     rebuild's.
Prints the tables (Markdown) and writes them with every measure to WORK/results.md and WORK/results.json.

Usage: bench.py [--scales 1 10 100] [--runs 3] [--incremental 10 100] [--work build/bench]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

from benchmarking.agreement import compare_indicators, marts_differences
from benchmarking.checks import checks_table, time_checks
from benchmarking.measure import run_measured
from benchmarking.report import report
from benchmarking.stages import product_run
from benchmarking.workbooks import compare_readers

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "scripts" / "generate_demo.py"
BASELINES = {
    "duckdb": ROOT / "scripts" / "baselines" / "indicators_duckdb.py",
    "pandas": ROOT / "scripts" / "baselines" / "indicators_pandas.py",
}
SITES_PER_SCALE = 382


def generate(work: Path, scale: int, csv_only: bool = True) -> Path:
    """The campaigns of scale factor `scale`, generated once (the generator is deterministic); with workbooks as
    the demo has them unless `csv_only`."""
    folder = work / "data" / (f"sf{scale}" if csv_only else f"sf{scale}-workbooks")
    marker = folder / ".generated"
    stamp = f"{scale} {csv_only} {GENERATOR.stat().st_mtime_ns}"
    if marker.exists() and marker.read_text() == stamp:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    print(f"generating SF{scale} into {folder} …", flush=True)
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--out",
            str(folder),
            "--scale",
            str(scale),
            *(["--csv-only"] if csv_only else []),
        ],
        check=True,
    )
    marker.write_text(stamp)
    return folder


def campaigns_of(folder: Path) -> list[Path]:
    return sorted(folder.glob("campaign-*"))


def year_of(campaign: Path) -> int:
    return int(campaign.name.rsplit("-", 1)[1])


def full_runs(campaigns: list[Path], out: Path, runs: int) -> list[dict]:
    measures = []
    for run in range(1, runs + 1):
        shutil.rmtree(out, ignore_errors=True)
        measured = product_run(campaigns, year_of(campaigns[-1]), out)
        print(
            f"  full run {run}/{runs}: {measured.seconds:.1f} s "
            + ", ".join(f"{k} {v:.1f}" for k, v in measured.stages.items()),
            flush=True,
        )
        measures.append(dataclasses.asdict(measured))
    return measures


def indicator_models(warehouse: Path, work: Path, runs: int) -> list[float]:
    """Seconds of `dbt build --select +indicators --full-refresh` without tests (the models the indicators need,
    from the raw tables), on a copy of the warehouse."""
    from fabriques.dbt_build import dbt_build

    copy_dir = work / "models-only"
    times = []
    for _ in range(runs):
        shutil.rmtree(copy_dir, ignore_errors=True)
        copy_dir.mkdir(parents=True)
        shutil.copyfile(warehouse, copy_dir / "warehouse.duckdb")
        started = time.perf_counter()
        result = dbt_build(
            copy_dir / "warehouse.duckdb",
            copy_dir,
            extra_args=["--select", "+indicators", "--exclude-resource-type", "test", "--full-refresh"],
        )
        times.append(time.perf_counter() - started)
        if not result.ok:
            raise RuntimeError("dbt build of the indicators' models failed: " + "; ".join(result.failures[:5]))
    shutil.rmtree(copy_dir, ignore_errors=True)
    return times


def baselines(warehouse: Path, work: Path, runs: int) -> tuple[dict, dict]:
    measures, agreement = {}, {}
    for name, script in BASELINES.items():
        out = work / f"baseline-{name}.parquet"
        runs_of = [run_measured([sys.executable, str(script), str(warehouse), str(out)]).check() for _ in range(runs)]
        measures[name] = {
            "seconds": [m.seconds for m in runs_of],
            "compute_seconds": [json.loads(m.stdout.strip().splitlines()[-1])["seconds"] for m in runs_of],
            "peak_rss_bytes": [m.peak_rss_bytes for m in runs_of],
        }
        result = compare_indicators(warehouse, out)
        agreement[name] = dataclasses.asdict(result) | {"ok": result.ok, "summary": result.summary()}
        agreement[name]["examples"] = [list(map(str, e)) for e in result.examples]
        print(f"  baseline {name}: {measures[name]['seconds'][-1]:.2f} s, {result.summary()}", flush=True)
    return measures, agreement


def incremental(campaigns: list[Path], work: Path, full_warehouse: Path, runs: int) -> dict:
    """Add the last campaign to a warehouse built from the others; compare its marts with the full rebuild's."""
    base_dir, add_dir = work / "incremental-base", work / "incremental-add"
    shutil.rmtree(base_dir, ignore_errors=True)
    base = product_run(campaigns[:-1], year_of(campaigns[-2]), base_dir / "out", base_dir / "warehouse.duckdb")
    print(f"  base ({len(campaigns) - 1} campaigns): {base.seconds:.1f} s", flush=True)
    add_runs = []
    for run in range(1, runs + 1):
        shutil.rmtree(add_dir, ignore_errors=True)
        add_dir.mkdir(parents=True)
        shutil.copyfile(base_dir / "warehouse.duckdb", add_dir / "warehouse.duckdb")
        measured = product_run(campaigns[-1:], year_of(campaigns[-1]), add_dir / "out", add_dir / "warehouse.duckdb")
        print(
            f"  add year {run}/{runs}: {measured.seconds:.1f} s "
            + ", ".join(f"{k} {v:.1f}" for k, v in measured.stages.items()),
            flush=True,
        )
        add_runs.append(dataclasses.asdict(measured))
    differences = marts_differences(full_warehouse, add_dir / "warehouse.duckdb")
    print(f"  marts equal to the full rebuild: {differences if differences else 'yes'}", flush=True)
    return {"base": dataclasses.asdict(base), "add_runs": add_runs, "marts_differences": differences}


def machine() -> dict:
    import psutil

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": psutil.virtual_memory().total / 2**30,
        "python": platform.python_version(),
        "load_before": _load(),
    }


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_scale(scale: int, work: Path, runs: int, with_incremental: bool) -> dict:
    data = generate(work, scale)
    campaigns = campaigns_of(data)
    scale_dir = work / f"sf{scale}"
    print(f"SF{scale}: {len(campaigns)} campaigns, {SITES_PER_SCALE * scale:,} sites", flush=True)
    result = {"scale": scale, "sites": SITES_PER_SCALE * scale, "campaigns": [c.name for c in campaigns]}
    result["full_runs"] = full_runs(campaigns, scale_dir / "full", runs)
    warehouse = scale_dir / "full" / "warehouse.duckdb"
    result["indicator_models"] = indicator_models(warehouse, scale_dir, runs)
    print(f"  dbt, models of the indicators: {result['indicator_models'][-1]:.1f} s", flush=True)
    result["baselines"], result["agreement"] = baselines(warehouse, scale_dir, runs)
    if with_incremental:
        result["incremental"] = incremental(campaigns, scale_dir, warehouse, runs)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100], metavar="K")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each measure (medians are shown)")
    parser.add_argument(
        "--incremental",
        type=int,
        nargs="*",
        default=[10, 100],
        metavar="K",
        help="scale factors where adding a year is measured (of those in --scales)",
    )
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench")
    args = parser.parse_args(argv)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    results = [bench_scale(k, work, args.runs, k in args.incremental) for k in args.scales]
    demo = generate(work, 1, csv_only=False)
    readers = compare_readers(demo, args.runs)
    print(
        f"workbook readers on the demo's {readers['workbooks']} workbooks: openpyxl "
        f"{readers['openpyxl']['seconds'][-1]:.2f} s, calamine {readers['calamine']['seconds'][-1]:.2f} s",
        flush=True,
    )
    checks = time_checks(campaigns_of(demo), args.runs)
    info["load_after"] = _load()
    text = report(results, info, readers) + "\n\n`fabriques check`, the whole command:\n\n" + checks_table(checks)
    measures = {"machine": info, "results": results, "readers": readers, "checks": checks}
    (work / "results.json").write_text(json.dumps(measures, indent=1))
    (work / "results.md").write_text(text + "\n")
    print("\n" + text)
    return 0 if all(r["agreement"][n]["ok"] for r in results for n in r["agreement"]) else 1


if __name__ == "__main__":
    sys.exit(main())
