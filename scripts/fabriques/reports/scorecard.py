"""The ministry scorecard: the success indicators against their targets, per year, in each language.

Everything shown comes from marts.rpt_scorecard (the value, the year before's, the change, the target, the trajectory,
the gap and the status) and marts.dim_indicator (the definitions). One page per year of the warehouse
(`scorecard/<year>/scorecard.<lang>.html`), the reporting year's also printed to PDF, and the scorecard of every
year as a workbook and a CSV for spreadsheets (`scorecard_export`).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from fabriques.export import format_number
from fabriques.i18n import N_, gettext_for, languages_of
from fabriques.reports import formatting
from fabriques.reports.context import Page, ReportContext
from fabriques.reports.pages import other_versions, render_page
from fabriques.reports.scorecard_export import write_csv, write_xlsx

SCOPE_ORDER = {"national": 0, "territory_target": 1, "degurba": 2, "region": 3}
BREAKDOWN_SCOPES = ("territory_target", "degurba")
"""The scopes of the breakdown table, in this order: one column per code of their code lists."""
EMPTY_REASONS = {
    "zero_denominator": N_("Not computed: the ratio's denominator is zero in this scope"),
    "no_site_reports": N_("No site reports were received for the year"),
}
NO_TARGET = N_("No target for this scope")
COMPARATORS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
NEGATED = {">=": "<", ">": "≤", "<=": ">", "<": "≥", "=": "≠"}
"""The comparator a value missing its target stands in (`78.5 % < 100 %`)."""


def build(ctx: ReportContext) -> list[Page]:
    rows_by_year: dict[int, list[dict]] = defaultdict(list)
    for row in ctx.rows("select * from marts.rpt_scorecard order by year, sort_order, scope_type, scope_code"):
        rows_by_year[row["year"]].append(row)
    start_year = ctx.value(
        "select cast(value as integer) from programme.parameters where parameter = 'programme_start_year'"
    )
    breakdown_codes = [
        (row["domain"], row["code"], row["short_label"])
        for row in ctx.rows(
            "select domain, code, coalesce(short_label, label) as short_label from staging.stg_programme__code_lists "
            f"where domain in ({', '.join(repr(s) for s in BREAKDOWN_SCOPES)}) "
            "order by case domain when 'territory_target' then 0 else 1 end, sort_order"
        )
    ]
    catalogue = ctx.rows(
        "select indicator_code, name, definition, unit, target_comparator, target_value, target_from_year, "
        "target_source from marts.dim_indicator order by sort_order"
    )
    years = [year for year in ctx.years if year in rows_by_year]
    pages = []
    for year in sorted(years, reverse=True):
        folder = f"scorecard/{year}"
        for lang in languages_of("scorecard", ctx.report_languages):
            _ = gettext_for(lang)
            rows = sorted(rows_by_year[year], key=_row_order)
            stem = f"{folder}/scorecard.{lang}"
            title = _("Ministry scorecard %(year)s") % {"year": year}
            exported = export_rows(rows, lang)
            shown = {row["indicator_code"] for row in rows}
            definitions = definition_rows([i for i in catalogue if i["indicator_code"] in shown], lang)
            write_xlsx(
                ctx.out_dir / f"{stem}.xlsx", exported, lang, definitions, title=title, subject=ctx.programme_name(lang)
            )
            write_csv(ctx.out_dir / f"{stem}.csv", exported, lang)
            render_page(
                ctx,
                lang,
                "scorecard.html",
                f"{stem}.html",
                title=title,
                year=year,
                start_year=start_year,
                country_name=ctx.programme["country_name"],
                other_versions=other_versions(
                    lang, languages_of("scorecard", ctx.report_languages), lambda other: f"scorecard.{other}.html"
                ),
                years=sorted(years),
                **page_view(rows, lang, breakdown_codes),
                downloads=[("XLSX", f"scorecard.{lang}.xlsx"), ("CSV", f"scorecard.{lang}.csv")],
            )
            pages.append(
                Page(
                    f"{stem}.html",
                    title,
                    lang,
                    "scorecard",
                    pdf=f"{stem}.pdf" if year == ctx.year else None,
                    downloads=(("XLSX", f"{stem}.xlsx"), ("CSV", f"{stem}.csv")),
                )
            )
    return pages


def page_view(rows: list[dict], lang: str, breakdown_codes: list[tuple[str, str, str]]) -> dict:
    """What the template shows: the indicators at national scope with the year before and the change, their values
    by territorial target and DEGURBA class (`breakdown_codes`: scope type, code and short label, in the code
    lists' order) and the success indicators by region; a value of a scope with a target of its own carries its
    status."""
    by_indicator: dict[str, dict] = {}
    regions: dict[str, dict] = {}
    for row in rows:
        code = row["indicator_code"]
        entry = by_indicator.setdefault(
            code,
            {
                "code": code,
                "name": _name(row, lang),
                "unit": row["unit"],
                "is_success": row["is_success_indicator"],
                "national": None,
                "breakdowns": {},
            },
        )
        scoped = dict(row, rule=status_rule(row, lang), status_label=status_label(row["status"], lang, row["year"]))
        if row["scope_type"] == "national":
            entry["national"] = dict(
                scoped,
                gap_text=formatting.format_gap(row["gap"], row["unit"], lang),
                change_text=formatting.format_gap(row["change"], row["unit"], lang),
                raw_value=_raw(row["value"]),
            )
        elif row["scope_type"] in BREAKDOWN_SCOPES:
            entry["breakdowns"][(row["scope_type"], row["scope_code"])] = scoped
        elif row["scope_type"] == "region" and row["is_success_indicator"]:
            region = regions.setdefault(
                row["scope_code"], {"code": row["scope_code"], "name": _scope_name(row, lang), "values": {}}
            )
            region["values"][code] = scoped
    indicators = [i for i in by_indicator.values() if i["national"] is not None]
    success = [i for i in indicators if i["is_success"]]
    _ = gettext_for(lang)
    breakdown_names = {
        (row["scope_type"], row["scope_code"]): _scope_name(row, lang)
        for row in rows
        if row["scope_type"] in BREAKDOWN_SCOPES
    }
    return {
        "has_site_reports": not any(row["empty_reason"] == "no_site_reports" for row in rows),
        "success_indicators": success,
        "other_indicators": [i for i in indicators if not i["is_success"]],
        "breakdown_columns": [
            {"scope_type": scope, "code": code, "name": breakdown_names.get((scope, code), code), "short": _(short)}
            for scope, code, short in breakdown_codes
        ],
        "breakdown_groups": [
            (scope, sum(1 for s, _c, _l in breakdown_codes if s == scope))
            for scope in BREAKDOWN_SCOPES
            if any(s == scope for s, _c, _l in breakdown_codes)
        ],
        "regions": sorted(regions.values(), key=lambda r: sort_key(r["name"])),
        "show_expected": any(
            i["national"]["expected_value"] is not None and not i["national"]["is_target_in_force"] for i in success
        ),
        "status_counts": {
            status: sum(1 for i in success if i["national"]["status"] == status)
            for status in ("met", "on_track", "off_track", "no_reports")
        },
    }


def status_label(status: str | None, lang: str, year: int | None = None) -> str:
    _ = gettext_for(lang)
    return {
        "met": _("Met"),
        "on_track": _("On track"),
        "off_track": _("Off track"),
        "no_reports": _("No reports received for %(year)s") % {"year": year},
    }.get(status, "")


def status_rule(row: dict, lang: str) -> str:
    """The comparison that gives the row its status, in figures: `381 ≥ 300`, `78.5 % < 100 %`, or `188 ≥ 150
    due by the end of 2020 (300 by 2021)` on the trajectory; why there is none otherwise."""
    _ = gettext_for(lang)
    if row.get("target_value") is None:
        return _(NO_TARGET)
    if row.get("value") is None:
        return _(EMPTY_REASONS.get(row.get("empty_reason"), NO_TARGET))
    unit, comparator, status = row.get("unit") or "", row.get("target_comparator"), row.get("status")
    value = formatting.format_value(row["value"], unit, lang)
    target = formatting.format_value(row["target_value"], unit, lang)
    if status == "met":
        return f"{value} {COMPARATORS.get(comparator, comparator)} {target}"
    if row.get("is_target_in_force") or row.get("expected_value") is None:
        return f"{value} {NEGATED.get(comparator, comparator)} {target}"
    sign = "≥" if status == "on_track" else "<"
    return _("%(value)s %(sign)s %(expected)s due by the end of %(year)s (%(target)s by %(target_year)s)") % {
        "value": value,
        "sign": sign,
        "expected": formatting.format_value(row["expected_value"], unit, lang),
        "year": row["year"],
        "target": target,
        "target_year": row["target_from_year"],
    }


def export_rows(rows: list[dict], lang: str) -> list[dict]:
    _ = gettext_for(lang)
    return [
        dict(
            row,
            indicator_name=_name(row, lang),
            scope_name=_scope_name(row, lang),
            empty_reason_text=gettext_for(lang)(EMPTY_REASONS[row["empty_reason"]])
            if row.get("empty_reason") in EMPTY_REASONS
            else None,
            status_label=status_label(row["status"], lang, row["year"]),
            status_rule=status_rule(row, lang),
        )
        for row in rows
    ]


def definition_rows(catalogue: list[dict], lang: str) -> list[dict]:
    """The definitions sheet: each indicator's name, definition, unit and national target with its source."""
    _ = translate = gettext_for(lang)
    return [
        {
            "indicator_code": i["indicator_code"],
            "name": translate(i["name"]),
            "definition": translate(i["definition"]) if i["definition"] else "",
            "unit": i["unit"],
            "target": (
                f"{COMPARATORS.get(i['target_comparator'], i['target_comparator'])} "
                f"{formatting.format_value(i['target_value'], i['unit'], lang)} "
                + _("from %(year)s")
                % {"year": i["target_from_year"]}
                if i["target_value"] is not None
                else _(NO_TARGET)
            ),
            "target_source": translate(i["target_source"]) if i["target_source"] else "",
        }
        for i in catalogue
    ]


def _row_order(row: dict) -> tuple:
    by_name = row["scope_type"] == "region"
    return (
        row["sort_order"],
        SCOPE_ORDER.get(row["scope_type"], 9),
        sort_key(row["scope_name"]) if by_name else "",
        row["scope_code"],
    )


def sort_key(text: str | None) -> str:
    """Alphabetical order regardless of accents and case (`Île-de-France` among the I)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _name(row: dict, lang: str) -> str:
    return gettext_for(lang)(row["name"])


def _scope_name(row: dict, lang: str) -> str:
    return gettext_for(lang)(row["scope_name"]) if row["scope_name"] else row["scope_code"]


def _raw(value: float | None) -> str:
    return "" if value is None else format_number(value)
