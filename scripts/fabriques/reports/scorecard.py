"""The ministry scorecard: the success indicators against their targets, per year, in French and English.

Everything shown comes from marts.rpt_scorecard (models/marts/scorecard.sql computes the gap, the trajectory and the
status). One page per year of the warehouse (`scorecard/<year>/scorecard.<lang>.html`), the reporting year's
also printed to PDF, and the scorecard of every year as a spreadsheet (`.xlsx`, one sheet) and a `.csv`, with
every text cell that a spreadsheet would run as a formula neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

from fabriques.export import format_number, neutralise_formula, published_number
from fabriques.i18n import N_, gettext_for, languages_of
from fabriques.reports import formatting
from fabriques.reports.context import Page, ReportContext
from fabriques.reports.pages import other_versions, render_page

SCOPE_ORDER = {"national": 0, "territory_target": 1, "region": 2}
FIXED_TIMESTAMP = dt.datetime(1980, 1, 1)
"""Creation and modification time written into every workbook (and its zip entries, whose format starts on this
day): same data, same bytes."""


EXPORT_COLUMNS = (
    # (key in the row, header: an English msgid of scorecard.po)
    ("year", N_("Year")),
    ("indicator_code", N_("Indicator code")),
    ("indicator_name", N_("Indicator")),
    ("unit", N_("Unit")),
    ("scope_type", N_("Scope type")),
    ("scope_code", N_("Scope code")),
    ("scope_name", N_("Scope")),
    ("value", N_("Value")),
    ("empty_reason", N_("Why the value is empty")),
    ("target_comparator", N_("Target comparator")),
    ("target_value", N_("Target")),
    ("target_from_year", N_("Target from year")),
    ("is_target_in_force", N_("Target in force")),
    ("expected_value", N_("Expected by the trajectory")),
    ("gap", N_("Gap (value − target)")),
    ("status", N_("Status code")),
    ("status_label", N_("Status")),
)


def build(ctx: ReportContext) -> list[Page]:
    rows_by_year: dict[int, list[dict]] = defaultdict(list)
    for row in ctx.rows("select * from marts.rpt_scorecard order by year, sort_order, scope_type, scope_code"):
        rows_by_year[row["year"]].append(row)
    start_year = ctx.value(
        "select cast(value as integer) from programme.parameters where parameter = 'programme_start_year'"
    )
    territory_targets = [
        (row["code"], row["short_label"])
        for row in ctx.rows(
            "select code, coalesce(short_label, label) as short_label from staging.stg_programme__code_lists "
            "where domain = 'territory_target' order by sort_order"
        )
    ]
    years = [year for year in ctx.years if year in rows_by_year]
    pages = []
    for year in sorted(years, reverse=True):
        folder = f"scorecard/{year}"
        for lang in languages_of("scorecard", ctx.report_languages):
            _ = gettext_for(lang)
            rows = sorted(rows_by_year[year], key=_row_order)
            stem = f"{folder}/scorecard.{lang}"
            exported = export_rows(rows, lang)
            write_xlsx(ctx.out_dir / f"{stem}.xlsx", exported, lang)
            write_csv(ctx.out_dir / f"{stem}.csv", exported, lang)
            title = _("Ministry scorecard %(year)s") % {"year": year}
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
                **page_view(rows, lang, territory_targets),
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


def page_view(rows: list[dict], lang: str, territory_targets: list[tuple[str, str]]) -> dict:
    """What the template shows: indicators at national scope with their values for each territorial target (the
    programme's code list territory_target, in its order: code and short label), and the success indicators by
    region."""
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
                "territory_targets": {},
            },
        )
        if row["scope_type"] == "national":
            gap = formatting.format_gap(row["gap"], row["unit"], lang)
            entry["national"] = dict(row, gap_text=gap, raw_value=_raw(row["value"]))
        elif row["scope_type"] == "territory_target":
            entry["territory_targets"][row["scope_code"]] = row["value"]
        elif row["scope_type"] == "region" and row["is_success_indicator"]:
            region = regions.setdefault(
                row["scope_code"], {"code": row["scope_code"], "name": _scope_name(row, lang), "values": {}}
            )
            region["values"][code] = row["value"]
    indicators = [i for i in by_indicator.values() if i["national"] is not None]
    success = [i for i in indicators if i["is_success"]]
    _ = gettext_for(lang)
    territory_names = {
        row["scope_code"]: _scope_name(row, lang) for row in rows if row["scope_type"] == "territory_target"
    }
    return {
        "has_site_reports": not any(row["empty_reason"] == "no_site_reports" for row in rows),
        "success_indicators": success,
        "other_indicators": [i for i in indicators if not i["is_success"]],
        "territory_targets": [
            (code, territory_names.get(code, code), _(short_label)) for code, short_label in territory_targets
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


def export_rows(rows: list[dict], lang: str) -> list[dict]:
    return [
        dict(
            row,
            indicator_name=_name(row, lang),
            scope_name=_scope_name(row, lang),
            status_label=status_label(row["status"], lang, row["year"]),
        )
        for row in rows
    ]


def export_header(lang: str) -> list[str]:
    _ = gettext_for(lang)
    return [_(label) for _key, label in EXPORT_COLUMNS]


def export_cells(row: dict) -> list[object]:
    """The row's cells: numbers stay numbers at the published precision, every text is neutralised against formula
    injection."""
    cells = []
    for key, _label in EXPORT_COLUMNS:
        value = row.get(key)
        if isinstance(value, str):
            value = neutralise_formula(value)
        elif isinstance(value, float):
            value = published_number(value)
        cells.append(value)
    return cells


def write_csv(path: Path, rows: list[dict], lang: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise_formula(h) for h in export_header(lang)])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in export_cells(row)])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_number(value)
    return value


def write_xlsx(path: Path, rows: list[dict], lang: str) -> Path:
    """One sheet, a header row, numbers as numbers; byte-stable (fixed document times and zip entry times)."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    _ = gettext_for(lang)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Scorecard")[:31]
    header = export_header(lang)
    sheet.append([neutralise_formula(h) for h in header])
    for row in rows:
        sheet.append(export_cells(row))
    sheet.freeze_panes = "A2"
    for index, label in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(10, min(40, len(label) + 2))
    workbook.properties.creator = "fabriques"
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()  # save_workbook() would stamp the current time
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_with_fixed_entry_times(buffer.getvalue()))
    return path


def _with_fixed_entry_times(data: bytes) -> bytes:
    """The same zip archive with every entry dated FIXED_TIMESTAMP (zipfile dates entries with the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


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
