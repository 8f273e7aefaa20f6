"""The main job: ingest campaigns, build the warehouse with dbt, export the outputs, publish them.

A run works on a copy of the warehouse and a fresh output folder; only when every step has succeeded are they
moved into place, so a run that fails half-way leaves the last good warehouse and outputs as they were.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb

from fabriques import export
from fabriques.dbt_build import BuildResult, dbt_build
from fabriques.history import RunRecord, append_record, code_version, file_sha256, inputs_hash, package_versions
from fabriques.ingest import IngestedCampaign, MissingRegistry, MissingYear, ingest
from fabriques.locking import warehouse_lock
from fabriques.reports.context import DEFAULT_DISCLOSURE_THRESHOLD, Page
from fabriques.reports.render import render_reports
from fabriques.settings import WAREHOUSE_FILE_NAME
from fabriques.validation.results import store_results
from fabriques.validation.runner import ValidationReport, validate_warehouse

PUBLISHED_FILES = ("indicators.csv", "quarantine.csv", "data_quality.csv")
PUBLISHED_FOLDERS = ("data_docs", "reports")


class RunFailed(Exception):
    def __init__(self, message: str, outcome: str = "failed"):
        super().__init__(message)
        self.outcome = outcome
        """refused (the validation gate) or failed (the build)."""


@dataclass
class RunResult:
    out_dir: Path
    warehouse: Path
    campaigns: list[IngestedCampaign] = field(default_factory=list)
    build: BuildResult | None = None
    validation: ValidationReport | None = None
    pages: list[Page] = field(default_factory=list)
    outputs: dict[str, int] = field(default_factory=dict)
    """published file -> rows written."""


@dataclass
class RunPaths:
    out_dir: Path
    warehouse: Path
    work_dir: Path
    """Private to this run: the warehouse being built and the outputs being written."""

    @property
    def building_warehouse(self) -> Path:
        return self.work_dir / WAREHOUSE_FILE_NAME

    @property
    def staged_outputs(self) -> Path:
        return self.work_dir / "outputs"


def plan_paths(out_dir: Path, warehouse: Path | None) -> RunPaths:
    out_dir = out_dir.resolve()
    warehouse = (warehouse or out_dir / WAREHOUSE_FILE_NAME).resolve()
    return RunPaths(out_dir, warehouse, out_dir / f".run-{os.getpid()}")


def run(campaign_dirs: list[Path], year: int, out_dir: Path, warehouse: Path | None = None,
        progress: Callable[[str], None] = lambda message: None,
        disclosure_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD, wait_seconds: float = 0) -> RunResult:
    """The main job, holding the warehouse's lock; every run, whatever its outcome, is added to the history."""
    paths = plan_paths(out_dir, warehouse)
    record = RunRecord(run_id=new_run_id(), started_at=_now(), year=year,
                       campaigns=[str(c.resolve()) for c in campaign_dirs], code_version=code_version(),
                       versions=package_versions())
    with warehouse_lock(paths.warehouse, wait_seconds, notice=progress):
        try:
            result = _run_locked(paths, record, campaign_dirs, year, progress, disclosure_threshold)
            record.outcome = "published"
            record.indicators_sha256 = file_sha256(paths.out_dir / "indicators.csv")
            return result
        except RunFailed as failure:
            record.outcome, record.message = failure.outcome, str(failure)
            raise
        except BaseException as error:
            record.outcome, record.message = "failed", f"{type(error).__name__}: {error}"
            raise
        finally:
            record.finished_at = _now()
            append_record(paths.out_dir, record)


def _run_locked(paths: RunPaths, record: RunRecord, campaign_dirs: list[Path], year: int,
                progress: Callable[[str], None], disclosure_threshold: int) -> RunResult:
    shutil.rmtree(paths.work_dir, ignore_errors=True)
    paths.staged_outputs.mkdir(parents=True)
    result = RunResult(paths.out_dir, paths.warehouse)
    try:
        if paths.warehouse.exists():
            shutil.copy2(paths.warehouse, paths.building_warehouse)
        with duckdb.connect(str(paths.building_warehouse)) as con:
            for campaign_dir in campaign_dirs:
                progress(f"ingest {campaign_dir}")
                try:
                    result.campaigns.append(ingest(con, campaign_dir, year))
                except (MissingRegistry, MissingYear) as error:
                    raise RunFailed(str(error)) from None
            record.input_files = dict(con.execute(
                "select c.campaign_name || '/' || m.source_file, m.sha256 from raw.manifest m "
                "join raw.campaigns c using (campaign_key)").fetchall())
            record.inputs_hash = inputs_hash(record.input_files)
        progress("dbt build")
        result.build = dbt_build(paths.building_warehouse, paths.work_dir)
        if not result.build.ok:
            raise RunFailed("dbt build failed:\n  " + "\n  ".join(result.build.failures[:20]))
        progress("validate")
        result.validation = validate(paths.building_warehouse, paths.staged_outputs, record.run_id)
        if result.validation.errors:
            raise RunFailed("validation failed: the warehouse cannot be trusted\n  "
                            + "\n  ".join(describe_failure(r) for r in result.validation.errors), "refused")
        result.outputs["data_quality.csv"] = len(result.validation.results)
        progress("export")
        with duckdb.connect(str(paths.building_warehouse), read_only=True) as con:
            result.outputs["indicators.csv"] = export.export_indicators(
                con, paths.staged_outputs / "indicators.csv")
            result.outputs["quarantine.csv"] = export.export_quarantine(
                con, paths.staged_outputs / "quarantine.csv")
        progress("reports")
        result.pages = render_reports(paths.building_warehouse, paths.staged_outputs / "reports", year,
                                      disclosure_threshold)
        publish(paths)
    finally:
        shutil.rmtree(paths.work_dir, ignore_errors=True)
    return result


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def validate(warehouse: Path, out_dir: Path, run_id: str | None = None) -> ValidationReport:
    """Run the suites, keep their results in the warehouse, write data_quality.csv and the Data Docs."""
    run_id = run_id or new_run_id()
    report = validate_warehouse(warehouse, out_dir / "data_docs", run_id)
    with duckdb.connect(str(warehouse)) as con:
        store_results(con, report.results)
        export.export_data_quality(con, out_dir / "data_quality.csv", run_id)
    return report


def new_run_id() -> str:
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{os.getpid()}"


def describe_failure(result) -> str:
    keys = json.loads(result.failing_keys or "[]")
    shown = ", ".join(keys[:10]) + (" …" if len(keys) > 10 else "")
    return (f"[{result.suite}.{result.rule}] {result.description_en} "
            f"({result.unexpected_count} rows{': ' + shown if shown else ''})")


def publish(paths: RunPaths) -> None:
    """Move the built warehouse and the outputs into place (each by an atomic rename)."""
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    for name in PUBLISHED_FILES:
        os.replace(paths.staged_outputs / name, paths.out_dir / name)
    for name in PUBLISHED_FOLDERS:
        previous = paths.work_dir / f"previous-{name}"
        if (paths.out_dir / name).exists():
            os.replace(paths.out_dir / name, previous)
        os.replace(paths.staged_outputs / name, paths.out_dir / name)
    if paths.warehouse.parent == paths.work_dir.parent:
        os.replace(paths.building_warehouse, paths.warehouse)
    else:
        staged = paths.warehouse.with_name(f".{paths.warehouse.name}.{os.getpid()}")
        shutil.move(paths.building_warehouse, staged)
        os.replace(staged, paths.warehouse)
