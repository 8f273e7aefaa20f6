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

import unicodedata
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

import matplotlib
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from fabriques.reports import charts, formatting
from fabriques.reports.charts import OKABE_ITO, Chart
from fabriques.reports.context import Page, ReportContext
from fabriques.reports.i18n import REPORT_LANGUAGES, gettext_for
from fabriques.reports.render import render_page

KEY_FIGURES = (
    "FT01_sites_labelled",
    "FT04_state_committed_eur",
    "FT05_state_paid_eur",
    "FT07_people_reached",
    "FT08_participations",
    "FT10_jobs_fte",
    "FT13_places_supported",
    "FT15_reporting_pct",
)
"""The figures of the report's first section, each with its values over the years."""
COVERAGE_CODES = ("FT01_sites_labelled", "FT02_sites_qpv", "FT03_sites_rural")
REGION_CODES = ("FT01_sites_labelled", "FT02_sites_qpv", "FT03_sites_rural", "FT07_people_reached")
TERRITORY_CODES = (
    "FT01_sites_labelled",
    "FT07_people_reached",
    "FT08_participations",
    "FT09_activity_hours",
    "FT13_places_supported",
)
DEGURBA_CODES = ("FT01_sites_labelled", "FT07_people_reached", "FT08_participations")
JOBS_CODES = ("FT10_jobs_fte", "FT17_jobs_created_fte", "FT13_places_supported")
BREAKDOWN_DOMAINS = {
    "activity_type": "activity_type",
    "category": "beneficiary_category",
    "finance_line": "finance_line",
}
"""code_lists domain of the codes of a breakdown type of marts.fct_indicator_breakdowns."""


def N_(message: str) -> str:
    """Marks a message for translation where it is defined; it is translated where it is shown."""
    return message


UNIT_NAMES = {
    "sites": N_("sites"),
    "EUR": N_("EUR"),
    "%": N_("%"),
    "people": N_("people"),
    "visits": N_("visits"),
    "hours": N_("hours"),
    "FTE": N_("FTE"),
    "ratio": N_("ratio"),
    "places": N_("places"),
    "organisations": N_("organisations"),
}


# ----------------------------------------------------------------------------------------------------------------
# Reading the warehouse (a few queries for every year and language)


@dataclass
class WarehouseData:
    indicators: dict[tuple[str, int, str, str], dict]
    """(indicator_code, year, scope_type, scope_code) -> row of marts.fct_indicators (no site scope)."""
    breakdowns: dict[tuple[str, int], list[dict]]
    """(indicator_code, year) -> national rows of marts.fct_indicator_breakdowns, in display order."""
    catalogue: list[dict]
    """marts.dim_indicator, in display order."""
    labels: dict[tuple[str, str], dict]
    """(domain, code) -> code_lists row (label_fr, label_en)."""
    region_names: dict[str, str]
    parameters: dict[str, str]
    quarantine: dict[int, list[dict]]
    files: dict[int, list[dict]]
    checks: list[dict]
    check_count: int
    region_tiles: dict[str, dict] = field(default_factory=dict)
    """region_code -> its place in the tile map (seed region_tiles)."""
    years: list[int] = field(default_factory=list)
    years_with_reports: set[int] = field(default_factory=set)
    """Years for which a site report was accepted (marts.dim_year.has_site_reports)."""

    def indicator(self, code: str, year: int, scope_type: str = "national", scope_code: str = "FR") -> dict | None:
        return self.indicators.get((code, year, scope_type, scope_code))

    def value(self, code: str, year: int, scope_type: str = "national", scope_code: str = "FR"):
        row = self.indicator(code, year, scope_type, scope_code)
        return row["value"] if row else None

    def scope_codes(self, code: str, year: int, scope_type: str) -> list[str]:
        return sorted(key[3] for key in self.indicators if key[0] == code and key[1] == year and key[2] == scope_type)


def load(ctx: ReportContext) -> WarehouseData:
    indicators = {
        (r["indicator_code"], r["year"], r["scope_type"], r["scope_code"]): r
        for r in ctx.rows(
            "select indicator_code, year, scope_type, scope_code, value, unit, numerator, denominator, "
            "target_comparator, target_value from marts.fct_indicators where scope_type <> 'site'"
        )
    }
    breakdowns: dict[tuple[str, int], list[dict]] = {}
    for row in ctx.rows(
        "select * from marts.fct_indicator_breakdowns where scope_type = 'national' "
        "order by indicator_code, year, breakdown_type, breakdown_sort_order, breakdown_code"
    ):
        breakdowns.setdefault((row["indicator_code"], row["year"]), []).append(row)
    catalogue = ctx.rows("select * from marts.dim_indicator order by sort_order, indicator_code")
    labels = {
        (r["domain"], r["code"]): r
        for r in ctx.rows("select domain, code, sort_order, label_fr, label_en from seeds.code_lists")
    }
    region_names = {
        r["region_code"]: r["region_name"]
        for r in ctx.rows(
            "select distinct region_code, region_name from marts.dim_territory where region_code is not null"
        )
    }
    parameters = {
        r["parameter"]: r["value"] for r in ctx.rows("select parameter, value from seeds.programme_parameters")
    }
    quarantine: dict[int, list[dict]] = {}
    for row in ctx.rows(
        "select * from marts.rpt_quarantine_by_reason "
        "order by reporting_year, reason_sort_order nulls last, reason_code"
    ):
        quarantine.setdefault(row["reporting_year"], []).append(row)
    files: dict[int, list[dict]] = {}
    for row in ctx.rows("select * from marts.rpt_input_files_by_table order by reporting_year, table_name nulls last"):
        files.setdefault(row["reporting_year"], []).append(row)
    latest_run = """(select run_id from validation.results order by validated_at desc, run_id desc limit 1)"""
    checks = ctx.rows(f"""
        select suite, table_name, rule, severity, status, unexpected_count, element_count, description_en,
               description_fr
        from validation.results
        where run_id = {latest_run} and not success
        order by severity, suite, rule""")
    check_count = ctx.value(f"select count(*) from validation.results where run_id = {latest_run}") or 0
    region_tiles = {
        r["region_code"]: r
        for r in ctx.rows("select region_code, tile_column, tile_row, tile_label from seeds.region_tiles")
    }
    years_with_reports = {r["year"] for r in ctx.rows("select year from marts.dim_year where has_site_reports")}
    return WarehouseData(
        indicators,
        breakdowns,
        catalogue,
        labels,
        region_names,
        parameters,
        quarantine,
        files,
        checks,
        check_count,
        region_tiles,
        years=list(ctx.years),
        years_with_reports=years_with_reports,
    )


# ----------------------------------------------------------------------------------------------------------------
# The pages


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
        for lang in REPORT_LANGUAGES:
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
                other_lang=_other(lang),
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
        "envelope": _float(data.parameters.get("state_envelope_eur")),
        "grant_min": _float(data.parameters.get("grant_min_eur")),
        "grant_max": _float(data.parameters.get("grant_max_eur")),
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


def region_rows(data: WarehouseData, year: int) -> list[dict]:
    """The regions holding a labelled site, most sites first (then by name)."""
    rows = []
    for code in data.scope_codes("FT01_sites_labelled", year, "region"):
        rows.append(
            {
                "code": code,
                "name": data.region_names.get(code, code),
                "values": {c: data.value(c, year, "region", code) for c in REGION_CODES},
            }
        )
    return sorted(rows, key=lambda r: (-(r["values"]["FT01_sites_labelled"] or 0), sort_key(r["name"])))


def funding_section(data: WarehouseData, year: int, years: list[int], lang: str, images: dict[str, str]) -> dict:
    _ = gettext_for(lang)
    envelope = _float(data.parameters.get("state_envelope_eur"))
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
            "low": formatting.format_eur(_float(data.parameters.get("grant_min_eur")), lang),
            "high": formatting.format_eur(_float(data.parameters.get("grant_max_eur")), lang),
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
            "meaning": r.get(f"label_{lang}") or r["reason_code"],
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
            "description": c.get(f"description_{lang}") or c["description_en"] or c["rule"],
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


# ----------------------------------------------------------------------------------------------------------------
# Labels


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


def sort_key(text: str | None) -> str:
    """Alphabetical order regardless of accents and case (`Île-de-France` among the I)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _localised(row: dict, stem: str, lang: str) -> str:
    return row.get(f"{stem}_{lang}") or row[f"{stem}_en"]


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


def _float(text) -> float | None:
    return None if text is None else float(text)


def _other(lang: str) -> str:
    return "en" if lang == "fr" else "fr"


# ----------------------------------------------------------------------------------------------------------------
# Charts: language-neutral PNGs, one set per year


@cache
def both(message: str, separator: str = " / ", suffix: str = "") -> str:
    """A chart text in French and English (`Titre / Title`, or on two lines), the same image serving both pages;
    `suffix` (a year, a code) ends each line, or the text when on one line."""
    french = gettext_for("fr")(message)
    if french == message:
        return message + suffix
    if "\n" in separator:
        return f"{french}{suffix}{separator}{message}{suffix}"
    return f"{french}{separator}{message}{suffix}"


def _grouped(value: float, _position=None) -> str:
    """A tick number read the same in French and English: digits grouped by a narrow space, no decimals."""
    return f"{value:,.0f}".replace(",", "\u202f")


def _millions(value: float, _position=None) -> str:
    return f"{value / 1e6:g}"


def draw_charts(out_dir: Path, data: WarehouseData, year: int) -> dict[str, str]:
    """The charts of a year's report, beside its pages (`annual/<year>/`): chart name -> file name."""
    folder = f"annual/{year}"
    years = [y for y in data.years if y <= year]
    return {
        "coverage": draw_coverage(out_dir, data, year, folder),
        "regions": draw_regions(out_dir, data, year, folder),
        "funding": draw_funding(out_dir, data, years, folder),
        "grants": draw_grants(out_dir, data, year, folder),
        "activities": draw_activities(out_dir, data, year, folder),
        "beneficiaries": draw_beneficiaries(out_dir, data, year, folder),
        "own_revenue": draw_own_revenue(out_dir, data, year, folder),
    }


def _save(out_dir: Path, fig, folder: str, name: str) -> str:
    """Write the chart beside the pages of its year: the page's `src` is the file name."""
    charts.save(fig, out_dir, f"{folder}/{name}.png")
    return f"{name}.png"


def draw_coverage(out_dir: Path, data: WarehouseData, year: int, folder: str) -> str:
    rows = [(code, data.indicator(code, year)) for code in COVERAGE_CODES if data.indicator(code, year)]
    fig, ax = charts.new_figure(6.4, 2.6)
    labels = [code for code, _row in rows][::-1]
    values = [row["value"] or 0 for _code, row in rows][::-1]
    ax.barh(labels, values, color=OKABE_ITO[0], height=0.6, label=both(N_("Sites labelled")))
    targets = [(i, row["target_value"]) for i, (_code, row) in enumerate(rows[::-1]) if row["target_value"] is not None]
    if targets:
        ax.scatter(
            [t for _i, t in targets],
            [i for i, _t in targets],
            marker="|",
            s=500,
            linewidths=2.5,
            color=OKABE_ITO[5],
            zorder=3,
            label=both(N_("Target")),
        )
        ax.legend(loc="lower right", frameon=False, fontsize=8)
    for i, value in enumerate(values):
        ax.annotate(_grouped(value), (value, i), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_title(both(N_("Labelled sites against their targets"), "\n", f", {year}"), fontsize=9)
    ax.set_xlabel(both(N_("sites")))
    ax.xaxis.set_major_formatter(FuncFormatter(_grouped))
    ax.set_xlim(0, max(values + [t for _i, t in targets] + [1]) * 1.15)
    return _save(out_dir, fig, folder, "coverage")


def draw_regions(out_dir: Path, data: WarehouseData, year: int, folder: str) -> str:
    """A tile map: one square per region at its place of the seed region_tiles (regions missing there follow in a
    row of their own), shaded by its labelled sites, with its short label and count."""
    regions = region_rows(data, year)
    placed = {r["code"]: data.region_tiles[r["code"]] for r in regions if r["code"] in data.region_tiles}
    last_row = max((t["tile_row"] for t in data.region_tiles.values()), default=-1)
    unplaced = [r for r in regions if r["code"] not in placed]
    for index, region in enumerate(unplaced):
        placed[region["code"]] = {
            "tile_column": index % 5,
            "tile_row": last_row + 1 + index // 5,
            "tile_label": region["code"],
        }
    columns = max((t["tile_column"] for t in placed.values()), default=0) + 1
    rows = max((t["tile_row"] for t in placed.values()), default=0) + 1
    fig, ax = charts.new_figure(0.9 * columns + 1.6, 0.75 * rows + 0.9)
    top = max((r["values"]["FT01_sites_labelled"] or 0 for r in regions), default=0) or 1
    shades = matplotlib.colormaps["Blues"]
    for region in regions:
        tile = placed[region["code"]]
        count = region["values"]["FT01_sites_labelled"] or 0
        share = count / top
        corner = (tile["tile_column"], -tile["tile_row"])
        ax.add_patch(Rectangle(corner, 0.94, 0.94, facecolor=shades(0.15 + 0.8 * share), edgecolor="white"))
        colour = "white" if share > 0.55 else "black"
        ax.text(
            tile["tile_column"] + 0.47,
            -tile["tile_row"] + 0.62,
            tile["tile_label"],
            ha="center",
            va="center",
            fontsize=7,
            color=colour,
        )
        ax.text(
            tile["tile_column"] + 0.47,
            -tile["tile_row"] + 0.3,
            _grouped(count),
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold",
            color=colour,
        )
    ax.set_xlim(-0.1, columns + 0.1)
    ax.set_ylim(-rows + 0.9, 1.05)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(both(N_("Labelled sites by region"), "\n", f", {year}"), fontsize=9)
    return _save(out_dir, fig, folder, "regions")


def draw_funding(out_dir: Path, data: WarehouseData, years: list[int], folder: str) -> str:
    envelope = _float(data.parameters.get("state_envelope_eur"))
    committed = [data.value("FT04_state_committed_eur", y) or 0 for y in years]
    paid = [data.value("FT05_state_paid_eur", y) or 0 for y in years]
    fig, ax = charts.new_figure(6.4, 3.3)
    positions = range(len(years))
    ax.bar(
        [p - 0.2 for p in positions], committed, width=0.4, color=OKABE_ITO[0], label=both(N_("Committed")) + " (FT04)"
    )
    ax.bar([p + 0.2 for p in positions], paid, width=0.4, color=OKABE_ITO[1], label=both(N_("Paid")) + " (FT05)")
    if envelope:
        ax.axhline(
            envelope,
            color=OKABE_ITO[7],
            linestyle="--",
            linewidth=1,
            label=both(N_("Envelope")) + f" ({_millions(envelope)} M EUR)",
        )
    ax.set_xticks(list(positions), [str(y) for y in years])
    ax.set_title(both(N_("State grants committed and paid (cumulative)"), "\n"), fontsize=9)
    ax.set_xlabel(both(N_("year (at 31 December)"), "\n"))
    ax.set_ylabel(both(N_("million EUR")))
    ax.yaxis.set_major_formatter(FuncFormatter(_millions))
    ax.set_ylim(0, max(committed + paid + [envelope or 0, 1]) * 1.3)
    ax.legend(loc="upper left", frameon=False, fontsize=7.5, ncols=3)
    return _save(out_dir, fig, folder, "funding")


def draw_grants(out_dir: Path, data: WarehouseData, year: int, folder: str) -> str:
    bands = data.breakdowns.get(("FT18_sites_by_state_grant", year), [])
    fig, ax = charts.new_figure(6.4, 3.3)

    def short(band):
        lower, upper = band["breakdown_lower"], band["breakdown_upper"]
        if lower is None:
            return f"<{upper / 1000:g}k"
        if upper is None:
            return f">{lower / 1000:g}k"
        return f"{lower / 1000:g}–{upper / 1000:g}k"

    values = [b["value"] or 0 for b in bands]
    colours = [OKABE_ITO[2] if b["breakdown_code"].startswith("band_") else OKABE_ITO[5] for b in bands]
    ax.bar([short(b) for b in bands], values, color=colours, width=0.85)
    for i, value in enumerate(values):
        ax.annotate(_grouped(value), (i, value), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    ax.set_title(both(N_("Sites by total State grant"), "\n", f", {year}"), fontsize=9)
    ax.set_xlabel(both(N_("total State grant of the site, thousand EUR"), "\n"))
    ax.set_ylabel(both(N_("sites")))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(_grouped))
    ax.set_ylim(0, max([*values, 1]) * 1.15)
    ax.tick_params(axis="x", labelsize=8)
    return _save(out_dir, fig, folder, "grants")


def draw_activities(out_dir: Path, data: WarehouseData, year: int, folder: str) -> str:
    participations = data.breakdowns.get(("FT08_participations", year), [])[::-1]
    hours = {b["breakdown_code"]: b["value"] or 0 for b in data.breakdowns.get(("FT09_activity_hours", year), [])}
    fig, (left, right) = charts.plt.subplots(
        1, 2, sharey=True, dpi=110, figsize=(6.8, max(2.4, 0.8 + 0.25 * len(participations)))
    )
    codes = [b["breakdown_code"] for b in participations]
    left.barh(codes, [b["value"] or 0 for b in participations], color=OKABE_ITO[0], height=0.7)
    right.barh(codes, [hours.get(c, 0) for c in codes], color=OKABE_ITO[2], height=0.7)
    left.set_title(both(N_("Participations"), " / ", " (FT08)"), fontsize=9)
    right.set_title(both(N_("Hours"), " / ", " (FT09)"), fontsize=9)
    left.set_xlabel(both(N_("visits")))
    right.set_xlabel(both(N_("hours")))
    for axis in (left, right):
        axis.xaxis.set_major_formatter(FuncFormatter(_grouped))
        axis.xaxis.set_major_locator(MaxNLocator(3))
    left.tick_params(axis="y", labelsize=7.5)
    fig.suptitle(both(N_("Activity by type"), "\n", f", {year}"), fontsize=9)
    return _save(out_dir, fig, folder, "activities")


def draw_beneficiaries(out_dir: Path, data: WarehouseData, year: int, folder: str) -> str:
    categories = [b for b in data.breakdowns.get(("FT16_beneficiaries", year), []) if b["unit"] == "people"][::-1]
    fig, ax = charts.new_figure(6.4, max(2.3, 1.0 + 0.25 * len(categories)))
    values = [b["value"] or 0 for b in categories]
    ax.barh([b["breakdown_code"] for b in categories], values, color=OKABE_ITO[3], height=0.7)
    for i, value in enumerate(values):
        ax.annotate(_grouped(value), (value, i), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7.5)
    ax.set_title(both(N_("Beneficiaries by category"), "\n", f", {year}"), fontsize=9)
    ax.set_xlabel(both(N_("people (categories overlap)")))
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.xaxis.set_major_formatter(FuncFormatter(_grouped))
    ax.set_xlim(0, max([*values, 1]) * 1.15)
    ax.tick_params(axis="y", labelsize=7.5)
    return _save(out_dir, fig, folder, "beneficiaries")


def draw_own_revenue(out_dir: Path, data: WarehouseData, year: int, folder: str) -> str:
    shares = data.breakdowns.get(("FT11_own_revenue_pct", year), [])
    national = data.value("FT11_own_revenue_pct", year)
    fig, ax = charts.new_figure(6.4, 3.1)
    labels = [s["breakdown_code"] for s in shares]
    values = [s["value"] if s["value"] is not None else 0 for s in shares]
    ax.bar(labels, values, color=OKABE_ITO[4], width=0.6)
    for i, share in enumerate(shares):
        text = "—" if share["value"] is None else f"{share['value']:.0f}"
        ax.annotate(text, (i, values[i]), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    if national is not None:
        ax.axhline(
            national,
            color=OKABE_ITO[7],
            linestyle="--",
            linewidth=1,
            label=both(N_("All sites")) + f" (FT11): {national:.0f}",
        )
        ax.legend(loc="upper left", frameon=False, fontsize=8)
    ax.set_title(both(N_("Share of own revenue by programme year"), "\n", f", {year}"), fontsize=9)
    ax.set_xlabel(both(N_("programme year (year − label year + 1)"), "\n"))
    ax.set_ylabel("%")
    ax.set_ylim(0, 100)
    return _save(out_dir, fig, folder, "own_revenue")
