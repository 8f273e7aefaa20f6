"""The annual impact report: one page per year of the warehouse and per language (`annual/<year>/report.<lang>.html`),
the reporting year's also printed to PDF.

Every figure is read from the warehouse: the core indicators from marts.fct_indicators (indicators.csv), the figures by
activity type, beneficiary category, programme year, band of State grant and co-funding line from
marts.fct_indicator_breakdowns, the data-quality annex from marts.rpt_quarantine_by_reason,
marts.rpt_input_files_by_table and validation.results (latest run), the definitions from marts.dim_indicator.
Python formats and lays out; it adds up nothing.

Charts: one PNG per chart and year, shared by both languages (`annual/<year>/<chart>.png`). An image holds no
sentence in one language: its title and axis titles are written in French and English (`Titre / Title`), its
category labels are codes, years, region names or amounts, and its tick numbers are grouped with a narrow space
(read the same in both languages). The page gives, in its own language, the caption, the alt text and the table of
the data beside each chart. So 5 years × 2 languages draw 5 × 7 charts, not 70.
"""

from __future__ import annotations

from functools import partial

from fabriques.i18n import gettext_for, languages_of
from fabriques.reports import formatting
from fabriques.reports.annual_charts import draw_charts
from fabriques.reports.annual_data import (
    COVERAGE_CODES,
    DEGURBA_CODES,
    JOBS_CODES,
    KEY_FIGURES,
    REGION_CODES,
    TERRITORY_CODES,
    UNIT_NAMES,
    WarehouseData,
    as_float,
    load,
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
    images_by_year = dict(zip(years, ctx.workers.map(partial(draw_charts, ctx.out_dir, data), years), strict=False))
    pages = []
    for year in years:
        folder = f"annual/{year}"
        images = images_by_year[year]
        for lang in languages_of("annual_report"):
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
                    lang, languages_of("annual_report"), lambda other: f"report.{other}.html"
                ),
                years=sorted(ctx.years),
                **page_view(data, year, lang, images),
            )
            pages.append(
                Page(
                    path, title, lang, "annual_report", pdf=f"{folder}/report.{lang}.pdf" if year == ctx.year else None
                )
            )
    return pages


def page_view(data: WarehouseData, year: int, lang: str, images: dict[str, str]) -> dict:
    """Everything the template shows for one year and language."""
    years = [y for y in data.years if y <= year]
    return {
        "has_site_reports": year in data.years_with_reports,
        "key_figures": key_figures(data, year, years, lang),
        "core_table": core_table(data, years, lang),
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
    for code in KEY_FIGURES:
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


def coverage_section(data: WarehouseData, year: int, lang: str, images: dict[str, str]) -> dict:
    _ = gettext_for(lang)
    targets = [
        {"code": code, "name": indicator_name(data, code, lang), "row": data.indicator(code, year)}
        for code in COVERAGE_CODES
        if data.indicator(code, year)
    ]
    regions = region_rows(data, year)
    territory = [
        {
            "code": code,
            "label": label(data, "territory_target", code, lang),
            "values": [(c, data.value(c, year, "territory_target", code)) for c in TERRITORY_CODES],
        }
        for code in ("qpv", "rural")
        if data.indicator("FT01_sites_labelled", year, "territory_target", code)
    ]
    degurba = [
        {
            "code": code,
            "label": label(data, "degurba", code, lang),
            "values": [(c, data.value(c, year, "degurba", code)) for c in DEGURBA_CODES],
        }
        for code in data.scope_codes("FT01_sites_labelled", year, "degurba")
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
        indicator_codes=COVERAGE_CODES,
    )
    top = regions[0] if regions else None
    region_chart = Chart(
        file=images["regions"],
        title=_("Labelled sites by region, end of %(year)s") % {"year": year},
        alt=(
            _(
                "Tile map of France: one square per region, placed roughly as on a map (the overseas regions "
                "below), darker the more sites it holds, with the number of sites labelled by the end of "
                "%(year)s; %(count)s regions hold a site, most of all %(top)s (%(top_value)s). The table beside "
                "the map gives every region."
            )
            % {
                "year": year,
                "count": len(regions),
                "top": top["name"],
                "top_value": formatting.format_value(top["values"]["FT01_sites_labelled"], "sites", lang),
            }
            if top
            else _("No region holds a labelled site.")
        ),
        columns=[_("Region"), *[indicator_name(data, c, lang) for c in REGION_CODES]],
        rows=[
            [
                (r["name"], r["code"]),
                *[formatting.format_value(r["values"][c], _unit(data, c), lang) for c in REGION_CODES],
            ]
            for r in regions
        ],
        indicator_codes=REGION_CODES,
    )
    return {
        "targets": targets,
        "territory": territory,
        "degurba": degurba,
        "coverage_chart": coverage_chart,
        "region_chart": region_chart,
        "territory_codes": [(c, indicator_name(data, c, lang), _unit(data, c)) for c in TERRITORY_CODES],
        "degurba_codes": [(c, indicator_name(data, c, lang), _unit(data, c)) for c in DEGURBA_CODES],
    }


def funding_section(data: WarehouseData, year: int, years: list[int], lang: str, images: dict[str, str]) -> dict:
    _ = gettext_for(lang)
    envelope = as_float(data.parameters.get("state_envelope_eur"))
    committed, paid = data.value("FT04_state_committed_eur", year), data.value("FT05_state_paid_eur", year)
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
            indicator_name(data, "FT04_state_committed_eur", lang),
            indicator_name(data, "FT05_state_paid_eur", lang),
        ],
        rows=[
            [
                str(y),
                formatting.format_eur(data.value("FT04_state_committed_eur", y), lang),
                formatting.format_eur(data.value("FT05_state_paid_eur", y), lang),
            ]
            for y in years
        ],
        indicator_codes=("FT04_state_committed_eur", "FT05_state_paid_eur"),
    )
    bands = data.breakdowns.get(("FT18_sites_by_state_grant", year), [])
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
            "in_bounds": formatting.format_value(data.value("FT06_grant_in_bounds_pct", year), "%", lang),
        },
        columns=[_("Total State grant of the site"), _("Sites")],
        rows=band_rows,
        indicator_codes=("FT18_sites_by_state_grant", "FT06_grant_in_bounds_pct"),
    )
    cofunding = [
        [
            (label(data, "finance_line", b["breakdown_code"], lang), b["breakdown_code"]),
            formatting.format_eur(b["value"], lang),
        ]
        for b in data.breakdowns.get(("FT19_cofunding_eur", year), [])
    ]
    return {
        "funding_chart": funding_chart,
        "grants_chart": grants_chart,
        "cofunding_rows": cofunding,
        "rows": {
            code: data.indicator(code, year)
            for code in (
                "FT04_state_committed_eur",
                "FT05_state_paid_eur",
                "FT06_grant_in_bounds_pct",
                "FT12_cofunding_leverage",
                "FT14_state_eur_per_person",
            )
        },
        "names": {
            code: indicator_name(data, code, lang)
            for code in (
                "FT04_state_committed_eur",
                "FT05_state_paid_eur",
                "FT06_grant_in_bounds_pct",
                "FT12_cofunding_leverage",
                "FT14_state_eur_per_person",
                "FT18_sites_by_state_grant",
                "FT19_cofunding_eur",
            )
        },
    }


def activity_section(data: WarehouseData, year: int, lang: str, images: dict[str, str]) -> dict:
    _ = gettext_for(lang)
    participations = data.breakdowns.get(("FT08_participations", year), [])
    hours = {b["breakdown_code"]: b for b in data.breakdowns.get(("FT09_activity_hours", year), [])}
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
            "top": label(data, "activity_type", top["breakdown_code"], lang),
            "top_value": formatting.format_value(top["value"], "visits", lang),
        }
        if top and top["value"]
        else _("Empty chart: no activity is reported for %(year)s.") % {"year": year},
        columns=[
            _("Activity type"),
            indicator_name(data, "FT08_participations", lang),
            indicator_name(data, "FT09_activity_hours", lang),
        ],
        rows=[
            [
                (label(data, "activity_type", b["breakdown_code"], lang), b["breakdown_code"]),
                formatting.format_value(b["value"], "visits", lang),
                formatting.format_value(hours.get(b["breakdown_code"], {}).get("value"), "hours", lang),
            ]
            for b in participations
        ],
        indicator_codes=("FT08_participations", "FT09_activity_hours"),
    )
    beneficiaries = data.breakdowns.get(("FT16_beneficiaries", year), [])
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
            "top": label(data, "beneficiary_category", top["breakdown_code"], lang),
            "top_value": formatting.format_value(top["value"], "people", lang),
        }
        if top and top["value"]
        else _("Empty chart: no beneficiary is reported for %(year)s.") % {"year": year},
        columns=[_("Category"), _("Count"), _("Unit")],
        rows=[
            [
                (label(data, "beneficiary_category", b["breakdown_code"], lang), b["breakdown_code"]),
                formatting.format_value(b["value"], b["unit"], lang),
                unit_name(b["unit"], lang),
            ]
            for b in beneficiaries
        ],
        indicator_codes=("FT16_beneficiaries",),
    )
    return {
        "activity_chart": activity_chart,
        "beneficiaries_chart": beneficiaries_chart,
        "rows": {
            code: data.indicator(code, year)
            for code in ("FT07_people_reached", "FT08_participations", "FT09_activity_hours")
        },
        "names": {
            code: indicator_name(data, code, lang)
            for code in ("FT07_people_reached", "FT08_participations", "FT09_activity_hours", "FT16_beneficiaries")
        },
    }


def economy_section(data: WarehouseData, year: int, lang: str, images: dict[str, str]) -> dict:
    _ = gettext_for(lang)
    shares = data.breakdowns.get(("FT11_own_revenue_pct", year), [])
    national = data.indicator("FT11_own_revenue_pct", year)
    revenue_chart = Chart(
        file=images["own_revenue"],
        title=_("Share of own revenue by programme year, %(year)s") % {"year": year},
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
        indicator_codes=("FT11_own_revenue_pct",),
    )
    return {
        "revenue_chart": revenue_chart,
        "national": national,
        "name": indicator_name(data, "FT11_own_revenue_pct", lang),
    }


def jobs_section(data: WarehouseData, years: list[int], lang: str) -> dict:
    year = years[-1]
    jobs_created = data.breakdowns.get(("FT17_jobs_created_fte", year), [])
    return {
        "codes": [(c, indicator_name(data, c, lang), _unit(data, c)) for c in JOBS_CODES],
        "rows": [{"year": y, "values": [jobs_value(data, c, y) for c in JOBS_CODES]} for y in years],
        "paid": data.indicator("FT10_jobs_fte", year),
        "created": jobs_created[0]["value"] if jobs_created else None,
        "places": data.indicator("FT13_places_supported", year),
    }


def jobs_value(data: WarehouseData, code: str, year: int):
    if code == "FT17_jobs_created_fte":
        rows = data.breakdowns.get((code, year), [])
        return rows[0]["value"] if rows else None
    return data.value(code, year)


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


def indicator_name(data: WarehouseData, code: str, lang: str) -> str:
    for indicator in data.catalogue:
        if indicator["indicator_code"] == code:
            return _localised(indicator, "name", lang)
    return code


def label(data: WarehouseData, domain: str, code: str, lang: str) -> str:
    row = data.labels.get((domain, code))
    return _localised(row, "label", lang) if row else code


def unit_name(unit: str, lang: str) -> str:
    return gettext_for(lang)(UNIT_NAMES[unit]) if unit in UNIT_NAMES else unit


def band_label(band: dict, lang: str) -> str:
    lower, upper = band["breakdown_lower"], band["breakdown_upper"]
    if lower is None:
        return "<\u00a0" + formatting.format_eur(upper, lang)
    if upper is None:
        return ">\u00a0" + formatting.format_eur(lower, lang)
    return f"{formatting.format_eur(lower, lang)} – {formatting.format_eur(upper, lang)}"


def programme_year_label(row: dict, lang: str) -> str:
    _ = gettext_for(lang)
    if row["breakdown_upper"] is None:
        return _("Year %(number)s and after") % {"number": formatting.format_number(row["breakdown_lower"], lang)}
    return _("Year %(number)s") % {"number": row["breakdown_code"]}


def _localised(row: dict, column: str, lang: str) -> str:
    """A text of the warehouse (seed labels, indicator names), written in English, in `lang`."""
    return gettext_for(lang)(row[column])


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
