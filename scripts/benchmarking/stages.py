"""The product's run as the benchmark times it: `fabriques run` in a subprocess, its stages cut at the progress
lines it prints (`· ingest …`, `· dbt build`, `· validate`, `· export`, `· reports`)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from benchmarking.measure import Measured, run_measured

STAGES = ("start", "ingest", "dbt build", "validate", "export", "reports")
"""`start`: interpreter, imports, lock and copy of the existing warehouse, up to the first campaign."""
ROWS_READ = re.compile(r"\(year \d+\): \d+ files, (\d+) rows read")


@dataclass
class StageTimes:
    seconds: float
    peak_rss_bytes: int
    rows_read: int
    stages: dict[str, float] = field(default_factory=dict)
    stage_peaks: dict[str, int] = field(default_factory=dict)
    """Stage -> peak resident bytes of the process tree during it."""

    @property
    def rows_per_second(self) -> float | None:
        ingest = self.stages.get("ingest")
        return self.rows_read / ingest if ingest else None


def fabriques_command() -> list[str]:
    executable = Path(sys.executable).with_name("fabriques")
    return [str(executable)] if executable.exists() else [sys.executable, "-m", "fabriques.cli"]


def stage_of(line: str) -> str | None:
    if not line.startswith("· "):
        return None
    message = line[2:]
    return next((s for s in STAGES[1:] if message == s or message.startswith(s + " ")), None)


def stage_windows(measured: Measured) -> list[tuple[str, float, float]]:
    """(stage, start, end): from the stage's first progress line to the next stage's (the last to the end)."""
    starts: list[tuple[str, float]] = [("start", 0.0)]
    for at, line in measured.marks:
        stage = stage_of(line)
        if stage and stage != starts[-1][0]:
            starts.append((stage, at))
    ends = [at for _, at in starts[1:]] + [measured.seconds]
    return [(stage, begin, end) for (stage, begin), end in zip(starts, ends, strict=False)]


def stage_times(measured: Measured) -> dict[str, float]:
    return {stage: end - begin for stage, begin, end in stage_windows(measured)}


def stage_peaks(measured: Measured) -> dict[str, int]:
    return {
        stage: max((rss for at, rss in measured.samples if begin <= at <= end), default=0)
        for stage, begin, end in stage_windows(measured)
    }


def product_run(campaigns: list[Path], year: int, out_dir: Path, warehouse: Path | None = None) -> StageTimes:
    """`fabriques run CAMPAIGNS --year YEAR --out OUT_DIR [--warehouse FILE]`, measured."""
    command = [*fabriques_command(), "run", *map(str, campaigns), "--year", str(year), "--out", str(out_dir)]
    if warehouse is not None:
        command += ["--warehouse", str(warehouse)]
    measured = run_measured(command).check()
    rows = sum(int(m.group(1)) for m in ROWS_READ.finditer(measured.stdout))
    return StageTimes(measured.seconds, measured.peak_rss_bytes, rows, stage_times(measured), stage_peaks(measured))
