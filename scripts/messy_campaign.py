"""Write a campaign twice, with the same content: clean (UTF-8 CSV, the contract's headers, one file per table) and
messy, the way real senders damage files, so that the two runs can be compared indicator by indicator.

The messy copy has, table by table: the registry as an old `.xls` with a title row, a sheet named `Feuil1`, a
read-me sheet, a total row, upper-case site ids, commune codes behind a leading apostrophe and a spreadsheet's lock
file beside it; the grants in ISO-8859-15 (Windows-1252 when a character needs it) with a `sep=;` line, decimal
commas, amounts behind an apostrophe, dates
written `2020/06/01` and `01.06.2020` and references in lower case; the payments in a `.zip`, dates day first
without leading zeros or as date serials; the sites' yearly figures as Excel's "Unicode text" (UTF-16, tabs); the
activities as a LibreOffice `.ods` sheet named `Sheet1` with a total row; the beneficiaries in Windows-1252 with
title and blank rows above accented French headers; the finances in an `.xlsx` sheet named `Données` beside a list
of codes; the places supported in ISO-8859-15 (UTF-8 when a character needs it), a second support type of a
place sent with its name in upper case.

    python scripts/messy_campaign.py --warehouse build/output/warehouse.duckdb --out build/messy
    # -> build/messy/clean/<campaign>/ and build/messy/messy/<campaign>/ for every campaign of the warehouse
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from fabriques.contract import TABLES

HEADERS = {table.name: list(table.column_names) for table in TABLES}
"""The contract's columns (docs/REPORTING_PACK.md, section 2), as a sender's template names them."""
EXCEL_EPOCH = dt.date(1899, 12, 30)
Content = dict[str, list[list[object]]]
"""Table -> rows (cells in HEADERS order: text, numbers, dates, None)."""


def write_clean(content: Content, folder: Path) -> Path:
    (folder / "reports").mkdir(parents=True, exist_ok=True)
    for table, rows in content.items():
        place = folder if table in ("registry", "grants", "payments") else folder / "reports"
        _write_text(place / f"{table}.csv", HEADERS[table], [[_text(c) for c in row] for row in rows], ",", "utf-8")
    return folder


def write_messy(content: Content, folder: Path) -> Path:
    """The same content in the forms real senders produce (module docstring)."""
    reports = folder / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    _messy_registry(content.get("registry", []), folder)
    _messy_grants(content.get("grants", []), folder)
    _messy_payments(content.get("payments", []), folder)
    if content.get("site_year"):
        _write_text(
            reports / "site_year.txt",
            HEADERS["site_year"],
            [[_text(c) for c in _upper_site(row)] for row in content["site_year"]],
            "\t",
            "utf-16",
        )
    if content.get("activities"):
        rows = [_upper_site(row) for row in content["activities"]]
        total = [
            "Total",
            None,
            None,
            sum(r[3] or 0 for r in rows),
            sum(r[4] or 0 for r in rows),
            sum(r[5] or 0 for r in rows),
        ]
        _ods(reports / "activites.ods", {"Sheet1": (HEADERS["activities"], [*rows, total])})
    if content.get("beneficiaries"):
        header = ["Identifiant site", "Année", "Catégorie", "Nombre"]
        rows = [[f" {row[0]} ", *row[1:]] for row in content["beneficiaries"]]
        _write_text(
            reports / "beneficiaires.csv",
            header,
            [[_text(c, ",") for c in row] for row in rows],
            ";",
            "cp1252",
            above=[["Bénéficiaires par catégorie"], ["Campagne annuelle"], []],
        )
    if content.get("finances"):
        rows = [[row[0].title(), *row[1:]] for row in content["finances"]]
        codes = [["line", "label"], ["own_sales", "Ventes"], ["public_state", "État"]]
        _xlsx(reports / "finances.xlsx", {"Données": (HEADERS["finances"], rows), "Codes": (codes[0], codes[1:])})
    if content.get("network"):
        rows = [[_text(c, ",") for c in row] for row in _places_in_two_cases(content["network"])]
        (reports / "reseau.csv").write_bytes(_latin9_or(_csv_text(HEADERS["network"], rows, ";"), "utf-8"))
    return folder


def _messy_registry(rows: list[list], folder: Path) -> None:
    rows = [[row[0].upper(), row[1], f"'{row[2]}", _date(row[3]), *row[4:]] for row in rows]
    total = ["TOTAL", f"{len(rows)} lieux", None, None, None, None, None, None, None, None]
    readme = (["Lisez-moi"], [["Une ligne par lieu labellisé."], ["Dates au format JJ/MM/AAAA."]])
    _xls(
        folder / "registre.xls",
        {"Feuil1": (HEADERS["registry"], [*rows, total]), "Lisez-moi": readme},
        title="Registre des Fabriques de Territoire",
    )
    (folder / "~$registre.xls").write_bytes(b"\x0bPropri\xe9taire")


def _messy_grants(rows: list[list], folder: Path) -> None:
    if not rows:
        return
    written = []
    for index, row in enumerate(rows):
        date = _date(row[4])
        date_text = date.strftime("%Y/%m/%d") if index % 2 else date.strftime("%d.%m.%Y")
        amount = "'" + f"{row[6]:.2f}".replace(".", ",")
        written.append(
            [
                _text(row[0]).lower(),
                f" {_text(row[1])} ",
                _text(row[2]),
                _text(row[3]),
                date_text,
                _text(row[5]),
                amount,
                _text(row[7]),
                _text(row[8]),
                _text(row[9]),
            ]
        )
    text = "sep=;\r\n" + _csv_text(HEADERS["grants"], written, ";")
    (folder / "grants.csv").write_bytes(_latin9_or(text, "cp1252"))


def _messy_payments(rows: list[list], folder: Path) -> None:
    if not rows:
        return
    written = []
    for index, row in enumerate(rows):
        date = _date(row[1])
        typed = str((date - EXCEL_EPOCH).days) if index % 2 else f"{date.day}/{date.month}/{date.year}"
        written.append([_text(row[0]).upper(), typed, _text(row[2])])
    with zipfile.ZipFile(folder / "envoi-paiements.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export/paiements.csv", _csv_text(HEADERS["payments"], written, ","))
        archive.writestr("__MACOSX/export/._paiements.csv", b"\x00\x05\x16\x07")


def _latin9_or(text: str, fallback: str) -> bytes:
    """ISO-8859-15 when it can write every character (it has no `–` nor `’`), else `fallback`."""
    try:
        return text.encode("iso8859_15")
    except UnicodeEncodeError:
        return text.encode(fallback)


def _upper_site(row: list) -> list:
    return [row[0].upper(), *row[1:]]


def _places_in_two_cases(rows: list[list]) -> list[list]:
    """A place's second and later support types with its name in upper case (one place, counted once)."""
    seen, out = set(), []
    for row in rows:
        key = (row[0], row[1], str(row[2]).lower(), row[3])
        out.append([row[0], row[1], str(row[2]).upper() if key in seen else row[2], f"'{row[3]}", row[4]])
        seen.add(key)
    return out


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _text(value, decimal: str = ".") -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return text.replace(".", decimal)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv_text(header: list[str], rows: list[list[str]], delimiter: str, above: list[list[str]] = ()) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([*above, header, *rows])
    return buffer.getvalue()


def _write_text(
    path: Path, header: list[str], rows: list[list[str]], delimiter: str, encoding: str, above: list[list[str]] = ()
) -> None:
    path.write_bytes(_csv_text(header, rows, delimiter, above).encode(encoding))


def _xls(path: Path, sheets: dict[str, tuple[list, list[list]]], title: str) -> None:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for name, (header, rows) in sheets.items():
        sheet = workbook.add_sheet(name)
        offset = 0 if name != "Feuil1" else 2
        if offset:
            sheet.write(0, 0, title)
        for number, cells in enumerate([header, *rows]):
            for position, value in enumerate(cells):
                if value is None or value == "":
                    continue
                style = date_style if isinstance(value, dt.date) else xlwt.Style.default_style
                sheet.write(number + offset, position, value, style)
    workbook.save(str(path))


def _xlsx(path: Path, sheets: dict[str, tuple[list, list[list]]]) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(name)
        for cells in [header, *rows]:
            sheet.append(cells)
    workbook.save(path)


def _ods(path: Path, sheets: dict[str, tuple[list, list[list]]]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for name, (header, rows) in sheets.items():
        table = Table(name=name)
        for cells in [header, *rows]:
            row = TableRow()
            for value in cells:
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value)
                else:
                    cell = TableCell(valuetype="string")
                if value is not None and value != "":
                    cell.addElement(P(text=_text(value)))
                row.addElement(cell)
            table.addElement(row)
        document.spreadsheet.addElement(table)
    document.save(str(path))


def campaigns_of_warehouse(warehouse: Path) -> dict[str, Content]:
    """Campaign name -> the loaded rows of each table (the content a clean and a messy copy share)."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = dict(con.execute("select campaign_key, campaign_name from raw.campaigns order by load_seq").fetchall())
        content: dict[str, Content] = {}
        for key, name in names.items():
            content[name] = {
                table: [
                    list(r)
                    for r in con.execute(
                        f"select {', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)} from raw.{table} "
                        "where campaign_key = ? order by source_file, source_row",
                        [key],
                    ).fetchall()
                ]
                for table, columns in HEADERS.items()
            }
    for tables in content.values():
        for _table, rows in tables.items():
            for row in rows:
                for i, cell in enumerate(row):
                    if hasattr(cell, "as_tuple"):  # DECIMAL -> float, as a spreadsheet holds money
                        row[i] = float(cell)
    return content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, required=True, help="a built warehouse whose campaigns to copy")
    parser.add_argument("--out", type=Path, required=True, help="writes OUT/clean/<campaign> and OUT/messy/<campaign>")
    args = parser.parse_args(argv)
    for name, content in campaigns_of_warehouse(args.warehouse).items():
        write_clean(content, args.out / "clean" / name)
        write_messy(content, args.out / "messy" / name)
        print(
            f"{name}: {sum(len(r) for r in content.values())} rows -> {args.out}/clean/{name}, {args.out}/messy/{name}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
