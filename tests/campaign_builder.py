"""Build small campaign folders in tests: valid rows by default, each test changes what it checks."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from fabriques.contract import TABLES

HEADERS = {table.name: list(table.column_names) for table in TABLES}
"""The contract's columns, in its order (fabriques.contract)."""
STATE_FUNDER = "10100000010005"
REGION_FUNDER = "10800000080003"


@dataclass
class Campaign:
    """Rows of each table as lists of cells (strings or typed values), written as CSV or XLSX."""

    rows: dict[str, list[list]] = field(default_factory=lambda: {name: [] for name in HEADERS})

    def add(self, table: str, *cells) -> Campaign:
        assert len(cells) == len(HEADERS[table]), f"{table}: {len(cells)} cells"
        self.rows[table].append(list(cells))
        return self

    def write(self, folder: Path, formats: dict[str, dict] | None = None) -> Path:
        """Write every non-empty table; `formats[table]` passes options to write_csv, or {"xlsx": True}."""
        formats = formats or {}
        (folder / "reports").mkdir(parents=True, exist_ok=True)
        for table, rows in self.rows.items():
            if not rows and table != "registry":
                continue
            options = dict(formats.get(table, {}))
            place = folder if table in ("registry", "grants", "payments") else folder / "reports"
            if options.pop("xlsx", False):
                write_xlsx(place / f"{table}.xlsx", {table: (HEADERS[table], rows)})
            else:
                write_csv(place / f"{table}.csv", HEADERS[table], rows, **options)
        return folder


def write_csv(
    path: Path, header: list[str], rows: list[list], delimiter: str = ",", encoding: str = "utf-8", bom: bool = False
) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path: Path, sheets: dict[str, tuple[list[str], list[list]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def small_campaign(year: int = 2021) -> Campaign:
    """Four sites (two qpv, two rural) with a State grant, payments, and full reports for `year`."""
    campaign = Campaign()
    sites = [
        ("fabt-01", "Vichy numérique", "03310", "2020-02-03", 1, "qpv"),
        ("fabt-02", "Le Hublot", "13055", "2020-02-03", 1, "qpv"),
        ("fabt-03", "Orée d'Anjou", "49126", "2020-10-01", 3, "rural"),
        ("fabt-04", "Aurillac lab", "15014", "2021-03-30", 5, "rural"),
    ]
    for n, (site, name, commune, label, round_, target) in enumerate(sites, start=1):
        campaign.add("registry", site, name, commune, label, round_, target, "territoire", "association", "", "active")
        campaign.add(
            "grants",
            f"G-{n}",
            site,
            "ANCT",
            STATE_FUNDER,
            "2020-06-01",
            "Fabrique",
            150000 - 25000 * (n == 4),
            "echelonne",
            "",
            "fabriques",
        )
        campaign.add(
            "grants",
            f"C-{n}",
            site,
            "Région",
            REGION_FUNDER,
            "2021-01-15",
            "Cofinancement",
            20000,
            "unique",
            "",
            "cofinancement",
        )
        campaign.add("payments", f"G-{n}", f"{year - 1}-07-01", 50000)
        campaign.add("payments", f"G-{n}", f"{year}-07-01", 50000)
        campaign.add("site_year", site, year, 300 * n, 2.5, 0.5, 10, 200, 120000)
        campaign.add("activities", site, year, "coworking", 100, 250.5, 900)
        campaign.add("activities", site, year, "fablab", 40, 80, 300 * n)
        campaign.add("beneficiaries", site, year, "women", 100 * n)
        campaign.add("beneficiaries", site, year, "organisations", 12)
        campaign.add("finances", site, year, "own_sales", 30000)
        campaign.add("finances", site, year, "public_state", 50000)
        campaign.add("finances", site, year, "public_region", 20000)
        campaign.add("network", site, year, f"Petit lieu {n}", "23096", "coaching")
    return campaign


def as_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
