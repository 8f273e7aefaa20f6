"""Run a command and measure it: wall time, the time of each progress line it prints, and the peak resident
memory of its whole process tree (the process and every descendant, sampled)."""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.05


@dataclass
class Measured:
    command: list[str]
    seconds: float
    peak_rss_bytes: int
    returncode: int
    stdout: str
    stderr: str
    marks: list[tuple[float, str]] = field(default_factory=list)
    """(seconds since start, line) for every stderr line, in order."""
    samples: list[tuple[float, int]] = field(default_factory=list)
    """(seconds since start, resident bytes of the process tree) at every sample."""

    def check(self) -> Measured:
        if self.returncode != 0:
            raise RuntimeError(
                f"{' '.join(self.command[:3])} … exited with {self.returncode}:\n"
                f"{self.stderr[-3000:]}{self.stdout[-2000:]}"
            )
        return self


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes (0 for those already gone)."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def run_measured(command: list[str], cwd: Path | None = None, env: dict | None = None) -> Measured:
    started = time.perf_counter()
    process = psutil.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1
    )
    out_lines: list[str] = []
    marks: list[tuple[float, str]] = []

    def read_stdout() -> None:
        for line in process.stdout:
            out_lines.append(line)

    def read_stderr() -> None:
        for line in process.stderr:
            marks.append((time.perf_counter() - started, line.rstrip("\n")))

    readers = [threading.Thread(target=read_stdout, daemon=True), threading.Thread(target=read_stderr, daemon=True)]
    for reader in readers:
        reader.start()
    samples: list[tuple[float, int]] = []
    while process.poll() is None:
        samples.append((time.perf_counter() - started, tree_rss(process)))
        time.sleep(SAMPLE_SECONDS)
    for reader in readers:
        reader.join()
    seconds = time.perf_counter() - started
    peak = max((rss for _, rss in samples), default=0)
    return Measured(
        command,
        seconds,
        peak,
        process.returncode,
        "".join(out_lines),
        "\n".join(line for _, line in marks),
        marks,
        samples,
    )


def median(values: list[float]) -> float | None:
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
