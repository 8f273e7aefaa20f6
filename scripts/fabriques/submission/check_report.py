"""What `fabriques check` prints: the rows that would be set aside, grouped by file, sheet and row, each with its
cell, the value as typed, the reason and what to write instead, in the site's language; the administration's list
of sites; the same as JSON or CSV for a program or a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from itertools import groupby

from fabriques.i18n import gettext_for, ngettext_for
from fabriques.submission.check import MISSING, NOT_IN_REGISTRY, READY, TO_FIX, CheckResult, SetAside

INDENT = "  "


def text_report(result: CheckResult) -> str:
    """The check as a site reads it on screen."""
    _ = gettext_for(result.lang)
    ngettext = ngettext_for(result.lang)
    rows = result.set_aside()
    to_fix = sum(row.to_fix for row in rows)
    lines = [
        _("Check of %(path)s: %(read)s read, %(set_aside)s that would be set aside, %(to_fix)s to fix.")
        % {
            "path": result.path,
            "read": ngettext("%(num)s row", "%(num)s rows", result.rows_read) % {"num": result.rows_read},
            "set_aside": len(rows),
            "to_fix": to_fix,
        }
    ]
    if not result.registry_checked:
        lines.append(
            _(
                "Site identifiers were not checked against a registry: give --registry FILE or --campaign DIR to "
                "check them too."
            )
        )
    for (file, sheet), in_sheet in groupby(rows, key=lambda row: (row.file, row.sheet)):
        lines += ["", _("%(file)s, sheet %(sheet)s") % {"file": file, "sheet": sheet} if sheet else file]
        for number, in_row in groupby(in_sheet, key=lambda row: row.row):
            if number is not None:
                lines.append(INDENT + _("row %(row)s") % {"row": number})
            lines += [line for row in in_row for line in _finding_lines(row, result.lang)]
    warnings = result.warnings()
    if warnings:
        lines += ["", _("Loaded with a value left empty:")]
        lines += [line for row in warnings for line in _finding_lines(row, result.lang)]
    lines += ["", _verdict(to_fix, len(rows), result.lang)]
    return "\n".join(lines) + "\n"


def _finding_lines(row: SetAside, lang: str) -> list[str]:
    _ = gettext_for(lang)
    where = row.cell or row.file
    typed = " " + (
        _("%(column)s = “%(value)s”") % {"column": row.column, "value": row.value}
        if row.value
        else _("%(column)s (empty)") % {"column": row.column}
    )
    typed = typed if row.column and row.value is not None else ""
    lines = [2 * INDENT + f"{where}{typed}", 3 * INDENT + _("why: %(message)s") % {"message": row.message}]
    if row.remedy != row.message:
        lines.append(3 * INDENT + _("write instead: %(remedy)s") % {"remedy": row.remedy})
    return lines


def _verdict(to_fix: int, set_aside: int, lang: str) -> str:
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    if to_fix:
        return ngettext(
            "To fix before sending: %(num)s row. Correct it, check the file again, then send it.",
            "To fix before sending: %(num)s rows. Correct them, check the file again, then send it.",
            to_fix,
        ) % {"num": to_fix}
    if set_aside:
        return _("Ready to send: every row would load (the rows above ask nothing of you).")
    return _("Ready to send: every row would load.")


def json_report(result: CheckResult, sites: list[dict] | None = None) -> str:
    rows = result.set_aside()
    report = {
        "path": str(result.path),
        "lang": result.lang,
        "registry_checked": result.registry_checked,
        "loads_whole": result.loads_whole,
        "rows_read": result.rows_read,
        "rows_set_aside": len(rows),
        "rows_to_fix": sum(row.to_fix for row in rows),
        "set_aside": [row.as_json() for row in rows],
        "warnings": [row.as_json() for row in result.warnings()],
    }
    if sites is not None:
        report["sites"] = sites
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def status_label(site: dict, lang: str) -> str:
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    if site["status"] == TO_FIX:
        return ngettext("to fix: %(num)s row", "to fix: %(num)s rows", site["rows_to_fix"]) % {
            "num": site["rows_to_fix"]
        }
    return {READY: _("ready"), MISSING: _("missing"), NOT_IN_REGISTRY: _("not in the registry")}[site["status"]]


def summary_headers(lang: str) -> list[str]:
    _ = gettext_for(lang)
    return [_("site_id"), _("site"), _("status"), _("rows to fix"), _("rows that would load"), _("files")]


def summary_cells(site: dict, lang: str) -> list[str]:
    return [
        site["site_id"],
        site["site_name"],
        status_label(site, lang),
        str(site["rows_to_fix"]),
        str(site["rows_loaded"]),
        ", ".join(site["files"]),
    ]


SCREEN_NAME_WIDTH = 40
"""A site's name on screen is cut to this many characters (the CSV and the JSON keep it whole)."""


def summary_table(sites: list[dict], lang: str) -> str:
    """The sites as a table on screen, columns aligned (without the files: the CSV lists them); then how many
    are ready, to fix and missing."""
    _ = gettext_for(lang)
    table = [summary_headers(lang)[:-1]]
    for site in sites:
        cells = summary_cells(site, lang)[:-1]
        if len(cells[1]) > SCREEN_NAME_WIDTH:
            cells[1] = cells[1][: SCREEN_NAME_WIDTH - 1] + "…"
        table.append(cells)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = [INDENT.join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in table]
    lines.insert(1, INDENT.join("-" * width for width in widths))
    counts = {status: sum(site["status"] == status for site in sites) for status in (READY, TO_FIX, MISSING)}
    lines += [
        "",
        _("%(ready)s ready, %(to_fix)s to fix, %(missing)s missing, of %(sites)s sites in the registry.")
        % {**counts, "sites": sum(site["status"] != NOT_IN_REGISTRY for site in sites)},
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def summary_csv(sites: list[dict], lang: str) -> bytes:
    """The sites as the language's spreadsheet opens a CSV (its delimiter, UTF-8 with BOM)."""
    from fabriques.export import neutralise_formula
    from fabriques.reports.scorecard_export import csv_dialect

    delimiter, _decimal = csv_dialect(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(summary_headers(lang))
    for site in sites:
        writer.writerow([neutralise_formula(cell) for cell in summary_cells(site, lang)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
