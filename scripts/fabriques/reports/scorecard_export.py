"""The scorecard as ministries open it: a workbook (XLSX) and a CSV for spreadsheets, in each language.

The rows come ready from `scorecard.export_rows` (names, labels and the status's rule in the language). The
workbook has one sheet per scope family (national, by territorial target, by DEGURBA class, by region) and a
definitions sheet; each sheet has a styled header, frozen panes, an autofilter, widths that fit and a number
format per unit. The CSV is written as the language's spreadsheet reads it: `;` and a decimal comma where the
language writes decimals with a comma, UTF-8 with a byte order mark. Numbers are the published ones (6 decimals,
as in indicators.csv); every text cell that a spreadsheet would run as a formula is neutralised. Same rows, same
bytes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from babel.numbers import get_decimal_symbol

from fabriques.export import format_number, neutralise_formula, published_number
from fabriques.i18n import N_, babel_locale, gettext_for
from fabriques.reports.formatting import spreadsheet_format
from fabriques.stable_workbooks import save_stable

"""Creation and modification time written into every workbook (and its zip entries, whose format starts on this
day): same data, same bytes."""

EXPORT_COLUMNS = (
    # (key in the row, header: an English msgid of scorecard.po, how a number of the column is formatted)
    ("year", N_("Year"), "year"),
    ("indicator_code", N_("Indicator code"), None),
    ("indicator_name", N_("Indicator"), None),
    ("unit", N_("Unit"), None),
    ("scope_type", N_("Scope type"), None),
    ("scope_code", N_("Scope code"), None),
    ("scope_name", N_("Scope"), None),
    ("value", N_("Value"), "value"),
    ("empty_reason_text", N_("Why the value is empty"), None),
    ("previous_value", N_("Value of the year before"), "value"),
    ("change", N_("Change since the year before"), "difference"),
    ("target_comparator", N_("Target comparator"), None),
    ("target_value", N_("Target"), "value"),
    ("target_from_year", N_("Target from year"), "year"),
    ("is_target_in_force", N_("Target in force"), None),
    ("expected_value", N_("Expected by the trajectory"), "value"),
    ("gap", N_("Gap (value − target)"), "difference"),
    ("status", N_("Status code"), None),
    ("status_label", N_("Status"), None),
    ("status_rule", N_("Why this status"), None),
)

SHEETS = (
    ("national", N_("National")),
    ("territory_target", N_("By territorial target")),
    ("degurba", N_("By degree of urbanisation")),
    ("region", N_("By region")),
)
"""One sheet per scope family, in this order; a row of another scope type goes to a sheet of its own name."""

DEFINITION_COLUMNS = (
    ("indicator_code", N_("Indicator code")),
    ("name", N_("Indicator")),
    ("definition", N_("Definition")),
    ("unit", N_("Unit")),
    ("target", N_("Target")),
    ("target_source", N_("Source of the target")),
)

HEADER_FILL = "1F3A5F"
MAX_WIDTH = 60
"""Widest a column gets (characters); longer texts wrap."""


def export_header(lang: str) -> list[str]:
    _ = gettext_for(lang)
    return [_(label) for _key, label, _kind in EXPORT_COLUMNS]


def export_cells(row: dict) -> list[object]:
    """The row's cells: numbers stay numbers at the published precision, every text is neutralised against formula
    injection."""
    cells = []
    for key, _label, _kind in EXPORT_COLUMNS:
        value = row.get(key)
        if isinstance(value, str):
            value = neutralise_formula(value)
        elif isinstance(value, float):
            value = published_number(value)
        cells.append(value)
    return cells


def csv_dialect(lang: str) -> tuple[str, str]:
    """(delimiter, decimal separator) of the language's spreadsheets: a language that writes decimals with a comma
    separates fields with `;`."""
    decimal = get_decimal_symbol(babel_locale(lang))
    return (";" if decimal == "," else ","), decimal


def write_csv(path: Path, rows: list[dict], lang: str) -> Path:
    """The rows as the language's spreadsheet opens a CSV: its delimiter and decimal separator, UTF-8 with BOM."""
    delimiter, decimal = csv_dialect(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise_formula(h) for h in export_header(lang)])
    for row in rows:
        writer.writerow([_csv_cell(cell, decimal) for cell in export_cells(row)])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    return path


def _csv_cell(value: object, decimal: str) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_number(value).replace(".", decimal)
    return value


def write_xlsx(
    path: Path, rows: list[dict], lang: str, definitions: list[dict] | None = None, title: str = "", subject: str = ""
) -> Path:
    """One sheet per scope family and a definitions sheet; byte-stable (fixed document times and zip entry
    times)."""
    from openpyxl import Workbook

    _ = gettext_for(lang)
    workbook = Workbook()
    workbook.remove(workbook.active)
    by_scope: dict[str, list[dict]] = {}
    for row in rows:
        by_scope.setdefault(row.get("scope_type") or "national", []).append(row)
    sheet_names = dict(SHEETS)
    for scope_type in [s for s, _name in SHEETS if s in by_scope] + [s for s in by_scope if s not in sheet_names]:
        sheet = workbook.create_sheet(_sheet_title(_(sheet_names.get(scope_type, scope_type))))
        _write_table(
            sheet, export_header(lang), [export_cells(r) for r in by_scope[scope_type]], by_scope[scope_type], lang
        )
    if not by_scope:
        sheet = workbook.create_sheet(_sheet_title(_(SHEETS[0][1])))
        _write_table(sheet, export_header(lang), [], [], lang)
    if definitions is not None:
        sheet = workbook.create_sheet(_sheet_title(_("Definitions")))
        header = [_(label) for _key, label in DEFINITION_COLUMNS]
        cells = [[_text(d.get(key)) for key, _label in DEFINITION_COLUMNS] for d in definitions]
        _write_table(sheet, header, cells, None, lang, wrap_widest=True)
    properties = workbook.properties
    properties.creator = "fabriques"
    properties.title = title
    properties.subject = subject
    properties.language = lang
    properties.keywords = ", ".join(k for k in (subject, title) if k)
    return save_stable(workbook, path)


def _write_table(sheet, header: list[str], cells: list[list], rows: list[dict] | None, lang: str, wrap_widest=False):
    """A header row styled as a header, the cells, frozen panes under the header and beside the first column, an
    autofilter, number formats from each row's unit, and widths that fit the longest text of each column."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append([neutralise_formula(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, row_cells in enumerate(cells):
        sheet.append(row_cells)
        if rows is None:
            continue
        unit = rows[index].get("unit") or ""
        for column, (_key, _label, kind) in enumerate(EXPORT_COLUMNS, start=1):
            if kind in ("value", "difference"):
                sheet.cell(row=index + 2, column=column).number_format = spreadsheet_format(
                    unit, lang, difference=kind == "difference"
                )
            elif kind == "year":
                sheet.cell(row=index + 2, column=column).number_format = "0"
    sheet.freeze_panes = "B2"
    last = get_column_letter(len(header))
    sheet.auto_filter.ref = f"A1:{last}{max(len(cells) + 1, 2)}"
    for column, label in enumerate(header, start=1):
        longest = max([len(_shown(row[column - 1])) for row in cells] + [min(len(label), 24)])
        width = min(MAX_WIDTH, longest + 3)
        sheet.column_dimensions[get_column_letter(column)].width = max(8, width)
        if wrap_widest and longest > MAX_WIDTH:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_title(text: str) -> str:
    """A sheet name a spreadsheet accepts: at most 31 characters, none of `[]:*?/\\`."""
    return "".join(" " if c in "[]:*?/\\" else c for c in text).strip("' ")[:31] or "-"


def _shown(value: object) -> str:
    """About what a spreadsheet shows of a cell, for its column's width."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _text(value: object) -> object:
    return neutralise_formula(value) if isinstance(value, str) else value
