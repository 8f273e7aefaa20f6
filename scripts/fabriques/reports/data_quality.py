"""The data-quality page: the index of the run's Data Docs, in each language, readable offline.

Great Expectations' own index draws its list of runs with scripts and styles it loads from the internet; offline
(as in many administrations) it shows nothing, and it calls a suite whose checks only warn "Failed". This page
replaces it (`data_docs/index.html`; GX's is kept as `great_expectations.html`): every check of the run with its
severity as the project defines it (`error` refuses the run, `warning` is a finding published with the data), its
result and a link to its suite's GX page, and the history of every check over the runs the warehouse holds
(validation.results). It uses the reports' own stylesheet and nothing from the network.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from fabriques.i18n import gettext_for, language_name, languages_of
from fabriques.reports.context import Page, ReportContext, index_name
from fabriques.reports.pages import render_page

GX_INDEX = "great_expectations.html"
"""Where Great Expectations' own index is kept."""
HISTORY_RUNS = 10
"""The latest runs the history table shows, one column each."""


def build(ctx: ReportContext) -> list[Page]:
    docs = ctx.data_docs_dir
    if docs is None or not docs.is_dir():
        return []
    if (docs / "index.html").exists() and not (docs / GX_INDEX).exists():
        os.replace(docs / "index.html", docs / GX_INDEX)
    results = ctx.rows(
        "select run_id, validated_at, suite, table_name, rule, severity, success, status, element_count, "
        "unexpected_count, failing_keys, description_en from validation.results order by validated_at, run_id"
    )
    if not results:
        return []
    runs = list(dict.fromkeys(r["run_id"] for r in results))
    current = runs[-1]
    suite_pages = _suite_pages(docs)
    languages = languages_of("annual_report", ctx.report_languages)
    pages = []
    for lang in languages:
        _ = gettext_for(lang)
        file = index_name(ctx.programme, lang)
        relative = Path(os.path.relpath(docs / file, ctx.out_dir)).as_posix()
        page_root = Path(os.path.relpath(ctx.out_dir, docs)).as_posix() + "/"
        title = _("Data-quality checks")
        render_page(
            ctx,
            lang,
            "data_quality.html",
            relative,
            page_root=page_root,
            title=title,
            other_languages=[
                (other, language_name(other), index_name(ctx.programme, other)) for other in languages if other != lang
            ],
            **page_view([r for r in results if r["run_id"] == current], results, runs, suite_pages, lang),
            gx_index=GX_INDEX if (docs / GX_INDEX).exists() else None,
        )
        pages.append(Page(relative, title, lang, "data_quality"))
    return pages


def page_view(checks: list[dict], history: list[dict], runs: list[str], suite_pages: dict[str, str], lang: str) -> dict:
    translate = gettext_for(lang)
    shown_runs = runs[-HISTORY_RUNS:][::-1]
    by_rule: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    by_run: dict[str, list[dict]] = defaultdict(list)
    for row in history:  # one pass over every run's checks, however long the history grows
        by_rule[(row["suite"], row["rule"])][row["run_id"]] = row["status"]
        by_run[row["run_id"]].append(row)
    run_rows = []
    for run in runs[::-1]:
        of_run = by_run[run]
        run_rows.append(
            {
                "run_id": run,
                "validated_at": str(of_run[0]["validated_at"]),
                "checks": len(of_run),
                "passed": sum(r["status"] == "passed" for r in of_run),
                "warnings": sum(r["status"] == "warning" for r in of_run),
                "errors": sum(r["status"] == "error" for r in of_run),
            }
        )
    return {
        "run": run_rows[0],
        "runs": run_rows,
        "checks": [
            dict(
                row,
                description=translate(row["description_en"]) if row["description_en"] else row["rule"],
                suite_page=suite_pages.get(row["suite"]),
            )
            for row in sorted(
                checks, key=lambda r: ({"error": 0, "warning": 1}.get(r["status"], 2), r["suite"], r["rule"])
            )
        ],
        "history_runs": shown_runs,
        "history": [
            {"suite": suite, "rule": rule, "statuses": [statuses.get(run) for run in shown_runs]}
            for (suite, rule), statuses in sorted(by_rule.items())
        ],
    }


def _suite_pages(docs: Path) -> dict[str, str]:
    """suite name -> its validation page in the Data Docs (relative to the Data Docs folder)."""
    pages = {}
    for page in sorted((docs / "validations").rglob("*.html")):
        suite = page.relative_to(docs / "validations").parts[0]
        pages[suite] = page.relative_to(docs).as_posix()
    return pages
