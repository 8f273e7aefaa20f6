"""Run `dbt build` on a warehouse file, in a subprocess so that its DuckDB handle is gone when it returns."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fabriques.settings import PROJECT_DIR, REFERENCE_DIR


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


def dbt_build(warehouse: Path, work_dir: Path, extra_args: list[str] | None = None) -> BuildResult:
    """Build seeds, models and tests into `warehouse`; dbt's target and logs go under `work_dir`."""
    target = work_dir / "dbt_target"
    env = os.environ | {"FABRIQUES_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [dbt_executable(), "build", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
               "--target-path", str(target), "--log-path", str(work_dir / "dbt_logs"),
               "--vars", json.dumps({"reference_dir": str(REFERENCE_DIR)}), *(extra_args or [])]
    completed = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    return read_results(target / "run_results.json", completed.returncode, completed.stdout + completed.stderr)


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
