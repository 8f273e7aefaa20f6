"""`fabriques template`: a report workbook made for each site of a campaign's registry, for the next year.

Everything in it comes from the declarations the ingestion applies: the contract's tables and columns, with the
programme's bounds (`programme.input_table`) and code lists. A site finds its id and the year filled in, one row
per code where a table is keyed by a code, drop-down lists and number checks on the cells to fill, a comment on
each column, and in grey the values the campaign loaded for the year before (to the right of a blank column,
under headers the ingestion does not read: never loaded back). Every other cell is locked.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fabriques import contract, programme
from fabriques.contract import MAX_TEXT_LENGTH, SITE_REPORT_TABLES, Column, Table, canonical_id
from fabriques.i18n import gettext_for
from fabriques.ingest.campaign import CheckedCampaign, check_campaign
from fabriques.ingest.headers import map_header, table_for_name
from fabriques.ingest.rows import Row
from fabriques.site_files import site_file_names
from fabriques.stable_workbooks import save_stable

NETWORK_ROWS = 30
"""Blank rows of the network sheet at least (twice last year's places when more)."""
LISTS_SHEET = "lists"
"""The hidden sheet of allowed codes that the drop-down lists read; its headers name no column of a table, so
the ingestion lists it as no table."""
REFERENCE_FILL = PatternFill("solid", fgColor="E7E6E6")
REFERENCE_FONT = Font(color="404040", italic=True)
HEADER_FONT = Font(bold=True)
INPUT = Protection(locked=False)
INPUT_KINDS = (contract.INTEGER, contract.DECIMAL, contract.MONEY, contract.TEXT, contract.COMMUNE, contract.CODE)


class TemplateProblem(Exception):
    """The campaign gives no site to write a template for, or the output folder cannot be used."""


def write_templates(campaign_dir: Path, year: int, out_dir: Path, lang: str) -> list[Path]:
    """One workbook per site of the campaign's registry (the rows the ingestion would load), in `out_dir`."""
    if not campaign_dir.is_dir():
        raise TemplateProblem(f"{campaign_dir}: not a campaign folder")
    if out_dir.resolve().is_relative_to(campaign_dir.resolve()):
        raise TemplateProblem(f"{out_dir}: inside the campaign; the templates would be read as its reports")
    campaign = check_campaign(campaign_dir)
    sites = sorted(campaign.rows["registry"], key=lambda row: canonical_id(row.values["site_id"]))
    if not sites:
        raise TemplateProblem(f"{campaign_dir}: the registry yields no usable site (run `fabriques check` on it)")
    previous = previous_rows(campaign, year - 1)
    names = site_file_names([str(row.values["site_id"]) for row in sites])
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for site in sites:
        site_id = str(site.values["site_id"])
        path = out_dir / f"{names[site_id]}.xlsx"
        workbook = site_workbook(site, year, previous.get(canonical_id(site_id), {}), lang)
        written.append(save_stable(workbook, path))  # the same campaign gives the same bytes
    return written


def previous_rows(campaign: CheckedCampaign, year: int) -> dict[str, dict[str, list[Row]]]:
    """The rows the campaign would load for `year`: site (canonical id) -> table -> rows."""
    by_site: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for table in SITE_REPORT_TABLES:
        for row in campaign.rows[table]:
            if row.values["year"] == year:
                by_site[canonical_id(row.values["site_id"])][table].append(row)
    return by_site


def site_workbook(site: Row, year: int, previous: dict[str, list[Row]], lang: str) -> Workbook:
    _ = gettext_for(lang)
    in_force = programme.current()
    site_id = str(site.values["site_id"])
    workbook = Workbook()
    properties = workbook.properties
    properties.title = _("Annual report %(year)s: %(site)s") % {"year": year, "site": site.values["site_name"]}
    properties.language = lang
    properties.creator = in_force.settings["publication"]["evaluator_name"]
    instructions = workbook.active
    languages = [lang, *(other for other in in_force.settings["programme"]["report_languages"] if other != lang)]
    for index, language in enumerate(languages):
        sheet = instructions if index == 0 else workbook.create_sheet()
        translate = gettext_for(language)
        sheet.title = translate("Instructions") + ("" if index == 0 else f" ({language})")
        write_instructions(sheet, site, year, language)
    lists = workbook.create_sheet(LISTS_SHEET)
    list_ranges = write_lists(lists, site_id, year)
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    for name in SITE_REPORT_TABLES:
        table = in_force.input_table(name)
        sheet = workbook.create_sheet(name)
        write_report_sheet(sheet, table, site_id, year, previous.get(name, []), list_ranges, lang)
    for name in SITE_REPORT_TABLES:
        table = in_force.input_table(name)
        if code_column(table) is None and name != "site_year" and previous.get(name):
            write_previous_rows(workbook.create_sheet(), table, year - 1, previous[name], lang)
    workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames))
    return workbook


# ---- the report sheets ------------------------------------------------------------------------------------------


def code_column(table: Table) -> Column | None:
    """The code a table is keyed by (activity type, category, line): one row per allowed code."""
    rest = [table.column(name) for name in table.key if name not in ("site_id", "year")]
    return rest[0] if len(rest) == 1 and rest[0].kind == contract.CODE else None


def codes_of(domain: str) -> list[dict[str, str]]:
    """The domain's codes with their English label, in the programme's order."""
    rows = [row for row in programme.current().tables["code_lists.csv"] if row["domain"] == domain]
    return sorted(rows, key=lambda row: (int(row["sort_order"]), row["code"]))


def write_report_sheet(
    sheet, table: Table, site_id: str, year: int, previous: list[Row], list_ranges: dict[str, str], lang: str
) -> None:
    """Headers as the contract names them, the rows to fill, and last year's values to the right, in grey."""
    _ = gettext_for(lang)
    inputs = [column for column in table.columns if column.name not in ("site_id", "year")]
    keyed_by = code_column(table)
    measures = [column for column in inputs if column is not keyed_by]
    header = [column.name for column in table.columns]
    reference_start = len(header) + 2  # one blank column between what is filled and what is for reference
    reference_header = ([_("label")] if keyed_by else []) + [
        _("%(column)s in %(year)s (for reference)") % {"column": column.name, "year": year - 1} for column in measures
    ]
    for position, name in enumerate(header, start=1):
        cell = put(sheet, 1, position, name)
        cell.font = HEADER_FONT
        cell.comment = Comment(column_comment(table.column(name), table, lang), "fabriques", width=320, height=160)
    if keyed_by is None and table.name != "site_year":
        reference_header = []
    for offset, name in enumerate(reference_header):
        cell = put(sheet, 1, reference_start + offset, name)
        cell.font, cell.fill = Font(bold=True, color="404040"), REFERENCE_FILL
    if map_header(table, [*header, "", *reference_header]) != {name: i for i, name in enumerate(header)}:
        raise TemplateProblem(f"{table.name}: a reference header reads as a column of the table; rename it")

    free_rows = keyed_by is None and table.name != "site_year"
    if keyed_by is not None:
        last_year = {str(row.values[keyed_by.name]): row for row in previous}
        lines = [(code["code"], code["label"], last_year.get(code["code"])) for code in codes_of(keyed_by.domain or "")]
    elif not free_rows:
        lines = [(None, None, previous[0] if previous else None)]
    else:  # a row beside last year's values would not be blank: they are on a sheet of their own
        lines = [(None, None, None)] * max(NETWORK_ROWS, 2 * len(previous))
    for number, (code, label, reference) in enumerate(lines, start=2):
        for position, column in enumerate(table.columns, start=1):
            cell = sheet.cell(number, position)
            if column.name == "site_id" and not free_rows:
                put(sheet, number, position, site_id)
            elif column.name == "year" and not free_rows:
                cell.value = year
            elif column is keyed_by:
                cell.value = code
            else:
                cell.protection = INPUT
                if column.kind == contract.MONEY:
                    cell.number_format = "#,##0.00"
        if label is not None:
            cell = put(sheet, number, reference_start, gettext_for(lang)(label))
            cell.fill, cell.font = REFERENCE_FILL, REFERENCE_FONT
        first_measure = reference_start + (1 if keyed_by else 0)
        for offset, column in enumerate(measures if reference_header else []):
            value = reference.values.get(column.name) if reference is not None else None
            cell = put(sheet, number, first_measure + offset, _reference_value(value))
            cell.fill, cell.font = REFERENCE_FILL, REFERENCE_FONT
    last = len(lines) + 1
    for position, column in enumerate(table.columns, start=1):
        letter = get_column_letter(position)
        if column.name in ("site_id", "year") and not free_rows:
            continue
        validation = cell_validation(column, list_ranges, lang)
        if validation is not None and column is not keyed_by:
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last}")
        sheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
    if keyed_by is not None:
        sheet.column_dimensions[get_column_letter(reference_start)].width = 36
    for offset in range(len(reference_header) - bool(keyed_by)):
        sheet.column_dimensions[get_column_letter(reference_start + offset + bool(keyed_by))].width = 22
    if table.name == "network":
        sheet.column_dimensions["C"].width = 40
    sheet.freeze_panes = "A2"
    protect(sheet)


def write_previous_rows(sheet, table: Table, year: int, rows: list[Row], lang: str) -> None:
    """Last year's rows of a table without one row per code (the places supported), for reference: on a sheet of
    their own, under headers the ingestion does not read, so that a blank row to fill stays blank."""
    _ = gettext_for(lang)
    sheet.title = (_("%(year)s, for reference") % {"year": year})[:31]
    if table_for_name(sheet.title) is not None:
        raise TemplateProblem(f"{sheet.title}: the sheet's name reads as a table's; rename it")
    columns = [column for column in table.columns if column.name not in ("site_id", "year")]
    header = [_("%(column)s in %(year)s (for reference)") % {"column": c.name, "year": year} for c in columns]
    for position, name in enumerate(header, start=1):
        cell = put(sheet, 1, position, name)
        cell.font, cell.fill = Font(bold=True, color="404040"), REFERENCE_FILL
        sheet.column_dimensions[get_column_letter(position)].width = 40
    for number, row in enumerate(rows, start=2):
        for position, column in enumerate(columns, start=1):
            cell = put(sheet, number, position, _reference_value(row.values.get(column.name)))
            cell.fill, cell.font = REFERENCE_FILL, REFERENCE_FONT
    sheet.protection.sheet = True


def put(sheet, row: int, column: int, value: object = None):
    """Write a cell: a text that starts with `=` (a site's name, say) stays a text, never a formula."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def _reference_value(value: object) -> object:
    """Last year's value as the cell shows it: a number stays a number, a date its ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def protect(sheet) -> None:
    """Every cell locked but the cells to fill; columns may still be widened and the sheet sorted or filtered."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False


def column_comment(column: Column, table: Table, lang: str) -> str:
    _ = gettext_for(lang)
    rule = rule_text(column, lang)
    description = _(column.description) if column.description else ""
    return "\n".join(part for part in (f"{column.name}: {description}", rule) if part)


def rule_text(column: Column, lang: str) -> str:
    """What the ingestion accepts in the column, in words (the data validation's message says the same)."""
    _ = gettext_for(lang)
    low, high = column.minimum, column.maximum
    if column.kind == contract.CODE:
        return _("One of the codes of the drop-down list.")
    if column.kind == contract.COMMUNE:
        return _("The commune's code as the programme's territory list gives it (for France, the INSEE code).")
    if column.kind == contract.TEXT:
        return _("A text of at most %(length)s characters.") % {"length": MAX_TEXT_LENGTH}
    if column.kind == contract.YEAR:
        return _("The year, filled in.")
    whole = column.kind == contract.INTEGER
    if column.strictly_positive:
        return _("A number above 0.")
    if low is not None and high is not None:
        text = _("A whole number from %(low)s to %(high)s.") if whole else _("A number from %(low)s to %(high)s.")
    elif low is not None:
        text = _("A whole number of %(low)s or more.") if whole else _("A number of %(low)s or more.")
    elif high is not None:
        text = _("A whole number of at most %(high)s.") if whole else _("A number of at most %(high)s.")
    else:
        text = _("A whole number.") if whole else _("A number.")
    return text % {"low": _number(low), "high": _number(high)}


def _number(bound: float | None) -> str:
    return "" if bound is None else f"{bound:g}"


def cell_validation(column: Column, list_ranges: dict[str, str], lang: str) -> DataValidation | None:
    """The spreadsheet's own check of a cell to fill: the contract's kind and the programme's bounds."""
    _ = gettext_for(lang)
    message = rule_text(column, lang)
    common = {
        "allow_blank": not column.required,
        "showErrorMessage": True,
        "errorTitle": column.name,
        "error": message,
        "showInputMessage": True,
        "promptTitle": column.name,
        "prompt": message[:255],
    }
    if column.kind == contract.CODE:
        return DataValidation(type="list", formula1=list_ranges[column.domain or ""], **common)
    if column.name in list_ranges:  # the site and the year of a network row: one choice each
        return DataValidation(type="list", formula1=list_ranges[column.name], **common)
    if column.kind == contract.TEXT:
        return DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT_LENGTH), **common)
    if column.kind not in (contract.INTEGER, contract.DECIMAL, contract.MONEY):
        return None
    kind = "whole" if column.kind == contract.INTEGER else "decimal"
    low = 0 if column.strictly_positive else column.minimum
    if column.strictly_positive:
        return DataValidation(type=kind, operator="greaterThan", formula1="0", **common)
    if low is not None and column.maximum is not None:
        return DataValidation(
            type=kind, operator="between", formula1=_number(low), formula2=_number(column.maximum), **common
        )
    if low is not None:
        return DataValidation(type=kind, operator="greaterThanOrEqual", formula1=_number(low), **common)
    if column.maximum is not None:
        return DataValidation(type=kind, operator="lessThanOrEqual", formula1=_number(column.maximum), **common)
    return None


def write_lists(sheet, site_id: str, year: int) -> dict[str, str]:
    """The codes of every list a report sheet uses, one column each, and the site and the year: domain (or
    `site_id`, `year`) -> the range a drop-down reads."""
    domains = sorted(
        {c.domain for name in SITE_REPORT_TABLES for c in contract.TABLES_BY_NAME[name].columns if c.domain}
    )
    columns = [(f"list of {domain}", domain, [row["code"] for row in codes_of(domain)]) for domain in domains]
    columns += [("list of sites", "site_id", [site_id]), ("list of years", "year", [year])]
    ranges = {}
    for position, (title, key, values) in enumerate(columns, start=1):
        letter = get_column_letter(position)
        put(sheet, 1, position, title)
        for number, value in enumerate(values, start=2):
            put(sheet, number, position, value)
        ranges[key] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


# ---- the instructions -------------------------------------------------------------------------------------------


def write_instructions(sheet, site: Row, year: int, lang: str) -> None:
    """How to fill the workbook, in `lang`: one paragraph per row (no row names two columns, so the ingestion
    reads the sheet as no table), then each sheet's columns with what they hold."""
    _ = gettext_for(lang)
    settings = programme.current().settings
    lines: list[tuple[str, bool]] = [
        (
            _("Annual report %(year)s of %(site)s (%(site_id)s), %(programme)s")
            % {
                "year": year,
                "site": site.values["site_name"],
                "site_id": site.values["site_id"],
                "programme": programme.current().name(lang),
            },
            True,
        ),
        ("", False),
        (
            _(
                "1. Fill the white cells of the sheets site_year, activities, beneficiaries, finances and network. "
                "The site and the year are filled in; the grey cells show, for reference, what was loaded for "
                "%(previous)s: they are never read back."
            )
            % {"previous": year - 1},
            False,
        ),
        (
            _(
                "2. Fill every white cell of a row that is filled in: write 0 where there was none. A row with an "
                "empty cell is set aside."
            ),
            False,
        ),
        (
            _(
                "3. Numbers only, without units: the drop-down lists and the number checks of each cell accept what "
                "the warehouse accepts. The comment on each header says what the column holds."
            ),
            False,
        ),
        (
            _(
                "4. In network, one row per smaller place the site supported in %(year)s: choose the site and the "
                "year in their lists, then write the place's name, its commune code and the type of support. Leave "
                "the other rows empty."
            )
            % {"year": year},
            False,
        ),
        (
            _(
                "5. The people of a category (beneficiaries) may not be more than the site's people_total "
                "(site_year), except organisations."
            ),
            False,
        ),
        (
            _(
                "6. Before sending, check the file with the warehouse's own rules: `fabriques check` on this file "
                "lists every cell to correct (the evaluator can run it for you). Then send it to %(evaluator)s "
                "(%(contact)s), as it is: do not rename the sheets or the headers."
            )
            % {
                "evaluator": settings["publication"]["evaluator_name"],
                "contact": settings["publication"]["evaluator_contact"],
            },
            False,
        ),
        ("", False),
        (_("The columns"), True),
    ]
    for name in SITE_REPORT_TABLES:
        table = programme.current().input_table(name)
        for column in table.columns:
            lines.append((f"{name}.{column.name}: {column_comment(column, table, lang).split(': ', 1)[1]}", False))
    for number, (text, bold) in enumerate(lines, start=1):
        cell = put(sheet, number, 1, text)
        if bold:
            cell.font = HEADER_FONT
    sheet.column_dimensions["A"].width = 140
    sheet.protection.sheet = True
