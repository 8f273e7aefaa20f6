"""The benchmark's tables, as Markdown (printed, and written beside the results)."""

from __future__ import annotations

from benchmarking.measure import median
from benchmarking.workbooks import readers_table

STAGE_COLUMNS = ("start", "ingest", "dbt build", "validate", "export", "reports")


def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def ratio(ours: float | None, theirs: float | None) -> str:
    return "–" if not ours or not theirs else f"{ours / theirs:.1f}×"


def share(part: float | None, whole: float | None) -> str:
    return "–" if not part or not whole else f"{part / whole:.2f}"


def megabytes(value: float | None) -> str:
    return "–" if value is None else f"{value / 2**20:,.0f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def median_of(runs: list[dict], key: str) -> float | None:
    return median([r["stages"].get(key) if key in STAGE_COLUMNS else r.get(key) for r in runs])


def peak_stage(runs: list[dict]) -> str:
    """The stage of the largest peak (over the runs), e.g. `export`."""
    peaks = [(peak, stage) for run in runs for stage, peak in run.get("stage_peaks", {}).items()]
    return max(peaks)[1] if peaks else "–"


def stage_table(results: list[dict]) -> str:
    rows = []
    for result in results:
        runs = result["full_runs"]
        ingest = median_of(runs, "ingest")
        rows_read = runs[0]["rows_read"]
        rows.append(
            [
                f"SF{result['scale']}",
                f"{result['sites']:,}",
                f"{rows_read:,}",
                *(seconds(median_of(runs, s)) for s in STAGE_COLUMNS),
                f"{rows_read / ingest:,.0f}" if ingest else "–",
                seconds(median_of(runs, "seconds")),
                megabytes(median_of(runs, "peak_rss_bytes")),
                peak_stage(runs),
                str(len(runs)),
            ]
        )
    return table(
        [
            "scale",
            "sites",
            "rows read",
            "start s",
            "ingest s",
            "dbt build s",
            "validate s",
            "export s",
            "reports s",
            "ingest rows/s",
            "whole run s",
            "peak RSS MB",
            "peak in",
            "runs",
        ],
        rows,
    )


def transformation_table(results: list[dict]) -> str:
    rows = []
    for result in results:
        dbt = median_of(result["full_runs"], "dbt build")
        models = median(result.get("indicator_models", []))
        a = median(result["baselines"]["duckdb"]["seconds"])
        b = median(result["baselines"]["pandas"]["seconds"])
        rows.append(
            [
                f"SF{result['scale']}",
                seconds(dbt),
                seconds(models),
                f"{a:.2f}",
                f"{b:.2f}",
                ratio(dbt, a),
                ratio(dbt, b),
                ratio(models, a),
                ratio(models, b),
                megabytes(max(result["baselines"]["duckdb"]["peak_rss_bytes"])),
                megabytes(max(result["baselines"]["pandas"]["peak_rss_bytes"])),
                "yes" if result["agreement"]["duckdb"]["ok"] and result["agreement"]["pandas"]["ok"] else "NO",
            ]
        )
    return table(
        [
            "scale",
            "dbt build s (ours)",
            "dbt, models of indicators s",
            "(a) DuckDB SQL s",
            "(b) pandas s",
            "build/(a)",
            "build/(b)",
            "models/(a)",
            "models/(b)",
            "(a) RSS MB",
            "(b) RSS MB",
            "values agree",
        ],
        rows,
    )


def incremental_table(results: list[dict]) -> str:
    rows = []
    for result in results:
        inc = result.get("incremental")
        if not inc:
            continue
        full, add = result["full_runs"], inc["add_runs"]
        full_build = median([r["stages"]["ingest"] + r["stages"]["dbt build"] for r in full])
        add_build = median([r["stages"]["ingest"] + r["stages"]["dbt build"] for r in add])
        rows.append(
            [
                f"SF{result['scale']}",
                seconds(median_of(full, "dbt build")),
                seconds(median_of(add, "dbt build")),
                share(median_of(add, "dbt build"), median_of(full, "dbt build")),
                seconds(full_build),
                seconds(add_build),
                share(add_build, full_build),
                seconds(median_of(full, "seconds")),
                seconds(median_of(add, "seconds")),
                share(median_of(add, "seconds"), median_of(full, "seconds")),
                "yes" if not inc["marts_differences"] else f"NO {inc['marts_differences']}",
                str(len(add)),
            ]
        )
    return table(
        [
            "scale",
            "full dbt s",
            "add-year dbt s",
            "dbt ratio",
            "full ingest+dbt s",
            "add-year ingest+dbt s",
            "build ratio",
            "full run s",
            "add-year run s",
            "run ratio",
            "marts equal",
            "runs",
        ],
        rows,
    )


def report(results: list[dict], machine: dict, readers: dict | None = None) -> str:
    parts = [
        f"Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory_gb']:.0f} GB; load average "
        f"{machine['load_before']} before, {machine['load_after']} after. Medians of the runs.",
        "",
        "Stages of `fabriques run` (all campaigns into a new warehouse):",
        "",
        stage_table(results),
        "",
        "Transformation (raw tables to indicators) against the baselines:",
        "",
        transformation_table(results),
    ]
    incremental = incremental_table(results)
    if incremental.count("\n") > 1:
        parts += [
            "",
            "Adding the last year to a warehouse holding the earlier ones, against a full rebuild:",
            "",
            incremental,
        ]
    if readers:
        parts += [
            "",
            "Workbook readers on the demo's workbooks (SF1 as `make run` generates it):",
            "",
            readers_table(readers),
        ]
    for result in results:
        for name, agreement in result["agreement"].items():
            parts.append(f"\nSF{result['scale']} {name}: {agreement['summary']}")
    return "\n".join(parts)
