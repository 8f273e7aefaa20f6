"""What the annual impact report reads from the warehouse, once for every year and language: the indicators, their
breakdowns, the catalogue, the labels, the data-quality annex (fabriques.reports.annual lays them out,
fabriques.reports.annual_charts draws them)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from fabriques.i18n import N_
from fabriques.reports.context import ReportContext

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
    indicators: dict[tuple[str, int, str, str], dict]
    """(indicator_code, year, scope_type, scope_code) -> row of marts.fct_indicators (no site scope)."""
    breakdowns: dict[tuple[str, int], list[dict]]
    """(indicator_code, year) -> national rows of marts.fct_indicator_breakdowns, in display order."""
    catalogue: list[dict]
    """marts.dim_indicator, in display order."""
    labels: dict[tuple[str, str], dict]
    """(domain, code) -> code_lists row (its label in English)."""
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
        (r["domain"], r["code"]): r for r in ctx.rows("select domain, code, sort_order, label from seeds.code_lists")
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
        select suite, table_name, rule, severity, status, unexpected_count, element_count, description_en
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


def as_float(text) -> float | None:
    return None if text is None else float(text)


def sort_key(text: str | None) -> str:
    """Alphabetical order regardless of accents and case (`Île-de-France` among the I)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
