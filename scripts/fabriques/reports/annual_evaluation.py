"""The evaluation part of the annual impact report: the executive summary and its key findings, the table of the
targets with their status, the limitations of the year's data and the evaluator's commentary.

The figures are the warehouse's: the targets, gaps and statuses of marts.rpt_scorecard (the scorecard's own), the
values, numerators and denominators of marts.rpt_annual_report_indicators, the rows read and set aside of
marts.rpt_input_files_by_table. Python chooses which findings to state (the targets missed, the largest changes
from the year before) and words them; it computes no figure it prints.
"""

from __future__ import annotations

import math
from pathlib import Path

from markdown_it import MarkdownIt

from fabriques.reports import formatting
from fabriques.reports.scorecard import status_label

STATUSES = ("met", "on_track", "off_track")
LARGEST_CHANGES = 3
"""How many of the core indicators that changed most since the year before the key findings name."""
DENOMINATOR_DROP = 0.5
"""A ratio whose denominator, or numerator, falls below this share of the year before's is flagged: it then moves
with that term (the State payments of the year, as grants end) more than with what it measures."""


def targets_table(targets: list[dict], lang: str, name_of) -> list[dict]:
    """Every target in force in the year, at national scope, in the catalogue's order."""
    return [
        {
            "code": row["indicator_code"],
            "name": name_of(row["indicator_code"]),
            "unit": row["unit"],
            "value": row["value"],
            "target_comparator": row["target_comparator"],
            "target_value": row["target_value"],
            "expected_value": row["expected_value"],
            "gap": formatting.format_gap(row["gap"], row["unit"], lang) if row["gap"] is not None else "—",
            "status": row["status"],
            "status_text": status_label(row["status"], lang, row["year"]) or "—",
        }
        for row in targets
        if row["is_target_in_force"]
    ]


def status_counts(targets: list[dict]) -> dict[str, int]:
    return {status: sum(1 for row in targets if row["status"] == status) for status in STATUSES}


def misleading_ratios(indicators: dict, codes: list[str], year: int, country: str) -> list[dict]:
    """The ratios of the year whose denominator (else numerator) fell below DENOMINATOR_DROP of the year
    before's: `term` says which, `now` and `before` its values."""
    flagged = []
    for code in codes:
        now = indicators.get((code, year, "national", country)) or {}
        before = indicators.get((code, year - 1, "national", country)) or {}
        for term in ("denominator", "numerator"):
            if now.get(term) is None or not before.get(term) or before[term] <= 0:
                continue
            if now[term] < DENOMINATOR_DROP * before[term]:
                flagged.append({"code": code, "term": term, "now": now[term], "before": before[term]})
                break
    return flagged


def largest_changes(rows: list[dict], years: list[int], skip: set[str]) -> list[dict]:
    """The core indicators that changed most (in proportion) from the year before to the year, largest first.

    `rows` are the core table's (values aligned on `years`); indicators in `skip` (flagged ratios) are left out."""
    if len(years) < 2:
        return []
    changes = []
    for row in rows:
        before, now = row["values"][-2], row["values"][-1]
        if row["code"] in skip or not before or now is None or before <= 0 or now <= 0:
            continue
        changes.append((abs(math.log(now / before)), row, before, now))
    changes.sort(key=lambda change: -change[0])
    return [
        {"code": row["code"], "name": row["name"], "unit": row["unit"], "before": before, "now": now}
        for _size, row, before, now in changes[:LARGEST_CHANGES]
        if _size > 0
    ]


COMMENTARY_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
"""The evaluator's Markdown, raw HTML off: `<script>` stays text. Links are checked by markdown-it (no
`javascript:`)."""


def commentary_html(folder: Path | None, year: int, lang: str) -> str | None:
    """The evaluator's commentary for the year and language (`<folder>/<year>/<lang>.md`) as HTML, its headings
    moved two levels down to sit under the report's section heading; None when there is none."""
    if folder is None:
        return None
    path = Path(folder) / str(year) / f"{lang}.md"
    if not path.is_file():
        return None
    tokens = COMMENTARY_MARKDOWN.parse(path.read_text(encoding="utf-8-sig"))
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
    return COMMENTARY_MARKDOWN.renderer.render(tokens, COMMENTARY_MARKDOWN.options, {})
