"""`fabriques check` timed as a site and an evaluator run it: the whole command (a new process, imports included)
on one site's workbook, and on the largest campaign folder, each with its campaign's registry, grants and
payments."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from benchmarking.measure import median


def time_check(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "fabriques.cli", "check", *args], capture_output=True)
        times.append(time.perf_counter() - started)
        if result.returncode == 2:
            raise RuntimeError(f"fabriques check {' '.join(args)}: {result.stderr.decode()}")
    return times


def time_checks(campaigns: list[Path], runs: int) -> dict:
    """The check of the latest campaign's largest site workbook, and of the campaign with the most bytes."""
    sizes = {campaign: sum(p.stat().st_size for p in campaign.rglob("*") if p.is_file()) for campaign in campaigns}
    largest = max(campaigns, key=sizes.__getitem__)
    workbooks = sorted(campaigns[-1].glob("reports/*.xlsx"), key=lambda p: (p.stat().st_size, p.name))
    result: dict = {"campaign": largest.name, "campaign_bytes": sizes[largest]}
    result["campaign_seconds"] = time_check([str(largest)], runs)
    if workbooks:
        result["workbook"] = workbooks[-1].name
        result["workbook_seconds"] = time_check([str(workbooks[-1]), "--campaign", str(campaigns[-1])], runs)
    return result


def checks_table(checks: dict) -> str:
    lines = ["| what is checked | median s | runs |", "|---|---:|---:|"]
    if "workbook" in checks:
        lines.append(
            f"| one site workbook ({checks['workbook']}), with its campaign's registry | "
            f"{median(checks['workbook_seconds']):.2f} | {len(checks['workbook_seconds'])} |"
        )
    lines.append(
        f"| the largest campaign ({checks['campaign']}, {checks['campaign_bytes'] / 2**20:.1f} MB) | "
        f"{median(checks['campaign_seconds']):.2f} | {len(checks['campaign_seconds'])} |"
    )
    return "\n".join(lines)
