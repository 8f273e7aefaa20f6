"""Run `dbt build` on a warehouse file, in a subprocess so that its DuckDB handle is gone when it returns.

dbt reparses the whole project (about 5 s) unless it finds its partial-parse file for the same project, vars and
profile. The profile names the warehouse by a path relative to the folder dbt runs in (always
`warehouse.duckdb`, dbt running in the warehouse's folder), so that every run's profile is the same, and the
partial-parse file is kept between runs under the project's `target/` folder (git-ignored).

Production runs build models and data tests; dbt unit tests check the SQL logic, not the data, and run in the
test suite (`unit_tests=True`), as dbt advises.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fabriques.settings import PROJECT_DIR, REFERENCE_DIR, WAREHOUSE_FILE_NAME

PARTIAL_PARSE_FILE = "partial_parse.msgpack"
PARSE_CACHE = PROJECT_DIR / "target" / PARTIAL_PARSE_FILE


@dataclass
class BuildResult:
    ok: bool
    counts: dict[str, int] = field(default_factory=dict)
    """status -> number of nodes (success, pass, fail, error, warn, skipped)."""
    failures: list[str] = field(default_factory=list)
    output: str = ""


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def dbt_build(warehouse: Path, work_dir: Path, extra_args: list[str] | None = None,
              unit_tests: bool = False) -> BuildResult:
    """Build seeds, models and data tests (and unit tests if asked) into `warehouse`, which must be named
    `warehouse.duckdb`; dbt's target goes under `work_dir`."""
    if warehouse.name != WAREHOUSE_FILE_NAME:
        raise ValueError(f"dbt builds a file named {WAREHOUSE_FILE_NAME}, not {warehouse.name}")
    target = work_dir / "dbt_target"
    _restore_parse_cache(target)
    env = os.environ | {"FABRIQUES_WAREHOUSE": WAREHOUSE_FILE_NAME, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [dbt_executable(), "build", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
               "--target-path", str(target), "--log-level-file", "none",
               "--vars", json.dumps({"reference_dir": str(REFERENCE_DIR)}),
               *([] if unit_tests else ["--exclude-resource-type", "unit_test"]), *(extra_args or [])]
    completed = subprocess.run(command, cwd=warehouse.parent, env=env, capture_output=True, text=True)
    _save_parse_cache(target)
    return read_results(target / "run_results.json", completed.returncode, completed.stdout + completed.stderr)


def _restore_parse_cache(target: Path) -> None:
    if PARSE_CACHE.is_file():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PARSE_CACHE, target / PARTIAL_PARSE_FILE)


def _save_parse_cache(target: Path) -> None:
    """Keep dbt's partial-parse file for the next run (written aside, then renamed: runs may overlap)."""
    parsed = target / PARTIAL_PARSE_FILE
    if not parsed.is_file():
        return
    try:
        PARSE_CACHE.parent.mkdir(parents=True, exist_ok=True)
        staged = PARSE_CACHE.with_name(f".{PARTIAL_PARSE_FILE}.{os.getpid()}")
        shutil.copyfile(parsed, staged)
        os.replace(staged, PARSE_CACHE)
    except OSError:  # a read-only project: every run parses in full, nothing else changes
        pass


def read_results(results_file: Path, returncode: int, output: str) -> BuildResult:
    if not results_file.exists():
        return BuildResult(False, failures=["dbt did not run: see its output below"], output=output)
    results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
    counts: dict[str, int] = {}
    failures = []
    for result in results:
        status = result["status"]
        counts[status] = counts.get(status, 0) + 1
        if status in ("fail", "error"):
            detail = (result.get("message") or "").strip().splitlines()
            failures.append(f"{result['unique_id']}: {status}" + (f" ({detail[0]})" if detail else ""))
    return BuildResult(returncode == 0 and not failures, counts, failures, output)
