"""The annual impact report: one page per year of the warehouse and per language (`annual/<year>/report.<lang>.html`),
the reporting year's also printed to PDF.

Every figure is read from the warehouse: the indicators from marts.rpt_annual_report_indicators (those of
indicators.csv), the figures by activity type, beneficiary category, programme year, band of State grant and
co-funding line from marts.rpt_annual_report_breakdowns, the data-quality annex from marts.rpt_quarantine_by_reason,
marts.rpt_input_files_by_table and validation.results (latest run), the definitions from marts.dim_indicator. Which
indicator each sentence, table and chart shows is read from marts.rpt_annual_report_figures (seed
annual_report_figures): the code names places (`funding`/`committed`), never indicator codes. Python formats and
lays out; it adds up nothing.

Charts: one PNG per chart, year and language (`annual/<year>/<chart>.<lang>.png`, fabriques.reports.annual_charts),
every text of the image in the page's language; the page gives beside each chart its caption, alt text and the
table of its data.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from markupsafe import Markup

from fabriques.i18n import gettext_for, languages_of
from fabriques.reports import annual_evaluation, formatting
from fabriques.reports.annual_charts import draw_charts
from fabriques.reports.annual_data import (
    ACTIVITY_ROLES,
    COVERAGE_ROLES,
    FUNDING_ROLES,
    JOBS_ROLES,
    UNIT_NAMES,
    WarehouseData,
    as_float,
    breakdown_label,
    indicator_name,
    load,
    programme_year_label,
    region_rows,
)
from fabriques.reports.charts import Chart
from fabriques.reports.context import Page, ReportContext
from fabriques.reports.pages import other_versions, render_page


def build(ctx: ReportContext) -> list[Page]:
    if not ctx.years:
        return []
    data = load(ctx)
    years = sorted(ctx.years, reverse=True)
    langs = languages_of("annual_report", ctx.report_languages)
    draw = partial(draw_charts, ctx.out_dir, data, langs=list(langs))
    images_by_year = dict(zip(years, ctx.workers.map(draw, years), strict=False))
    pages = []
    for year in years:
        folder = f"annual/{year}"
        for lang in langs:
            images = images_by_year[year][lang]
            _ = gettext_for(lang)
            title = _("Annual impact report %(year)s") % {"year": year}
            path = f"{folder}/report.{lang}.html"
            render_page(
                ctx,
                lang,
                "annual_report.html",
                path,
                title=title,
                year=year,
                other_versions=other_versions(
                    lang, languages_of("annual_report", ctx.report_languages), lambda other: f"report.{other}.html"
                ),
                years=sorted(ctx.years),
                **page_view(data, year, lang, images, ctx.commentary_dir),
            )
            pages.append(
                Page(
                    path, title, lang, "annual_report", pdf=f"{folder}/report.{lang}.pdf" if year == ctx.year else None
                )
            )
    return pages


def page_view(
    data: WarehouseData, year: int, lang: str, images: dict[str, str], commentary_dir: Path | None = None
) -> dict:
    """Everything the template shows for one year and language."""
    years = [y for y in data.years if y <= year]
    core_rows = core_table(data, years, lang)
    evaluation = evaluation_section(data, year, years, lang, core_rows, commentary_dir)
    flagged = {row["code"] for row in evaluation["flagged"]}
    for row in core_rows:
        row["flagged"] = row["code"] in flagged
    return {
        "country": gettext_for(lang)(data.parameters["country_name"]),
        "has_site_reports": year in data.years_with_reports,
        "key_figures": key_figures(data, year, years, lang),
        "core_table": core_rows,
        "evaluation": evaluation,
        "trend_years": years,
        "coverage": coverage_section(data, year, lang, images),
        "funding": funding_section(data, year, years, lang, images),
        "activity": activity_section(data, year, lang, images),
        "economy": economy_section(data, year, lang, images),
        "jobs": jobs_section(data, years, lang),
        "quality": quality_section(data, year, lang),
        "methods": methods_section(data, lang),
        "envelope": as_float(data.parameters.get("state_envelope_eur")),
        "grant_min": as_float(data.parameters.get("grant_min_eur")),
        "grant_max": as_float(data.parameters.get("grant_max_eur")),
    }


def key_figures(data: WarehouseData, year: int, years: list[int], lang: str) -> list[dict]:
    figures = []
    for code in data.codes("key_figures", "figure"):
        row = data.indicator(code, year)
        if row is None:
            continue
        series = [(y, data.value(code, y)) for y in years]
        top = max((v for _y, v in series if v is not None), default=0) or 0
        figures.append(
            {
                "code": code,
                "name": indicator_name(data, code, lang),
                "unit": row["unit"],
                "value": row["value"],
                "target_comparator": row["target_comparator"],
                "target_value": row["target_value"],
                "trend": [
                    {
                        "year": y,
                        "value": v,
                        "text": formatting.format_value(v, row["unit"], lang),
                        "height": 0 if not v or not top else max(2, round(100 * v / top)),
                    }
                    for y, v in series
                ],
            }
        )
    return figures


def core_table(data: WarehouseData, years: list[int], lang: str) -> list[dict]:
    """The core indicators at national scope, one row each, with their values over the years."""
    rows = []
    for indicator in data.catalogue:
        if not indicator["is_core"]:
            continue
        code = indicator["indicator_code"]
        latest = data.indicator(code, years[-1]) or {}
        rows.append(
            {
                "code": code,
                "name": _localised(indicator, "name", lang),
                "unit": indicator["unit"],
                "values": [data.value(code, y) for y in years],
                "target_comparator": latest.get("target_comparator"),
                "target_value": latest.get("target_value"),
            }
        )
    return rows


def evaluation_section(
    data: WarehouseData, year: int, years: list[int], lang: str, core_rows: list[dict], commentary_dir: Path | None
) -> dict:
    """The executive summary's figures and findings, the targets table, the limitations and the commentary."""

    def name_of(code: str) -> str:
        return indicator_name(data, code, lang)

    targets = annual_evaluation.targets_table(data.targets.get(year, []), lang, name_of)
    core_codes = [row["code"] for row in core_rows]
    flagged = annual_evaluation.misleading_ratios(data.indicators, core_codes, year, data.country)
    commentary = annual_evaluation.commentary_html(commentary_dir, year, lang)
    reporting = data.code("limitations", "reporting")
    return {
        "targets": targets,
        "counts": annual_evaluation.status_counts(targets),
        "missed": [row for row in targets if row["status"] == "off_track"],
        "changes": annual_evaluation.largest_changes(core_rows, years, {row["code"] for row in flagged}),
        "flagged": [dict(row, name=name_of(row["code"])) for row in flagged],
        "inputs": data.input_totals.get(year),
        "reporting": {"code": reporting, "name": name_of(reporting), "row": data.indicator(reporting, year)},
        "self_declared": [
            (_localised(indicator, "name", lang), indicator["indicator_code"])
            for indicator in data.catalogue
            if indicator["is_core"] and indicator["from_site_reports"]
        ],
        "commentary": Markup(commentary) if commentary is not None else None,
        "commentary_given": commentary_dir is not None,
    }


def coverage_section(data: WarehouseData, year: int, lang: str, images: dict[str, str]) -> dict:
    _ = gettext_for(lang)
    sites = data.code("coverage", "sites")
    figures = {
        role: {"code": code, "name": indicator_name(data, code, lang), "row": data.indicator(code, year)}
        for role, code in ((role, data.code("coverage", role)) for role in COVERAGE_ROLES)
    }
    targets = [figure for figure in figures.values() if figure["row"]]
    regions = region_rows(data, year)
    region_codes = data.codes("regions", "column")
    territory_codes = data.codes("territory_target", "column")
    degurba_codes = data.codes("degurba", "column")
    territory = [
        {
            "code": code,
            "label": _localised_text(data.scope_name(sites, year, "territory_target", code), lang),
            "values": [(c, data.value(c, year, "territory_target", code)) for c in territory_codes],
        }
        for code in data.scope_codes(sites, year, "territory_target")
    ]
    degurba = [
        {
            "code": code,
            "label": _localised_text(data.scope_name(sites, year, "degurba", code), lang),
            "values": [(c, data.value(c, year, "degurba", code)) for c in degurba_codes],
        }
        for code in data.scope_codes(sites, year, "degurba")
    ]
    target_word = _("target")
    coverage_chart = Chart(
        file=images["coverage"],
        title=_("Labelled sites against their targets, end of %(year)s") % {"year": year},
        alt=_(
            "Horizontal bar chart of the sites labelled by the end of %(year)s: %(items)s. A mark shows each "
            "target. The table beside the chart gives the figures."
        )
        % {
            "year": year,
            "items": "; ".join(
                f"{t['name']} {formatting.format_value(t['row']['value'], 'sites', lang)}"
                + (
                    f" ({target_word} {formatting.format_value(t['row']['target_value'], 'sites', lang)})"
                    if t["row"]["target_value"] is not None
                    else ""
                )
                for t in targets
            ),
        },
        columns=[_("Indicator"), _("Sites"), _("Target")],
        rows=[
            [
                (t["name"], t["code"]),
                formatting.format_value(t["row"]["value"], "sites", lang),
                _target_text(t["row"], "sites", lang),
            ]
            for t in targets
        ],
        indicator_codes=tuple(t["code"] for t in targets),
    )
    top = regions[0] if regions else None
    tile_map_alt = (
        _(
            "Tile map of France: one square per region, placed roughly as on a map (the overseas regions "
            "below), darker the more sites it holds, with the number of sites labelled by the end of "
            "%(year)s; %(count)s regions hold a site, most of all %(top)s (%(top_value)s). The table beside "
            "the map gives every region."
        )
        if data.region_tiles
        else _(
            "Tiles of the regions: one square per region, in rows of five, most sites first, labelled with the "
            "region's code, darker the more sites it holds, with the number of sites labelled by the end of "
            "%(year)s; %(count)s regions hold a site, most of all %(top)s (%(top_value)s). The table beside "
            "the tiles gives every region."
        )
    )
    region_chart = Chart(
        file=images["regions"],
        title=_("Labelled sites by region, end of %(year)s") % {"year": year},
        alt=(
            tile_map_alt
            % {
                "year": year,
                "count": len(regions),
                "top": top["name"],
                "top_value": formatting.format_value(top["sites"], "sites", lang),
            }
            if top
            else _("No region holds a labelled site.")
        ),
        columns=[_("Region"), *[indicator_name(data, c, lang) for c in region_codes]],
        rows=[
            [
                (r["name"], r["code"]),
                *[formatting.format_value(r["values"][c], _unit(data, c), lang) for c in region_codes],
            ]
            for r in regions
        ],
        indicator_codes=tuple(region_codes),
    )
    return {
        "figures": figures,
        "targets": targets,
        "territory": territory,
        "degurba": degurba,
        "coverage_chart": coverage_chart,
        "region_chart": region_chart,
        "territory_codes": [(c, indicator_name(data, c, lang), _unit(data, c)) for c in territory_codes],
        "degurba_codes": [(c, indicator_name(data, c, lang), _unit(data, c)) for c in degurba_codes],
    }


def funding_section(data: WarehouseData, year: int, years: list[int], lang: str, images: dict[str, str]) -> dict:
    _ = gettext_for(lang)
    envelope = as_float(data.parameters.get("state_envelope_eur"))
    codes = {role: data.code("funding", role) for role in FUNDING_ROLES}
    committed, paid = data.value(codes["committed"], year), data.value(codes["paid"], year)
    funding_chart = Chart(
        file=images["funding"],
        title=_("State grants committed and paid against the envelope, %(period)s")
        % {"period": year if years[0] == year else f"{years[0]}–{year}"},
        alt=_(
            "Bar chart of the State grants committed and paid by the end of each year up to %(year)s, with a "
            "dashed line at the envelope of %(envelope)s; at the end of %(year)s, %(committed)s committed and "
            "%(paid)s paid."
        )
        % {
            "year": year,
            "envelope": formatting.format_eur(envelope, lang),
            "committed": formatting.format_eur(committed, lang),
            "paid": formatting.format_eur(paid, lang),
        },
        columns=[
            _("Year"),
            indicator_name(data, codes["committed"], lang),
            indicator_name(data, codes["paid"], lang),
        ],
        rows=[
            [
                str(y),
                formatting.format_eur(data.value(codes["committed"], y), lang),
                formatting.format_eur(data.value(codes["paid"], y), lang),
            ]
            for y in years
        ],
        indicator_codes=(codes["committed"], codes["paid"]),
    )
    bands = data.breakdowns.get((codes["grant_bands"], year), [])
    band_rows = [
        [(band_label(b, lang), b["breakdown_code"]), formatting.format_value(b["value"], "sites", lang)] for b in bands
    ]
    grants_chart = Chart(
        file=images["grants"],
        title=_("Sites by total State grant, end of %(year)s") % {"year": year},
        alt=_(
            "Histogram of the sites with a State grant by the end of %(year)s, by the total of their State "
            "grants, in bands from below %(low)s to above %(high)s; the bands between the two bounds are in "
            "green, the others in orange. %(in_bounds)s of the sites are within the bounds."
        )
        % {
            "year": year,
            "low": formatting.format_eur(as_float(data.parameters.get("grant_min_eur")), lang),
            "high": formatting.format_eur(as_float(data.parameters.get("grant_max_eur")), lang),
            "in_bounds": formatting.format_value(data.value(codes["in_bounds"], year), "%", lang),
        },
        columns=[_("Total State grant of the site"), _("Sites")],
        rows=band_rows,
        indicator_codes=(codes["grant_bands"], codes["in_bounds"]),
    )
    cofunding = [
        [
            (breakdown_label(b, lang), b["breakdown_code"]),
            formatting.format_eur(b["value"], lang),
        ]
        for b in data.breakdowns.get((codes["cofunding"], year), [])
    ]
    return {
        "funding_chart": funding_chart,
        "grants_chart": grants_chart,
        "cofunding_rows": cofunding,
        "ratio_rows": [
            {
                "code": codes[role],
                "name": indicator_name(data, codes[role], lang),
                "unit": _unit(data, codes[role]),
                "values": [data.value(codes[role], y) for y in years],
            }
            for role in ("leverage", "leverage_to_date", "per_person", "per_person_to_date")
        ],
        "codes": codes,
        "rows": {role: data.indicator(code, year) for role, code in codes.items()},
        "names": {role: indicator_name(data, code, lang) for role, code in codes.items()},
    }


def activity_section(data: WarehouseData, year: int, lang: str, images: dict[str, str]) -> dict:
    _ = gettext_for(lang)
    codes = {role: data.code("activity", role) for role in ACTIVITY_ROLES}
    participations = data.breakdowns.get((codes["participations"], year), [])
    hours = {b["breakdown_code"]: b for b in data.breakdowns.get((codes["hours"], year), [])}
    top = max(participations, key=lambda b: (b["value"] or 0, b["breakdown_code"]), default=None)
    activity_chart = Chart(
        file=images["activities"],
        title=_("Participations and hours by activity type, %(year)s") % {"year": year},
        alt=_(
            "Two horizontal bar charts, participations and hours of activity in %(year)s for each of %(count)s "
            "activity types; the most participations: %(top)s (%(top_value)s). The table beside the chart gives "
            "every type."
        )
        % {
            "year": year,
            "count": len(participations),
            "top": breakdown_label(top, lang),
            "top_value": formatting.format_value(top["value"], "visits", lang),
        }
        if top and top["value"]
        else _("Empty chart: no activity is reported for %(year)s.") % {"year": year},
        columns=[
            _("Activity type"),
            indicator_name(data, codes["participations"], lang),
            indicator_name(data, codes["hours"], lang),
        ],
        rows=[
            [
                (breakdown_label(b, lang), b["breakdown_code"]),
                formatting.format_value(b["value"], "visits", lang),
                formatting.format_value(hours.get(b["breakdown_code"], {}).get("value"), "hours", lang),
            ]
            for b in participations
        ],
        indicator_codes=(codes["participations"], codes["hours"]),
    )
    beneficiaries = data.breakdowns.get((codes["beneficiaries"], year), [])
    people_categories = [b for b in beneficiaries if b["unit"] == "people"]
    top = max(people_categories, key=lambda b: (b["value"] or 0, b["breakdown_code"]), default=None)
    beneficiaries_chart = Chart(
        file=images["beneficiaries"],
        title=_("Beneficiaries by category, %(year)s") % {"year": year},
        alt=_(
            "Horizontal bar chart of the people reached in %(year)s in each of %(count)s beneficiary categories, "
            "which overlap; the largest: %(top)s (%(top_value)s). The organisations supported are counted in "
            "the table only (they are bodies, not people)."
        )
        % {
            "year": year,
            "count": len(people_categories),
            "top": breakdown_label(top, lang),
            "top_value": formatting.format_value(top["value"], "people", lang),
        }
        if top and top["value"]
        else _("Empty chart: no beneficiary is reported for %(year)s.") % {"year": year},
        columns=[_("Category"), _("Count"), _("Unit")],
        rows=[
            [
                (breakdown_label(b, lang), b["breakdown_code"]),
                formatting.format_value(b["value"], b["unit"], lang),
                unit_name(b["unit"], lang),
            ]
            for b in beneficiaries
        ],
        indicator_codes=(codes["beneficiaries"],),
    )
    return {
        "activity_chart": activity_chart,
        "beneficiaries_chart": beneficiaries_chart,
        "codes": codes,
        "rows": {role: data.indicator(code, year) for role, code in codes.items()},
        "names": {role: indicator_name(data, code, lang) for role, code in codes.items()},
    }


def economy_section(data: WarehouseData, year: int, lang: str, images: dict[str, str]) -> dict:
    _ = gettext_for(lang)
    own_revenue = data.code("economy", "own_revenue")
    shares = data.breakdowns.get((own_revenue, year), [])
    national = data.indicator(own_revenue, year)
    revenue_chart = Chart(
        file=images["own_revenue"],
        title=_("Share of own revenue by programme year (revenue of all sites pooled), %(year)s") % {"year": year},
        alt=_(
            "Bar chart of the share of own revenue in %(year)s of the sites in their first, second, third, and "
            "fourth or later programme year: %(items)s; the dashed line is the share of all sites (%(all)s)."
        )
        % {
            "year": year,
            "all": formatting.format_value(national["value"] if national else None, "%", lang),
            "items": "; ".join(
                f"{programme_year_label(s, lang)} {formatting.format_value(s['value'], '%', lang)}" for s in shares
            ),
        },
        columns=[_("Programme year"), _("Share of own revenue"), _("Own revenue"), _("All revenue")],
        rows=[
            [
                programme_year_label(s, lang),
                formatting.format_value(s["value"], "%", lang),
                formatting.format_eur(s["numerator"], lang),
                formatting.format_eur(s["denominator"], lang),
            ]
            for s in shares
        ],
        indicator_codes=(own_revenue,),
    )
    return {
        "revenue_chart": revenue_chart,
        "code": own_revenue,
        "national": national,
        "name": indicator_name(data, own_revenue, lang),
    }


def jobs_section(data: WarehouseData, years: list[int], lang: str) -> dict:
    year = years[-1]
    codes = {role: data.code("jobs", role) for role in JOBS_ROLES}
    return {
        "columns": [(c, indicator_name(data, c, lang), _unit(data, c)) for c in codes.values()],
        "rows": [{"year": y, "values": [data.value(c, y) for c in codes.values()]} for y in years],
        "codes": codes,
        "figures": {role: data.indicator(code, year) for role, code in codes.items()},
    }


def quality_section(data: WarehouseData, year: int, lang: str) -> dict:
    _ = gettext_for(lang)
    reasons = [
        {
            "code": r["reason_code"],
            "meaning": _localised(r, "label", lang) if r["label"] else r["reason_code"],
            "rows": r["rows_quarantined"],
            "files": r["files_quarantined"],
            "tables": r["table_names"] or "—",
        }
        for r in data.quarantine.get(year, [])
    ]
    files = [dict(r, table=r["table_name"] or _("(table not recognised)")) for r in data.files.get(year, [])]
    checks = [
        {
            "rule": c["rule"],
            "suite": c["suite"],
            "table": c["table_name"],
            "severity": c["severity"],
            "description": gettext_for(lang)(c["description_en"]) if c["description_en"] else c["rule"],
            "unexpected": c["unexpected_count"],
            "elements": c["element_count"],
        }
        for c in data.checks
    ]
    return {"reasons": reasons, "files": files, "checks": checks, "check_count": data.check_count}


def methods_section(data: WarehouseData, lang: str) -> list[dict]:
    return [
        {
            "code": i["indicator_code"],
            "name": _localised(i, "name", lang),
            "definition": _localised(i, "definition", lang),
            "unit": i["unit"],
            "unit_name": unit_name(i["unit"], lang),
            "is_core": i["is_core"],
            "target_comparator": i["target_comparator"],
            "target_value": i["target_value"],
            "target_from_year": i["target_from_year"],
        }
        for i in data.catalogue
    ]


def unit_name(unit: str, lang: str) -> str:
    return gettext_for(lang)(UNIT_NAMES[unit]) if unit in UNIT_NAMES else unit


def band_label(band: dict, lang: str) -> str:
    lower, upper = band["breakdown_lower"], band["breakdown_upper"]
    if lower is None:
        return "<\u00a0" + formatting.format_eur(upper, lang)
    if upper is None:
        return ">\u00a0" + formatting.format_eur(lower, lang)
    return f"{formatting.format_eur(lower, lang)} – {formatting.format_eur(upper, lang)}"


def _localised(row: dict, column: str, lang: str) -> str:
    """A text of the warehouse (seed labels, indicator names), written in English, in `lang`."""
    return _localised_text(row[column], lang)


def _localised_text(text: str, lang: str) -> str:
    return gettext_for(lang)(text)


def _unit(data: WarehouseData, code: str) -> str:
    for indicator in data.catalogue:
        if indicator["indicator_code"] == code:
            return indicator["unit"]
    return ""


def _target_text(row: dict, unit: str, lang: str) -> str:
    if row["target_value"] is None:
        return "—"
    sign = {">=": "≥", "<=": "≤"}.get(row["target_comparator"], row["target_comparator"])
    return f"{sign}\u00a0{formatting.format_value(row['target_value'], unit, lang)}"
