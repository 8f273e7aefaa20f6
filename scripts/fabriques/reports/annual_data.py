"""What the annual impact report reads from the warehouse, once for every year and language: the places of the
report and their indicators, the figures and their breakdowns, the catalogue, the data-quality annex
(fabriques.reports.annual lays them out, fabriques.reports.annual_charts draws them)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from fabriques.i18n import N_, gettext_for
from fabriques.reports import formatting
from fabriques.reports.context import ReportContext

COVERAGE_ROLES = ("sites", "qpv_sites", "rural_sites")
FUNDING_ROLES = (
    "committed",
    "paid",
    "in_bounds",
    "leverage",
    "per_person",
    "grant_bands",
    "cofunding",
    "leverage_to_date",
    "per_person_to_date",
)
ACTIVITY_ROLES = ("people", "participations", "hours", "beneficiaries")
JOBS_ROLES = ("paid", "created", "places")
LIMITATIONS_ROLES = ("reporting",)
"""The places of the report's sections that hold one indicator each (seed annual_report_figures names it); the
list places are `key_figures`/`figure` and the `column` of `regions`, `territory_target` and `degurba`."""


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


@dataclass
class WarehouseData:
    places: dict[tuple[str, str], list[dict]]
    """(section, role) -> rows of marts.rpt_annual_report_figures: the indicators shown there, in display order."""
    indicators: dict[tuple[str, int, str, str], dict]
    """(indicator_code, year, scope_type, scope_code) -> row of marts.rpt_annual_report_indicators."""
    breakdowns: dict[tuple[str, int], list[dict]]
    """(indicator_code, year) -> rows of marts.rpt_annual_report_breakdowns, in display order."""
    catalogue: list[dict]
    """marts.dim_indicator, in display order."""
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
    targets: dict[int, list[dict]] = field(default_factory=dict)
    """year -> the national rows of marts.rpt_scorecard that have a target (value, gap, status), in catalogue order."""
    input_totals: dict[int, dict] = field(default_factory=dict)
    """year -> rows read and quarantined in the campaigns of the year, all tables, with the quarantined share."""

    def codes(self, section: str, role: str) -> list[str]:
        """The indicators of a list place of the report (`key_figures`/`figure`, `regions`/`column`, …)."""
        return [row["indicator_code"] for row in self.places.get((section, role), [])]

    def code(self, section: str, role: str) -> str:
        """The indicator of a sentence or chart place (`funding`/`committed`, …); seed annual_report_figures."""
        codes = self.codes(section, role)
        if len(codes) != 1:
            raise ValueError(
                f"seeds/annual_report_figures.csv: the place {section}/{role} of the annual report needs exactly one "
                f"indicator and has {len(codes)}; give it one row"
            )
        return codes[0]

    country: str = ""
    """The national scope's code (the programme's country)."""

    def indicator(self, code: str, year: int, scope_type: str = "national", scope_code: str | None = None):
        return self.indicators.get((code, year, scope_type, scope_code or self.country))

    def value(self, code: str, year: int, scope_type: str = "national", scope_code: str | None = None):
        row = self.indicator(code, year, scope_type, scope_code)
        return row["value"] if row else None

    def scope_codes(self, code: str, year: int, scope_type: str) -> list[str]:
        return sorted(key[3] for key in self.indicators if key[0] == code and key[1] == year and key[2] == scope_type)

    def scope_name(self, code: str, year: int, scope_type: str, scope_code: str) -> str:
        row = self.indicator(code, year, scope_type, scope_code)
        return (row or {}).get("scope_name") or scope_code


def load(ctx: ReportContext) -> WarehouseData:
    places: dict[tuple[str, str], list[dict]] = {}
    for row in ctx.rows("select * from marts.rpt_annual_report_figures order by section, sort_order"):
        places.setdefault((row["section"], row["role"]), []).append(row)
    indicators = {
        (r["indicator_code"], r["year"], r["scope_type"], r["scope_code"]): r
        for r in ctx.rows("select * from marts.rpt_annual_report_indicators")
    }
    breakdowns: dict[tuple[str, int], list[dict]] = {}
    for row in ctx.rows(
        "select * from marts.rpt_annual_report_breakdowns "
        "order by indicator_code, year, breakdown_type, breakdown_sort_order, breakdown_code"
    ):
        breakdowns.setdefault((row["indicator_code"], row["year"]), []).append(row)
    catalogue = ctx.rows("select * from marts.dim_indicator order by sort_order, indicator_code")
    parameters = {r["parameter"]: r["value"] for r in ctx.rows("select parameter, value from programme.parameters")}
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
        select suite, table_name, rule, severity, status, unexpected_count, element_count, description_en
        from validation.results
        where run_id = {latest_run} and not success
        order by severity, suite, rule""")
    check_count = ctx.value(f"select count(*) from validation.results where run_id = {latest_run}") or 0
    # the tile map's layout is France's (seed region_tiles): a programme with its own territory file has none
    region_tiles = (
        {}
        if parameters.get("territories.file")
        else {
            r["region_code"]: r
            for r in ctx.rows("select region_code, tile_column, tile_row, tile_label from seeds.region_tiles")
        }
    )
    years_with_reports = {r["year"] for r in ctx.rows("select year from marts.dim_year where has_site_reports")}
    targets: dict[int, list[dict]] = {}
    for row in ctx.rows(
        "select * from marts.rpt_scorecard where scope_type = 'national' and target_value is not null "
        "order by year, sort_order, indicator_code"
    ):
        targets.setdefault(row["year"], []).append(row)
    input_totals = {
        row["reporting_year"]: row
        for row in ctx.rows("""
            select reporting_year, sum(rows_read) as rows_read, sum(rows_quarantined) as rows_quarantined,
                100.0 * sum(rows_quarantined) / nullif(sum(rows_read), 0) as quarantined_pct
            from marts.rpt_input_files_by_table
            group by reporting_year""")
    }
    return WarehouseData(
        places,
        indicators,
        breakdowns,
        catalogue,
        parameters,
        quarantine,
        files,
        checks,
        check_count,
        region_tiles,
        years=list(ctx.years),
        years_with_reports=years_with_reports,
        targets=targets,
        input_totals=input_totals,
        country=parameters["country"],
    )


def region_rows(data: WarehouseData, year: int) -> list[dict]:
    """The regions holding a labelled site, most sites first (then by name), with the figures of the regions table."""
    sites = data.code("coverage", "sites")
    columns = data.codes("regions", "column")
    rows = []
    for code in data.scope_codes(sites, year, "region"):
        rows.append(
            {
                "code": code,
                "name": data.scope_name(sites, year, "region", code),
                "sites": data.value(sites, year, "region", code),
                "values": {c: data.value(c, year, "region", code) for c in columns},
            }
        )
    return sorted(rows, key=lambda r: (-(r["sites"] or 0), sort_key(r["name"])))


def short_code(indicator_code: str) -> str:
    """The code a chart prints for an indicator: its prefix, up to the first underscore."""
    return indicator_code.split("_", 1)[0]


def as_float(text) -> float | None:
    return None if text is None else float(text)


def sort_key(text: str | None) -> str:
    """Alphabetical order regardless of accents and case (`Île-de-France` among the I)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def indicator_name(data: WarehouseData, code: str, lang: str) -> str:
    for indicator in data.catalogue:
        if indicator["indicator_code"] == code:
            return gettext_for(lang)(indicator["name"])
    return code


def breakdown_label(row: dict, lang: str) -> str:
    """The label of a breakdown's code (code_lists, through the catalogues), or the code."""
    return gettext_for(lang)(row["breakdown_label"]) if row["breakdown_label"] else row["breakdown_code"]


def programme_year_label(row: dict, lang: str) -> str:
    _ = gettext_for(lang)
    if row["breakdown_upper"] is None:
        return _("Year %(number)s and after") % {"number": formatting.format_number(row["breakdown_lower"], lang)}
    return _("Year %(number)s") % {"number": row["breakdown_code"]}
