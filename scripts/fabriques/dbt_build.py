"""Run `dbt build` on a warehouse file, in a subprocess so that its DuckDB handle is gone when it returns.

dbt reparses the whole project (about 5 s) unless it finds its partial-parse file for the same project, vars and
profile. The profile names the warehouse by a path relative to the folder dbt runs in (always
`warehouse.duckdb`, dbt running in the warehouse's folder), so that every run's profile is the same, and the
partial-parse file is kept between runs under the project's `target/` folder (git-ignored).

Production runs build models and data tests; dbt unit tests check the SQL logic, not the data, and run in the
test suite (`unit_tests=True`), as dbt advises.

The site-report staging models are incremental (rebuilt year by year). They are only valid for the project
code that built them, so the warehouse records the version of the dbt project (a hash of its models, macros,
seeds and settings, and of the dbt and DuckDB versions) after each successful build, and a build for another
version, or after a failed one, is a full refresh.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from fabriques.programme import current as current_programme
from fabriques.programme import store as store_programme
from fabriques.reference_tables import store_reference
from fabriques.settings import IS_INSTALLED, PROJECT_DIR, WAREHOUSE_FILE_NAME

PARTIAL_PARSE_FILE = "partial_parse.msgpack"
PARSE_CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "fabriques"
    / hashlib.sha256(str(PROJECT_DIR).encode()).hexdigest()[:16]
    / PARTIAL_PARSE_FILE
    if IS_INSTALLED
    else PROJECT_DIR / "target" / PARTIAL_PARSE_FILE
)
"""dbt's partial-parse file, kept between runs: in the repository's target/, or for an installed package (whose
files may be read-only) in the user's cache, one per installed copy: the file names the project's files by their
paths, so that a copy installed elsewhere must not read another's."""
PROJECT_SOURCES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds")
"""What a warehouse built by dbt depends on in the repository (the reference data is read afresh each build)."""
VERSION_TABLE = "dbt_state.project_version"
PARTIAL_SELECTION = {"--select", "-s", "--models", "-m", "--exclude", "--selector"}
"""Arguments of a build of only some models: the warehouse is then not recorded as built by this version."""


@dataclass
class BuildResult:
    ok: bool
    counts: dict[str, int] = field(default_factory=dict)
    """status -> number of nodes (success, pass, fail, error, warn, skipped)."""
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Data tests configured to warn that found rows: `name: N rows`."""
    output: str = ""
    full_refresh: bool = False
    """Every model was rebuilt from scratch (no build of this project version in the warehouse before)."""


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def dbt_build(
    warehouse: Path, work_dir: Path, extra_args: list[str] | None = None, unit_tests: bool = False
) -> BuildResult:
    """Build seeds, models and data tests (and unit tests if asked) into `warehouse`, which must be named
    `warehouse.duckdb`, for the programme in force (fabriques.programme.current(), stored first in the
    warehouse's `programme` schema); dbt's target goes under `work_dir`."""
    if warehouse.name != WAREHOUSE_FILE_NAME:
        raise ValueError(f"dbt builds a file named {WAREHOUSE_FILE_NAME}, not {warehouse.name}")
    programme = current_programme()
    with duckdb.connect(str(warehouse)) as con:
        store_programme(con, programme)
        store_reference(con)
    version = build_version(programme.sha256)
    full_refresh = built_version(warehouse) != version
    env = {"FABRIQUES_WAREHOUSE": WAREHOUSE_FILE_NAME}
    arguments = [*(["--full-refresh"] if full_refresh else []), *(extra_args or [])]
    result = invoke_dbt(work_dir, warehouse.parent, env, arguments, unit_tests)
    result.full_refresh = full_refresh
    if result.ok and not set(extra_args or []) & PARTIAL_SELECTION:
        record_version(warehouse, version)
    return result


def invoke_dbt(
    work_dir: Path, cwd: Path, env: dict[str, str], arguments: list[str], unit_tests: bool = False
) -> BuildResult:
    """`dbt build` of the project, from `cwd`, with `env` added to the environment; dbt's target and logs go under
    `work_dir`, and its partial-parse file is kept for the next build."""
    target = work_dir / "dbt_target"
    _restore_parse_cache(target)
    command = [
        dbt_executable(),
        "build",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(work_dir / "dbt_logs"),
        "--log-level-file",
        "none",
        *([] if unit_tests else ["--exclude-resource-type", "unit_test"]),
        *arguments,
    ]
    environment = os.environ | {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"} | env
    completed = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True)
    _save_parse_cache(target)
    return read_results(target / "run_results.json", completed.returncode, completed.stdout + completed.stderr)


def build_version(programme_sha256: str | None = None) -> str:
    """What a build depends on: the dbt project (project_version) and the programme folder (its hash; the
    programme in force when None)."""
    programme_sha256 = programme_sha256 or current_programme().sha256
    return hashlib.sha256(f"{project_version()} {programme_sha256}".encode()).hexdigest()


def project_version() -> str:
    """Hash of the dbt project's sources and of the dbt and DuckDB versions that build it."""
    digest = hashlib.sha256()
    for name in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{name}=={importlib.metadata.version(name)}\n".encode())
    for source in PROJECT_SOURCES:
        root = PROJECT_DIR / source
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file():
                digest.update(path.relative_to(PROJECT_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def built_version(warehouse: Path) -> str | None:
    """The project version recorded by the last successful build of `warehouse` (None: never, or failed)."""
    if not warehouse.exists():
        return None
    schema, table = VERSION_TABLE.split(".")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if not con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
        ).fetchone()[0]:
            return None
        row = con.execute(f"select max(version) from {VERSION_TABLE}").fetchone()
        return row[0] if row else None


def record_version(warehouse: Path, version: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"create schema if not exists {VERSION_TABLE.split('.')[0]}")
        con.execute(f"create or replace table {VERSION_TABLE} as select ? as version", [version])


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
    failures, warnings = [], []
    for result in results:
        status = result["status"]
        counts[status] = counts.get(status, 0) + 1
        if status in ("fail", "error"):
            detail = (result.get("message") or "").strip().splitlines()
            failures.append(f"{result['unique_id']}: {status}" + (f" ({detail[0]})" if detail else ""))
        elif status == "warn":
            warnings.append(f"{result['unique_id'].split('.')[2]}: {result.get('failures') or 0} rows")
    return BuildResult(returncode == 0 and not failures, counts, failures, warnings, output)
