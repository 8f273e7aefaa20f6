#!/usr/bin/env python3
"""Compute the 15 core indicators with the hand-written DuckDB query `indicators_duckdb.sql`.

Usage: indicators_duckdb.py WAREHOUSE OUT.parquet [--threads N] [--memory-limit SIZE]

Reads the raw tables of WAREHOUSE (read-only) and writes OUT (indicator_code, year, scope_type, scope_code,
value); prints the seconds it took, as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
QUERY = HERE / "indicators_duckdb.sql"


def compute(warehouse: Path, out: Path, threads: int | None = None, memory_limit: str | None = None) -> int:
    """Run the query on `warehouse` into the Parquet file `out`; return the number of rows."""
    config = {"threads": threads} if threads else {}
    if memory_limit:
        config["memory_limit"] = memory_limit
    query = QUERY.read_text(encoding="utf-8").strip().rstrip(";")
    with duckdb.connect(str(warehouse), read_only=True, config=config) as con:
        con.execute("set variable reference_dir = ?", [str(ROOT / "data" / "reference")])
        con.execute("set variable seeds_dir = ?", [str(ROOT / "seeds")])
        return con.execute(f"copy ({query}) to '{out}' (format parquet)").fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--memory-limit")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = compute(args.warehouse, args.out.resolve(), args.threads, args.memory_limit)
    print(json.dumps({"seconds": round(time.perf_counter() - started, 3), "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
