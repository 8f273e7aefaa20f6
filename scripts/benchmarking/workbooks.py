"""Workbook readers compared on the same files: openpyxl (read-only, saved values) against the reader the
ingestion uses (python-calamine, `fabriques.ingest.workbooks`), every sheet of every workbook read to its cells."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

from benchmarking.measure import median

WORKBOOK_PATTERN = "*.xlsx"


def read_with_openpyxl(paths: list[Path]) -> int:
    import openpyxl

    rows = 0
    for path in paths:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in workbook.worksheets:
            rows += sum(1 for _ in sheet.iter_rows(values_only=True))
        workbook.close()
    return rows


def read_with_calamine(paths: list[Path]) -> int:
    from fabriques.ingest.workbooks import read_workbook

    return sum(
        len(sheet.records) for path in paths for sheet in read_workbook(path.read_bytes(), path.suffix.lower()).values()
    )


def compare_readers(folder: Path, runs: int) -> dict:
    """Seconds of each reader over every workbook under `folder` (medians of `runs`), and the rows each read.
    A file that is no zip archive (the demo's broken workbooks) is left out: neither reader reads it."""
    paths = sorted(p for p in folder.rglob(WORKBOOK_PATTERN) if zipfile.is_zipfile(p))
    result: dict = {"workbooks": len(paths), "bytes": sum(p.stat().st_size for p in paths)}
    for name, reader in (("openpyxl", read_with_openpyxl), ("calamine", read_with_calamine)):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            rows = reader(paths)
            times.append(time.perf_counter() - started)
        result[name] = {"seconds": times, "rows": rows}
    return result


def readers_table(readers: dict) -> str:
    openpyxl_s, calamine_s = median(readers["openpyxl"]["seconds"]), median(readers["calamine"]["seconds"])
    runs = len(readers["calamine"]["seconds"])
    return "\n".join(
        [
            "| workbooks | MB | openpyxl s | calamine s | openpyxl / calamine | non-empty rows (calamine) | runs |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {readers['workbooks']:,} | {readers['bytes'] / 2**20:.1f} | {openpyxl_s:.2f} | {calamine_s:.2f} | "
            f"{openpyxl_s / calamine_s:.1f}× | {readers['calamine']['rows']:,} | {runs} |",
        ]
    )
