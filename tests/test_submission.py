"""Good data at the source, through the CLI: `fabriques template` writes a workbook per site that loads whole once
filled as instructed; `fabriques check` finds, cell by cell, what the ingestion would set aside, and the same rows
as `fabriques ingest`; a bound changed in a programme folder moves the template, the check and the ingest alike."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from campaign_builder import small_campaign
from fabriques import contract
from fabriques.cli import main
from fabriques.contract import SITE_REPORT_TABLES

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2024
VALID = {
    contract.INTEGER: 20,
    contract.DECIMAL: 2.5,
    contract.MONEY: 1500.5,
    contract.TEXT: "Petit lieu",
    contract.COMMUNE: "23096",
}
"""A valid value of each kind of cell to fill (the beneficiaries' 20 people stay below people_total)."""
PEOPLE_TOTAL = 500


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> Path:
    return small_campaign(YEAR).write(tmp_path_factory.mktemp("campaign") / "campaign-2024")


@pytest.fixture(scope="module")
def templates(campaign, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("templates")
    assert main(["template", "--campaign", str(campaign), "--year", str(YEAR + 1), "--out", str(out)]) == 0
    return out


def fill(template: Path, target: Path, places: int = 2) -> Path:
    """Fill every white cell of the template as its instructions say, from the contract's kinds; `places` rows
    of network."""
    workbook = openpyxl.load_workbook(template)
    for name in SITE_REPORT_TABLES:
        sheet = workbook[name]
        header = [cell.value for cell in sheet[1]]
        table = contract.TABLES_BY_NAME[name]
        for row in sheet.iter_rows(min_row=2):
            if name == "network" and row[0].row > places + 1:
                break
            for cell, column_name in zip(row, header, strict=False):
                if column_name in table.column_names and not cell.protection.locked:
                    cell.value = valid_value(sheet, table.column(column_name), row[0].row)
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return target


def valid_value(sheet, column: contract.Column, row: int):
    if column.name == "site_id":
        lists = sheet.parent["lists"]
        return next(lists.cell(2, c.column).value for c in lists[1] if c.value == "list of sites")
    if column.name == "year":
        return YEAR + 1
    if column.name == "people_total":
        return PEOPLE_TOTAL
    if column.kind == contract.CODE:
        return "coaching"
    if column.name == "place_name":
        return f"Petit lieu {row}"
    return VALID[column.kind]


def new_campaign(old: Path, folder: Path, *reports: Path) -> Path:
    """Next year's campaign: the registry, grants and payments of `old`, and the reports given."""
    (folder / "reports").mkdir(parents=True)
    for path in old.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    for report in reports:
        shutil.copy(report, folder / "reports" / report.name)
    return folder


def check(*args: str) -> tuple[int, dict]:
    """`fabriques check … --json -`: exit status and the report."""
    result = subprocess.run(
        [sys.executable, "-m", "fabriques.cli", "check", *args, "--json", "-"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2 or result.stdout, result.stderr
    return result.returncode, json.loads(result.stdout) if result.stdout else {}


def test_one_template_per_registry_site_with_the_contract_headers_the_site_the_year_and_one_row_per_code(
    templates, campaign, tmp_path
):
    assert sorted(p.name for p in templates.iterdir()) == [f"fabt-0{n}.xlsx" for n in range(1, 5)]
    workbook = openpyxl.load_workbook(templates / "fabt-02.xlsx")
    assert set(SITE_REPORT_TABLES) <= set(workbook.sheetnames)
    assert workbook.sheetnames[0] == "Mode d'emploi" and "Instructions (en)" in workbook.sheetnames
    activities = workbook["activities"]
    header = [cell.value for cell in activities[1]]
    assert header[:6] == list(contract.TABLES_BY_NAME["activities"].column_names)
    codes = [row[2].value for row in activities.iter_rows(min_row=2)]
    assert codes[:2] == ["coworking", "fablab"] and len(codes) == 11
    assert {row[0].value for row in activities.iter_rows(min_row=2)} == {"fabt-02"}
    assert {row[1].value for row in activities.iter_rows(min_row=2)} == {YEAR + 1}
    # the label in the programme's language, last year's loaded values in grey beside the cells to fill
    assert activities["H2"].value == "Coworking" and activities["H3"].value == "Fablab et fabrication numérique"
    assert activities["I2"].value == 100 and activities["I2"].protection.locked
    assert activities["I2"].fill.fgColor.rgb.endswith("E7E6E6")
    assert not activities["D2"].protection.locked and activities["C2"].protection.locked
    assert activities.protection.sheet
    assert "sessions" in activities["D1"].comment.text
    sessions = next(v for v in activities.data_validations.dataValidation if "D2" in str(v.sqref))
    assert (sessions.type, sessions.operator, sessions.formula1) == ("whole", "greaterThanOrEqual", "0")
    network = workbook["network"]
    support = next(v for v in network.data_validations.dataValidation if "E2" in str(v.sqref))
    assert support.type == "list" and support.formula1.startswith("lists!")
    site_year = workbook["site_year"]
    days = next(v for v in site_year.data_validations.dataValidation if "G2" in str(v.sqref))
    assert (days.operator, days.formula1, days.formula2) == ("between", "0", "366")
    instructions = " ".join(str(c.value) for c in workbook["Mode d'emploi"]["A"] if c.value)
    assert "Remplissez" in instructions and "Fill" not in instructions
    again = tmp_path / "again"
    assert main(["template", "--campaign", str(campaign), "--year", str(YEAR + 1), "--out", str(again)]) == 0
    assert (again / "fabt-02.xlsx").read_bytes() == (templates / "fabt-02.xlsx").read_bytes()


def test_a_template_filled_as_instructed_checks_clean_and_loads_with_no_row_set_aside(
    templates, campaign, tmp_path, ingest_into
):
    filled = [fill(templates / f"fabt-0{n}.xlsx", tmp_path / "filled" / f"fabt-0{n}.xlsx") for n in range(1, 5)]
    status, report = check(str(filled[0]), "--campaign", str(campaign))
    assert (status, report["rows_set_aside"], report["registry_checked"]) == (0, 0, True)
    assert report["rows_read"] == 1 + 11 + 8 + 10 + 2
    next_year = new_campaign(campaign, tmp_path / "campaign-2025", *filled)
    warehouse = ingest_into(next_year, year=YEAR + 1)
    assert warehouse.quarantine() == []
    assert warehouse.value("select count(*) from raw.activities") == 4 * 11
    # last year's values beside the cells were never loaded back
    assert warehouse.value("select count(*) from raw.site_year where people_total <> ?", [PEOPLE_TOTAL]) == 0


def test_a_damaged_template_is_reported_cell_by_cell_with_reasons_and_exit_1(templates, campaign, tmp_path):
    path = fill(templates / "fabt-03.xlsx", tmp_path / "fabt-03.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["activities"]["C3"] = "atelier_x"  # no such activity type
    workbook["activities"]["D4"] = -5  # a negative count
    workbook["beneficiaries"]["D2"] = PEOPLE_TOTAL + 1  # more women than people
    workbook["finances"]["C3"] = workbook["finances"]["C2"].value  # the same line twice, another amount
    workbook["finances"]["D3"] = 99
    workbook.save(path)
    status, report = check(str(path), "--campaign", str(campaign), "--lang", "en")
    assert status == 1 and not report["loads_whole"]
    found = {(row["cell"], row["reason_code"]) for row in report["set_aside"]}
    assert found == {
        ("activities!C3", "invalid_code"),
        ("activities!D4", "negative_value"),
        ("beneficiaries!D2", "exceeds_people_total"),
        ("finances!D2", "duplicate_key_conflict"),
        ("finances!D3", "duplicate_key_conflict"),
    }
    bad_code = next(row for row in report["set_aside"] if row["cell"] == "activities!C3")
    assert bad_code["value"] == "atelier_x" and "coworking (Coworking)" in bad_code["remedy"]
    printed = subprocess.run(
        [sys.executable, "-m", "fabriques.cli", "check", str(path), "--campaign", str(campaign)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert printed.returncode == 1
    assert "fabt-03.xlsx, feuille activities" in printed.stdout and "activities!C3" in printed.stdout
    assert "à écrire :" in printed.stdout and "ligne 4" in printed.stdout
    archive = tmp_path / "fabt-03.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(path, "rapport/fabt-03.xlsx")
    status, zipped_report = check(str(archive), "--campaign", str(campaign))
    assert status == 1 and {(row["cell"], row["reason_code"]) for row in zipped_report["set_aside"]} == found


def test_a_file_checked_alone_skips_only_the_rules_that_need_the_registry(templates, tmp_path):
    path = fill(templates / "fabt-01.xlsx", tmp_path / "fabt-01.xlsx")
    workbook = openpyxl.load_workbook(path)
    for sheet in SITE_REPORT_TABLES:
        for row in workbook[sheet].iter_rows(min_row=2):
            if row[0].value == "fabt-01":
                row[0].value = "fabt-99"  # a site no registry knows
    workbook["site_year"]["G2"] = 400  # more open days than a year has
    workbook.save(path)
    status, report = check(str(path))
    assert status == 1 and not report["registry_checked"]
    assert [(row["cell"], row["reason_code"]) for row in report["set_aside"]] == [("site_year!G2", "out_of_range")]


def test_the_check_of_a_campaign_sets_aside_the_rows_the_ingest_sets_aside(tmp_path, ingest_into):
    demo = tmp_path / "demo"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_demo.py"), "--out", str(demo), "--sites", "30"],
        check=True,
        capture_output=True,
    )
    campaign = sorted(demo.glob("campaign-*"))[-1]
    before = sorted((p.relative_to(campaign), p.stat().st_mtime_ns) for p in campaign.rglob("*"))
    status, report = check(str(campaign))
    assert status == 1
    checked = sorted(
        (row["file"] + (f"#{row['sheet']}" if row["sheet"] else ""), row["row"], row["reason_code"])
        for row in report["set_aside"]
    )
    warehouse = ingest_into(campaign, year=int(campaign.name.split("-")[1]))
    ingested = sorted(
        (file, row, reason) for file, row, _column, reason in warehouse.quarantine() if not file.startswith("#")
    )
    assert checked == ingested and len(checked) > 20
    assert sorted((p.relative_to(campaign), p.stat().st_mtime_ns) for p in campaign.rglob("*")) == before


def test_the_summary_lists_every_site_ready_to_fix_or_missing_on_screen_and_as_csv(campaign, tmp_path, capsys):
    folder = tmp_path / "campaign"
    shutil.copytree(campaign, folder)
    for table in ("site_year", "activities", "beneficiaries", "finances", "network"):
        path = folder / "reports" / f"{table}.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines if not line.startswith("fabt-04,")]  # fabt-04 sent nothing
        path.write_text("\n".join(kept).replace("fabt-02,2024,fablab,40", "fabt-02,2024,fablab,-40") + "\n")
    status = main(["check", str(folder), "--summary", "--csv", str(tmp_path / "sites.csv")])
    screen = capsys.readouterr().out
    assert status == 1
    assert "à corriger : 1 ligne" in screen and "manquant" in screen and "prêt" in screen
    rows = (tmp_path / "sites.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].split(";")[:3] == ["site_id", "lieu", "statut"]
    statuses = {row.split(";")[0]: row.split(";")[2] for row in rows[1:]}
    assert statuses == {"fabt-01": "prêt", "fabt-02": "à corriger : 1 ligne", "fabt-03": "prêt", "fabt-04": "manquant"}


def test_a_bound_changed_in_the_programme_folder_moves_the_template_the_check_and_the_ingest(
    campaign, tmp_path, ingest_into
):
    folder = tmp_path / "programme"
    assert main(["programme", "init", str(folder)]) == 0
    (folder / "input_bounds.csv").write_text(
        "table_name,column_name,minimum,maximum,rationale\nactivities,sessions,,50,one session a week at most\n",
        encoding="utf-8",
    )
    out = tmp_path / "templates"
    options = ["--programme", str(folder)]
    assert main(["template", "--campaign", str(campaign), "--year", "2025", "--out", str(out), *options]) == 0
    sheet = openpyxl.load_workbook(out / "fabt-01.xlsx")["activities"]
    sessions = next(v for v in sheet.data_validations.dataValidation if "D2" in str(v.sqref))
    assert (sessions.operator, sessions.formula1, sessions.formula2) == ("between", "0", "50")
    assert "0 à 50" in sheet["D1"].comment.text
    status, report = check(str(campaign), *options)
    too_many = {(row["cell"], row["reason_code"]) for row in report["set_aside"]}
    assert status == 1 and too_many == {(f"activities!D{row}", "out_of_range") for row in (2, 4, 6, 8)}
    assert main(["check", str(campaign)]) == 0  # the bundled programme's bound: no maximum
    warehouse = tmp_path / "wh.duckdb"
    assert main(["ingest", str(campaign), "--warehouse", str(warehouse), *options]) == 0
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        quarantined = con.execute("select source_row, reason_code from raw.quarantine order by 1").fetchall()
    assert quarantined == [(row, "out_of_range") for row in (2, 4, 6, 8)]


def test_a_bound_that_names_no_number_column_is_refused_with_its_row(tmp_path, capsys):
    folder = tmp_path / "programme"
    assert main(["programme", "init", str(folder)]) == 0
    (folder / "input_bounds.csv").write_text(
        "table_name,column_name,minimum,maximum\nactivities,activity_type,0,5\nsite_year,open_days,300,200\n",
        encoding="utf-8",
    )
    assert main(["programme", "check", str(folder)]) == 2
    error = capsys.readouterr().err
    assert "input_bounds.csv: row 2" in error and "activities.activity_type" in error
    assert "input_bounds.csv: row 3: the minimum 300 is above the maximum 200" in error


def test_the_check_cannot_read_is_exit_2_and_never_writes_into_the_checked_folder(campaign, tmp_path):
    assert check(str(tmp_path / "nothing.xlsx"))[0] == 2
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    assert check(str(broken))[0] == 2
    result = subprocess.run(
        [sys.executable, "-m", "fabriques.cli", "check", str(campaign), "--json", str(campaign / "out.json")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2 and not (campaign / "out.json").exists()


def test_the_check_of_one_workbook_starts_no_warehouse_validation_or_report_machinery(templates, tmp_path):
    path = fill(templates / "fabt-01.xlsx", tmp_path / "fabt-01.xlsx")
    probe = (
        "import sys; from fabriques.cli import main; status = main(['check', sys.argv[1]]); "
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'dbt', 'great_expectations', 'duckdb', "
        "'jinja2', 'matplotlib', 'weasyprint', 'openpyxl'}); print('LOADED', heavy); sys.exit(status)"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "LOADED []" in result.stdout
