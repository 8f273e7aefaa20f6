"""The main job: ingest campaigns, build the warehouse with dbt, export the outputs, publish them.

A run works on a copy of the warehouse and a fresh output folder (OUT_DIR/.run-<pid>/); only when every step has
succeeded are they published, in one step (fabriques.publication), so a run that fails or is killed half-way
leaves the last good warehouse and outputs as they were.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from fabriques import export, publication
from fabriques.dbt_build import BuildResult, dbt_build
from fabriques.engines.postgres_run import PostgresRun, server_name
from fabriques.failed_run import remove_failed_run, write_failed_run
from fabriques.history import (
    RunRecord,
    append_record,
    code_version,
    file_sha256,
    inputs_hash,
    package_versions,
    record_interrupted,
)
from fabriques.ingest import IngestedCampaign, MissingRegistry, MissingYear, UnusableCampaign, ingest
from fabriques.locking import warehouse_locks
from fabriques.open_data import write_datapackage
from fabriques.programme import current as current_programme
from fabriques.reports.context import DEFAULT_DISCLOSURE_THRESHOLD, Page
from fabriques.reports.render import render_reports
from fabriques.settings import WAREHOUSE_FILE_NAME
from fabriques.validation.results import store_results
from fabriques.validation.runner import ValidationReport, validate_warehouse

PUBLISHED_OUTPUTS = ("indicators.csv", "quarantine.csv", "data_quality.csv", "datapackage.json", "data_docs", "reports")
"""What every release holds (with the warehouse when it lives in OUT_DIR)."""


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

    @property
    def warehouse_in_out_dir(self) -> bool:
        """The warehouse is published with the outputs, in their release; otherwise it is replaced on its own."""
        return self.warehouse.parent == self.out_dir

    @property
    def locked(self) -> list[Path]:
        """Whose locks the run holds: the warehouse's, and the output folder's (OUT_DIR/warehouse.duckdb.lock)."""
        return [self.warehouse, self.out_dir / WAREHOUSE_FILE_NAME]


def plan_paths(out_dir: Path, warehouse: Path | None) -> RunPaths:
    """Absolute paths; a warehouse in OUT_DIR is named by its link (OUT_DIR/warehouse.duckdb), not by the release
    it points into."""
    out_dir = out_dir.resolve()
    if warehouse is None or warehouse.parent.resolve() == out_dir:
        warehouse = out_dir / (warehouse.name if warehouse else WAREHOUSE_FILE_NAME)
    else:
        warehouse = warehouse.resolve()
    return RunPaths(out_dir, warehouse, out_dir / f"{publication.WORK_PREFIX}{os.getpid()}")


def run(
    campaign_dirs: list[Path],
    year: int,
    out_dir: Path,
    warehouse: Path | None = None,
    progress: Callable[[str], None] = lambda message: None,
    disclosure_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD,
    wait_seconds: float = 0,
    commentary_dir: Path | None = None,
    engine: str = "duckdb",
) -> RunResult:
    """The main job, on `engine` (duckdb, or postgres: fabriques.engines.postgres), for the programme in force
    (fabriques.programme.in_force), holding the locks of the warehouse and of OUT_DIR; every run, whatever its
    outcome, is in the history with the programme's settings and hash (a killed one is recorded `interrupted` by
    the next run)."""
    paths = plan_paths(out_dir, warehouse)
    record = RunRecord(
        run_id=new_run_id(),
        started_at=_now(),
        year=year,
        outcome="running",
        campaigns=[str(c.resolve()) for c in campaign_dirs],
        code_version=code_version(),
        versions=package_versions(),
        programme=current_programme().summary(),
        engine=engine_name(engine),
    )
    with warehouse_locks(paths.locked, wait_seconds, notice=progress):
        for dead in record_interrupted(paths.out_dir, _now(), record.run_id):
            progress(f"run {dead.run_id} never finished: recorded as interrupted")
        append_record(paths.out_dir, record)
        try:
            with ExitStack() as stack:
                server = stack.enter_context(PostgresRun(wait_seconds)) if engine == "postgres" else None
                result = _run_locked(
                    paths, record, campaign_dirs, year, progress, disclosure_threshold, commentary_dir, server
                )
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


def _run_locked(
    paths: RunPaths,
    record: RunRecord,
    campaign_dirs: list[Path],
    year: int,
    progress: Callable[[str], None],
    disclosure_threshold: int,
    commentary_dir: Path | None = None,
    server: PostgresRun | None = None,
) -> RunResult:
    publication.clean_leftovers(paths.out_dir)
    if not paths.warehouse_in_out_dir:
        publication.clean_staged_copies(paths.warehouse)
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
                except UnusableCampaign as refusal:
                    folder = write_failed_run(paths.out_dir, refusal)
                    raise RunFailed(
                        f"{refusal}\nEvery row of it, and why, in {folder / 'quarantine.csv'} and "
                        f"{folder / 'manifest.csv'}: correct the files and run again."
                    ) from None
            record.input_files = dict(
                con.execute(
                    "select c.campaign_name || '/' || m.source_file, m.sha256 from raw.manifest m "
                    "join raw.campaigns c using (campaign_key)"
                ).fetchall()
            )
            record.inputs_hash = inputs_hash(record.input_files)
        progress("dbt build" + (f" on {record.engine}" if server else ""))
        if server is None:
            result.build = dbt_build(paths.building_warehouse, paths.work_dir)
        else:
            result.build = server.build(paths.building_warehouse, paths.work_dir)
        if not result.build.ok:
            raise RunFailed("dbt build failed:\n  " + "\n  ".join(result.build.failures[:20]))
        progress("validate")
        result.validation = validate(paths.building_warehouse, paths.staged_outputs, record.run_id)
        if result.validation.errors:
            raise RunFailed(
                "validation failed: the warehouse cannot be trusted\n  "
                + "\n  ".join(describe_failure(r) for r in result.validation.errors),
                "refused",
            )
        result.outputs["data_quality.csv"] = len(result.validation.results)
        progress("export")
        with duckdb.connect(str(paths.building_warehouse), read_only=True) as con:
            result.outputs["indicators.csv"] = export.export_indicators(
                con, paths.staged_outputs / "indicators.csv", disclosure_threshold
            )
            result.outputs["quarantine.csv"] = export.export_quarantine(con, paths.staged_outputs / "quarantine.csv")
        progress("reports")
        result.pages = render_reports(
            paths.building_warehouse,
            paths.staged_outputs / "reports",
            year,
            disclosure_threshold,
            commentary_dir=commentary_dir,
            data_docs_dir=paths.staged_outputs / "data_docs",
        )
        with duckdb.connect(str(paths.building_warehouse), read_only=True) as con:
            settings = dict(con.execute("select parameter, value from programme.parameters").fetchall())
            write_datapackage(con, paths.staged_outputs, settings)
        progress("publish")
        if server is not None:
            server.publish()
        publish(paths, record.run_id)
        remove_failed_run(paths.out_dir)
    finally:
        shutil.rmtree(paths.work_dir, ignore_errors=True)
    return result


def engine_name(engine: str) -> str:
    """How the run history names the engine: `duckdb`, or `postgres host:port/database` (no credential)."""
    return engine if engine == "duckdb" else f"{engine} {server_name()}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def validate(warehouse: Path, out_dir: Path, run_id: str | None = None) -> ValidationReport:
    """Run the suites, keep their results in the warehouse, write data_quality.csv and the Data Docs."""
    run_id = run_id or new_run_id()
    report = validate_warehouse(warehouse, out_dir / "data_docs", run_id)
    with duckdb.connect(str(warehouse)) as con:
        store_results(con, report.results)
        export.export_data_quality(con, out_dir / "data_quality.csv", run_id)
    return report


def new_run_id() -> str:
    """The time and the process; a second run of the same process in the same second gets a suffix."""
    run_id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-{os.getpid()}"
    _issued[run_id] = _issued.get(run_id, 0) + 1
    return run_id if _issued[run_id] == 1 else f"{run_id}.{_issued[run_id]}"


_issued: dict[str, int] = {}


def describe_failure(result) -> str:
    keys = json.loads(result.failing_keys or "[]")
    shown = ", ".join(keys[:10]) + (" …" if len(keys) > 10 else "")
    return (
        f"[{result.suite}.{result.rule}] {result.description_en} "
        f"({result.unexpected_count} rows{': ' + shown if shown else ''})"
    )


def publish(paths: RunPaths, release_name: str) -> None:
    """Publish the built warehouse and the outputs. A warehouse in OUT_DIR goes into the outputs' release and
    both switch in one step; a warehouse elsewhere is replaced first, by its own atomic rename, so that published
    outputs never come from a warehouse older than the one in place."""
    missing = [name for name in PUBLISHED_OUTPUTS if not (paths.staged_outputs / name).exists()]
    if missing:
        raise RunFailed(f"nothing published: the run did not write {', '.join(missing)}")
    if paths.building_warehouse.with_name(WAREHOUSE_FILE_NAME + ".wal").exists():  # moved alone: fold its log in
        with duckdb.connect(str(paths.building_warehouse)) as con:
            con.execute("checkpoint")
    if paths.warehouse_in_out_dir:
        os.replace(paths.building_warehouse, paths.staged_outputs / paths.warehouse.name)
    else:
        publication.replace_file(paths.building_warehouse, paths.warehouse)
    publication.publish_release(paths.out_dir, paths.staged_outputs, release_name)
