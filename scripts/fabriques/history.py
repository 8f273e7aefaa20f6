"""The audit trail: JSON lines in OUT_DIR/run_history.jsonl, one when a run starts (`running`) and one when it
ends (`published`, `refused` or `failed`). A run killed before it could write its end stays `running` until the
next run on the folder records it `interrupted`."""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from fabriques.settings import IS_INSTALLED, PROJECT_DIR

HISTORY_FILE = "run_history.jsonl"
VERSIONED_PACKAGES = ("fabriques", "dbt-core", "dbt-duckdb", "duckdb", "great-expectations")


@dataclass
class RunRecord:
    run_id: str
    started_at: str
    finished_at: str = ""
    outcome: str = "failed"
    """running, published, refused (validation errors), failed (dbt build or an error), interrupted (killed
    or crashed before it could record its end; recorded by the next run)."""
    message: str = ""
    year: int | None = None
    campaigns: list[str] = field(default_factory=list)
    input_files: dict[str, str] = field(default_factory=dict)
    """campaign/source_file -> sha256."""
    inputs_hash: str = ""
    code_version: str = ""
    versions: dict[str, str] = field(default_factory=dict)
    indicators_sha256: str = ""
    programme: dict = field(default_factory=dict)
    """The programme the run read: its folder, the hash of its files and its settings."""
    engine: str = "duckdb"
    """The engine that built the warehouse, and for a server its `host:port/database` (no credential)."""


def append_record(out_dir: Path, record: RunRecord) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / HISTORY_FILE, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(record), ensure_ascii=False, sort_keys=True) + "\n")


def read_records(out_dir: Path) -> list[RunRecord]:
    """Every run, in the order they started, as its latest line records it."""
    path = out_dir / HISTORY_FILE
    if not path.exists():
        return []
    runs: dict[str, RunRecord] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = RunRecord(**json.loads(line))
                runs[record.run_id] = record
    return list(runs.values())


def record_interrupted(out_dir: Path, finished_at: str, found_by: str) -> list[RunRecord]:
    """Runs still `running` in the history are over (the caller holds the folder's lock): record them
    `interrupted`; return them."""
    interrupted = []
    for record in read_records(out_dir):
        if record.outcome == "running":
            record.outcome, record.finished_at = "interrupted", finished_at
            record.message = f"the run ended before it finished (killed or crashed); found by run {found_by}"
            append_record(out_dir, record)
            interrupted.append(record)
    return interrupted


def inputs_hash(input_files: dict[str, str]) -> str:
    return hashlib.sha256("\n".join(f"{k} {v}" for k, v in sorted(input_files.items())).encode()).hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def code_version() -> str:
    """The git commit of the project (with `+changes` when the tree differs), else (an installed package) the
    package version."""
    if IS_INSTALLED:
        return "fabriques " + package_versions().get("fabriques", "?")
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=10
        )
        if commit.returncode == 0:
            dirty = subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=PROJECT_DIR,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
            return commit.stdout.strip() + ("+changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return "fabriques " + package_versions().get("fabriques", "?")


def package_versions() -> dict[str, str]:
    versions = {}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
