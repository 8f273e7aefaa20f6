"""The transfer guide for European partners: one page per year of the warehouse and language (English, Romanian:
`transfer/<year>/guide.<lang>.html`), the reporting year's also printed to PDF.

Its sections are those of an Interreg Europe good practice (objectives, main activities, stakeholders,
beneficiaries, resources needed, evidence of success, potential for learning and transfer), each filled from the
warehouse: marts.rpt_transfer_evidence (medians and interquartile ranges by type of territory, with their number of
sites; a cell with too few sites has no figure), marts.rpt_transfer_profile (activities, funders, legal forms),
marts.rpt_transfer_eu_indicators (the results in EU common-indicator units), marts.fct_indicators and
marts.fct_indicator_breakdowns (national figures), and the scenario calculator's worked example (seed
transfer_parameters). Python lays out and formats; it adds up nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from fabriques.i18n import N_, gettext_for, language_name, languages_of
from fabriques.reports import formatting, transfer_charts
from fabriques.reports.charts import Chart
from fabriques.reports.context import Page, ReportContext
from fabriques.reports.pages import render_page
from fabriques.transfer.present import class_rows, interval_labels, scenario_rows
from fabriques.transfer.scenario import ScenarioError, example_inputs, scenario_from_warehouse

EVIDENCE_MEASURES = (
    # (measure_code of transfer_evidence, name, unit, indicator): a measure that is an indicator of the catalogue
    # computed for each site takes that indicator's name and code (one name, one definition in every document)
    ("state_grant_per_site_eur", N_("State grant per site (committed to date)"), "EUR", None),
    ("state_eur_per_person", None, "EUR", "FT21_state_eur_per_person_to_date"),
    ("people_reached", N_("People reached per site in the year"), "people", None),
    ("participations", N_("Participations per site in the year"), "visits", None),
    ("jobs_fte", N_("Paid jobs per site (FTE)"), "FTE", None),
    ("cofunding_leverage", None, "ratio", "FT20_cofunding_leverage_to_date"),
    ("own_revenue_pct", N_("Share of own revenue in the year"), "%", None),
)
COST_MEASURES = (
    # (measure_code of transfer_evidence, name, unit): what a hub costs to run and what the State grant covers
    ("operating_expenses_eur", N_("Running cost of the year (the site's expenses)"), "EUR"),
    ("state_grant_per_site_eur", N_("State grant per site (committed to date)"), "EUR"),
    ("state_paid_share_of_expenses_pct", N_("Share of the running costs paid by the State grant, label to date"), "%"),
)
SURVIVAL_MEASURE = "active_after_grant_pct"
PROGRAMME_YEAR_BANDS = ("1", "2", "3", "4+")
GROUP_TYPES = ("degurba", "territory_target")
"""The types of territory compared: the code lists of the same names, each in its order."""
FIT_LABELS = {"exact": N_("exact"), "proxy": N_("proxy"), "none": N_("no common indicator")}
BREAKDOWN_DOMAINS = ("beneficiary_category", "finance_line")
PROFILE_DOMAINS = {"activity_type": "activity_type", "funder_type": "funder_type", "legal_form": "legal_form"}


@dataclass
class GuideData:
    year: int
    evidence: dict[tuple[str, str, str, str], dict]
    """(group_type, group_code, measure_code, programme_year_band) -> row of marts.rpt_transfer_evidence."""
    profile: dict[tuple[str, str, str], float]
    """(aspect, code, measure_code) -> value of marts.rpt_transfer_profile."""
    indicators: dict[str, dict]
    """indicator_code -> national row of marts.fct_indicators for the year."""
    beneficiaries: list[dict]
    eu_indicators: list[dict]
    regions: list[dict]
    labels: dict[tuple[str, str], dict]
    catalogue: dict[str, dict]
    parameters: dict[str, float]
    targets: dict[str, dict]
    min_sites: int
    scenario: object | None
    scenario_error: str | None
    partner: dict | None = None
    """The partner of the worked example ([transfer]: name, price level indices and their source), if given."""
    country_name: str = ""
    """The programme's country, in English ([programme] country_name)."""
    has_own_territories: bool = False
    """The programme brings its own territory file (not the bundled French geography)."""


def load(ctx: ReportContext, year: int, worked_example: tuple) -> GuideData:
    evidence = {
        (r["group_type"], r["group_code"], r["measure_code"], r["programme_year_band"]): r
        for r in ctx.rows("select * from marts.rpt_transfer_evidence where year = ?", [year])
    }
    profile = {
        (r["aspect"], r["code"], r["measure_code"]): r["value"]
        for r in ctx.rows(
            "select aspect, code, measure_code, value from marts.rpt_transfer_profile where year = ?", [year]
        )
    }
    indicators = {
        r["indicator_code"]: r
        for r in ctx.rows(
            "select indicator_code, value, unit from marts.fct_indicators where scope_type = 'national' and year = ?",
            [year],
        )
    }
    beneficiaries = ctx.rows(
        """
        select breakdown_code, value, unit from marts.fct_indicator_breakdowns
        where indicator_code = 'FT16_beneficiaries' and scope_type = 'national' and year = ?
        order by breakdown_sort_order, breakdown_code""",
        [year],
    )
    eu_indicators = ctx.rows(
        "select * from marts.rpt_transfer_eu_indicators where year = ? order by sort_order", [year]
    )
    regions = ctx.rows(
        "select * from marts.rpt_transfer_regions where year = ? order by nuts1_codes nulls last, region_name", [year]
    )
    labels = {
        (r["domain"], r["code"]): r
        for r in ctx.rows("select domain, code, sort_order, label from staging.stg_programme__code_lists")
    }
    catalogue = {r["indicator_code"]: r for r in ctx.rows("select indicator_code, name, unit from marts.dim_indicator")}
    parameters = {
        r["parameter"]: float(r["value"])
        for r in ctx.rows(
            "select parameter, value from programme.parameters where try_cast(value as double) is not null"
        )
    }
    targets = {
        r["indicator_code"]: r
        for r in ctx.rows("""
        select indicator_code, cast(from_year as integer) as from_year, comparator,
               cast(target_value as double) as target_value
        from programme.indicator_targets
        where scope_type = 'national'""")
    }
    min_sites = int(ctx.value("select value from seeds.transfer_parameters where parameter = 'min_sites_per_cell'"))
    scenario, scenario_error = worked_example
    return GuideData(
        year,
        evidence,
        profile,
        indicators,
        beneficiaries,
        eu_indicators,
        regions,
        labels,
        catalogue,
        parameters,
        targets,
        min_sites,
        scenario,
        scenario_error,
        partner=(
            {
                "name": ctx.programme["transfer.partner_name"],
                "source": ctx.programme["transfer.price_level_source"],
                "index": ctx.programme["transfer.partner_price_level_index"],
                "reference_index": ctx.programme["transfer.reference_price_level_index"],
            }
            if ctx.programme.get("transfer.partner_name")
            else None
        ),
        country_name=ctx.programme["country_name"],
        has_own_territories=bool(ctx.programme.get("territories.file")),
    )


def build(ctx: ReportContext) -> list[Page]:
    pages = []
    example = worked_example(ctx)
    for year in sorted(ctx.years, reverse=True):
        data = load(ctx, year, example)
        folder = f"transfer/{year}"
        for lang in languages_of("transfer_guide"):
            _ = gettext_for(lang)
            title = _("Transfer guide %(year)s: %(programme)s for European partners") % {
                "year": year,
                "programme": ctx.programme_name(lang),
            }
            path = f"{folder}/guide.{lang}.html"
            chart = viability_chart(ctx, data, folder, lang)
            render_page(
                ctx,
                lang,
                "transfer_guide.html",
                path,
                title=title,
                year=year,
                years=sorted(ctx.years),
                other_languages=[
                    (other, language_name(other), f"guide.{other}.html")
                    for other in languages_of("transfer_guide")
                    if other != lang
                ],
                viability_chart=chart,
                **page_view(data, lang),
            )
            pages.append(
                Page(
                    path, title, lang, "transfer_guide", pdf=f"{folder}/guide.{lang}.pdf" if year == ctx.year else None
                )
            )
    return pages


def worked_example(ctx: ReportContext) -> tuple:
    """The scenario calculator on the guide's example inputs at the partner's price level of the programme's
    settings ([transfer]; the programme's own prices without them), over the whole warehouse (the same in every
    year's guide): (result, None), or (None, why it cannot be computed)."""
    try:
        inputs = dataclasses.replace(example_inputs(ctx.con), price_level=partner_price_level(ctx.programme))
        return scenario_from_warehouse(ctx.con, inputs), None
    except ScenarioError as error:
        return None, str(error)


def partner_price_level(settings: dict[str, str]) -> float:
    """The partner's price level relative to the programme's country: the ratio of their price level indices
    ([transfer] of programme.toml), 1 when none is given."""
    if not settings.get("transfer.partner_price_level_index"):
        return 1.0
    return round(
        float(settings["transfer.partner_price_level_index"]) / float(settings["transfer.reference_price_level_index"]),
        2,
    )


# ----------------------------------------------------------------------------------------------------------------
# What the template shows


def page_view(data: GuideData, lang: str) -> dict:
    _ = gettext_for(lang)
    return {
        "country": _(data.country_name),
        "has_own_territories": data.has_own_territories,
        "objectives": objectives(data, lang),
        "activities": profile_rows(
            data, "activity_type", ("sites_running", "share_of_sites_pct", "participations", "hours"), lang
        ),
        "funders": profile_rows(data, "funder_type", ("funders", "committed_eur"), lang),
        "legal_forms": profile_rows(data, "legal_form", ("sites",), lang),
        "beneficiaries": [
            {
                "code": b["breakdown_code"],
                "label": label(data, "beneficiary_category", b["breakdown_code"], lang),
                "value": formatting.format_value(b["value"], b["unit"], lang),
            }
            for b in data.beneficiaries
        ],
        "people_reached": indicator_text(data, "FT07_people_reached", lang),
        "resources": resources(data, lang),
        "costs": cost_table(data, lang),
        "evidence_tables": [
            evidence_table(data, group_type, codes_of(data, group_type), lang) for group_type in GROUP_TYPES
        ],
        "viability": viability_table(data, lang),
        "survival": survival_row(data, lang),
        "eu_indicators": eu_rows(data, lang),
        "regions": data.regions,
        "scenario": scenario_view(data, lang),
        "min_sites": data.min_sites,
    }


def objectives(data: GuideData, lang: str) -> dict:
    target = data.targets.get("FT01_sites_labelled")
    return {
        "target_sites": formatting.format_number(target["target_value"], lang) if target else None,
        "target_year": target["from_year"] if target else None,
        "grant_min": formatting.format_eur(data.parameters.get("grant_min_eur"), lang),
        "grant_max": formatting.format_eur(data.parameters.get("grant_max_eur"), lang),
        "grant_years": formatting.format_number(data.parameters.get("grant_duration_years"), lang),
        "envelope": formatting.format_eur(data.parameters.get("state_envelope_eur"), lang),
        "sites": indicator_text(data, "FT01_sites_labelled", lang),
        "priority_area_sites": indicator_text(data, "FT02_sites_qpv", lang),
        "rural_area_sites": indicator_text(data, "FT03_sites_rural", lang),
        "committed": indicator_text(data, "FT04_state_committed_eur", lang),
        "paid": indicator_text(data, "FT05_state_paid_eur", lang),
    }


def indicator_text(data: GuideData, code: str, lang: str) -> str:
    row = data.indicators.get(code)
    return formatting.format_value(row["value"] if row else None, row["unit"] if row else "", lang)


def profile_rows(data: GuideData, aspect: str, measures: tuple[str, ...], lang: str) -> list[dict]:
    units = {
        "sites_running": "sites",
        "share_of_sites_pct": "%",
        "participations": "visits",
        "hours": "hours",
        "funders": "sites",
        "committed_eur": "EUR",
        "sites": "sites",
    }
    codes = sorted(
        {code for (a, code, _m) in data.profile if a == aspect},
        key=lambda code: (data.labels.get((PROFILE_DOMAINS[aspect], code), {}).get("sort_order", 99), code),
    )
    return [
        {
            "code": code,
            "label": label(data, PROFILE_DOMAINS[aspect], code, lang),
            "values": [formatting.format_value(data.profile.get((aspect, code, m)), units[m], lang) for m in measures],
        }
        for code in codes
    ]


def resources(data: GuideData, lang: str) -> list[dict]:
    """The means a site needs, for all sites: State grant, co-funding leverage, paid jobs, own revenue."""
    rows = []
    for measure, name, unit, indicator in EVIDENCE_MEASURES:
        if measure in ("state_grant_per_site_eur", "cofunding_leverage", "jobs_fte", "own_revenue_pct"):
            rows.append(
                {
                    "measure": measure,
                    "indicator": indicator,
                    "name": measure_name(data, name, indicator, lang),
                    "cell": cell(data.evidence.get(("all", "all", measure, "all")), unit, lang),
                }
            )
    return rows


def cost_table(data: GuideData, lang: str) -> dict:
    """What a hub costs to run in the year and what the State grant covers, for all sites, each DEGURBA class and
    each territorial target: median, interquartile range and number of sites of each measure."""
    _ = gettext_for(lang)
    groups = [("all", "all", _("All sites"))] + [
        (group_type, code, label(data, group_type, code, lang))
        for group_type in GROUP_TYPES
        for code in codes_of(data, group_type)
    ]
    return {
        "columns": [gettext_for(lang)(name) for _measure, name, _unit in COST_MEASURES],
        "measures": [measure for measure, _name, _unit in COST_MEASURES],
        "rows": [
            {
                "group_type": group_type,
                "group_code": group_code,
                "name": name,
                "cells": [
                    cell(data.evidence.get((group_type, group_code, measure, "all")), unit, lang)
                    for measure, _name, unit in COST_MEASURES
                ],
            }
            for group_type, group_code, name in groups
        ],
    }


def measure_name(data: GuideData, name: str | None, indicator: str | None, lang: str) -> str:
    """A measure's name in `lang`: its indicator's catalogue name when it is one, else its own."""
    return gettext_for(lang)(data.catalogue[indicator]["name"] if indicator else name)


def cell(row: dict | None, unit: str, lang: str) -> dict:
    """An evidence cell: median with its interquartile range and number of sites, or why there is no figure."""
    _ = gettext_for(lang)
    if row is None:
        return {
            "reportable": False,
            "median": "",
            "range": "",
            "count": formatting.format_number(0, lang),
            "note": _("no site"),
        }
    count = formatting.format_number(row["site_count"], lang)
    if not row["is_reportable"]:
        return {"reportable": False, "median": "", "range": "", "count": count, "note": _("too few sites")}
    if row["share_pct"] is not None:
        return {
            "reportable": True,
            "median": formatting.format_value(row["share_pct"], "%", lang),
            "range": "",
            "count": count,
            "note": "",
        }
    return {
        "reportable": True,
        "median": formatting.format_value(row["median"], unit, lang),
        "range": " – ".join(formatting.format_value(row[bound], unit, lang) for bound in ("p25", "p75")),
        "count": count,
        "note": "",
    }


def codes_of(data: GuideData, domain: str) -> list[str]:
    """The codes of a code list, in its order."""
    codes = [(row["sort_order"], code) for (list_domain, code), row in data.labels.items() if list_domain == domain]
    return [code for _order, code in sorted(codes)]


def evidence_table(data: GuideData, group_type: str, codes: list[str], lang: str) -> dict:
    _ = gettext_for(lang)
    columns = [("all", "all", _("All sites"))] + [
        (group_type, code, label(data, group_type, code, lang)) for code in codes
    ]
    rows = [
        {
            "measure": measure,
            "indicator": indicator,
            "name": measure_name(data, name, indicator, lang),
            "cells": [cell(data.evidence.get((gt, gc, measure, "all")), unit, lang) for gt, gc, _n in columns],
        }
        for measure, name, unit, indicator in EVIDENCE_MEASURES
    ]
    rows.append(
        {
            "measure": SURVIVAL_MEASURE,
            "indicator": None,
            "name": _("Sites still active after their grant ended"),
            "cells": [cell(data.evidence.get((gt, gc, SURVIVAL_MEASURE, "all")), "%", lang) for gt, gc, _n in columns],
        }
    )
    title = {
        "degurba": _("By degree of urbanisation (DEGURBA)"),
        "territory_target": _("By territorial target declared at selection"),
    }[group_type]
    return {"group_type": group_type, "title": title, "columns": [name for _gt, _gc, name in columns], "rows": rows}


def viability_table(data: GuideData, lang: str) -> dict:
    """Own-revenue share by programme year, for all sites and each DEGURBA class."""
    _ = gettext_for(lang)
    groups = [("all", "all", _("All sites"))] + [
        ("degurba", code, label(data, "degurba", code, lang)) for code in codes_of(data, "degurba")
    ]
    return {
        "bands": [programme_year_label(band, lang) for band in PROGRAMME_YEAR_BANDS],
        "rows": [
            {
                "name": name,
                "cells": [
                    cell(data.evidence.get((gt, gc, "own_revenue_pct", band)), "%", lang)
                    for band in PROGRAMME_YEAR_BANDS
                ],
            }
            for gt, gc, name in groups
        ],
        "first": cell(data.evidence.get(("all", "all", "own_revenue_pct", PROGRAMME_YEAR_BANDS[0])), "%", lang),
        "last": cell(data.evidence.get(("all", "all", "own_revenue_pct", PROGRAMME_YEAR_BANDS[-1])), "%", lang),
    }


def survival_row(data: GuideData, lang: str) -> dict:
    return cell(data.evidence.get(("all", "all", SURVIVAL_MEASURE, "all")), "%", lang)


def eu_rows(data: GuideData, lang: str) -> list[dict]:
    translate = gettext_for(lang)  # texts from the seeds and the EU catalogue: their English is the message
    rows = []
    for row in data.eu_indicators:
        programme = data.catalogue.get(row["programme_indicator_code"], {})
        unit = programme.get("unit", "")
        rows.append(
            {
                "programme_code": row["programme_indicator_code"],
                "programme_name": translate(programme.get("name", row["programme_indicator_code"])),
                "breakdown": breakdown_label(data, row["breakdown_code"], lang),
                "eu_code": row["eu_indicator_code"],
                "eu_name": translate(row["eu_indicator_name"]) if row["eu_indicator_name"] else "",
                "eu_unit": translate(row["measurement_unit"]) if row["measurement_unit"] else "",
                "fit": row["fit"],
                "fit_label": translate(FIT_LABELS[row["fit"]]),
                "value": formatting.format_value(row["value"], unit, lang) if row["fit"] != "none" else "—",
                "note": translate(row["note"]),
            }
        )
    return rows


def scenario_view(data: GuideData, lang: str) -> dict:
    if data.scenario is None:
        return {"error": data.scenario_error}
    inputs = data.scenario.inputs
    mix = ",".join(
        f"{name}={inputs.mix[code]:g}"
        for name, code in (("rural", "3"), ("towns", "2"), ("cities", "1"))
        if code in inputs.mix
    )
    return {
        "error": None,
        "rows": scenario_rows(data.scenario, lang),
        "classes": class_rows(data.scenario, lang),
        "hubs": formatting.format_number(inputs.hubs, lang),
        "grant": formatting.format_eur(inputs.grant_per_hub_eur, lang),
        "years": data.scenario.settings.horizon_years,
        "interval": formatting.format_number(data.scenario.settings.interval_pct, lang),
        "bounds": interval_labels(data.scenario.settings.interval_pct, lang),
        "price_level": formatting.format_number(inputs.price_level, lang, 2),
        "partner": data.partner,
        "replicates": formatting.format_number(data.scenario.settings.replicates, lang),
        "command": (
            f"fabriques transfer scenario --hubs {inputs.hubs} --grant-per-hub "
            f"{inputs.grant_per_hub_eur:g} --mix {mix} --price-level {inputs.price_level:g} --lang {lang}"
        ),
    }


def breakdown_label(data: GuideData, code: str | None, lang: str) -> str:
    """The label of a breakdown code of a mapped indicator (a beneficiary category, a finance line), or ''."""
    for domain in BREAKDOWN_DOMAINS:
        if (domain, code) in data.labels:
            return label(data, domain, code, lang)
    return ""


def label(data: GuideData, domain: str, code: str | None, lang: str) -> str:
    row = data.labels.get((domain, str(code)))
    return gettext_for(lang)(row["label"]) if row else str(code)


def programme_year_label(band: str, lang: str) -> str:
    _ = gettext_for(lang)
    if band.endswith("+"):
        return _("Year %(number)s and after") % {"number": band[:-1]}
    return _("Year %(number)s") % {"number": band}


# ----------------------------------------------------------------------------------------------------------------
# The chart: own revenue by programme year, one line per DEGURBA class


def viability_chart(ctx: ReportContext, data: GuideData, folder: str, lang: str) -> Chart:
    _ = gettext_for(lang)
    groups = [("all", "all", _("All sites"))] + [
        ("degurba", code, label(data, "degurba", code, lang)) for code in codes_of(data, "degurba")
    ]
    series = [
        (
            name,
            [
                (data.evidence.get((group_type, group_code, "own_revenue_pct", band)) or {}).get("median")
                for band in PROGRAMME_YEAR_BANDS
            ],
            group_type == "all",
        )
        for group_type, group_code, name in groups
    ]
    file = transfer_charts.draw_viability(
        ctx.out_dir,
        f"{folder}/viability.{lang}.png",
        series,
        band_labels=[programme_year_label(band, lang) for band in PROGRAMME_YEAR_BANDS],
        y_label=_("median share of own revenue, %"),
        x_label=_("year of the site in the programme"),
        title=_("Does the model become viable? Median share of own revenue by programme year, %(year)s")
        % {"year": data.year},
    )
    table = viability_table(data, lang)
    return Chart(
        file=file.rsplit("/", 1)[-1],
        title=_("Share of own revenue by programme year (median over the sites), %(year)s") % {"year": data.year},
        alt=_(
            "Line chart of the median share of own revenue in the sites' revenue by year of the site in the "
            "programme, for all sites and each degree of urbanisation; it goes from %(first)s in the first year "
            "to %(last)s from the fourth year on for all sites. The table beside the chart gives every figure "
            "with its interquartile range and number of sites."
        )
        % {
            "first": table["first"]["median"] or _("too few sites"),
            "last": table["last"]["median"] or _("too few sites"),
        },
        columns=[_("Sites"), *table["bands"]],
        rows=[
            [row["name"], *[(c["median"] or _("too few sites")) + f" (n = {c['count']})" for c in row["cells"]]]
            for row in table["rows"]
        ],
        indicator_codes=(),
    )
