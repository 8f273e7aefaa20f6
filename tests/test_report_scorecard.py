"""The ministry scorecard: statuses follow the rules on a real run, values are those of indicators.csv, and every
year is published as HTML (FR, EN), a PDF for the reporting year and a spreadsheet (XLSX, CSV) whose text cells a
spreadsheet can never run as a formula."""

import csv
import re
import shutil
import time

import duckdb
import openpyxl
import pytest

from campaign_builder import small_campaign
from fabriques.cli import main
from fabriques.reports import scorecard
from fabriques.reports.context import ReportContext

YEAR = 2021
START_YEAR = 2020
EXTRA_SITES_2020 = 150
"""Sites labelled in 2020 without grants or reports: 154 sites by end 2020 put FT01 on track (half of its 300
due by end 2021), and a single new site in 2021 leaves it off track once the target is in force."""


def campaign_with_many_sites():
    campaign = small_campaign(YEAR)
    for n in range(EXTRA_SITES_2020):
        campaign.add(
            "registry",
            f"fabt-{100 + n}",
            f"Fabrique {n}",
            "23096",
            "2020-06-01",
            2,
            "qpv" if n % 2 else "rural",
            "territoire",
            "association",
            "",
            "active",
        )
    return campaign


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scorecard")
    folder = campaign_with_many_sites().write(tmp / "campaign-2021")
    assert main(["run", str(folder), "--year", str(YEAR), "--out", str(tmp / "out")]) == 0
    return tmp / "out"


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def national(rows):
    return {(r["Indicator code"], int(r["Year"])): r for r in rows if r["Scope type"] == "national"}


def expected_status(row):
    """The status rules, restated independently of the SQL."""
    if row["Target"] and row["Why the value is empty"] == "no_site_reports":
        return "no_reports"  # a year nobody reported: not off track
    if not row["Target"] or not row["Value"]:
        return ""
    value, target = float(row["Value"]), float(row["Target"])
    year, from_year = int(row["Year"]), int(row["Target from year"])
    if row["Target comparator"] == "<=":
        return "met" if value <= target else "off_track"
    if value >= target:
        return "met"
    share = min(1.0, max(0.0, (year - START_YEAR + 1) / max(from_year - START_YEAR + 1, 1)))
    return "on_track" if share < 1 and value >= target * share else "off_track"


def test_each_year_has_its_page_in_both_languages_and_the_reporting_year_its_pdf(run):
    reports = run / "reports"
    for year in (2020, 2021):
        for lang in ("fr", "en"):
            for suffix in ("html", "xlsx", "csv"):
                assert (reports / f"scorecard/{year}/scorecard.{lang}.{suffix}").is_file()
    assert (reports / "scorecard/2021/scorecard.fr.pdf").is_file()
    assert (reports / "scorecard/2021/scorecard.en.pdf").is_file()
    assert not (reports / "scorecard/2020/scorecard.fr.pdf").exists()
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="scorecard/2021/scorecard.fr.html"' in index
    assert 'href="scorecard/2021/scorecard.fr.xlsx"' in index


def test_statuses_follow_the_rules_met_on_track_and_off_track(run):
    rows = national(
        read_csv(run / "reports/scorecard/2021/scorecard.en.csv")
        + read_csv(run / "reports/scorecard/2020/scorecard.en.csv")
    )
    assert rows[("FT01_sites_labelled", 2020)]["Status code"] == "on_track"  # 153 >= 300 x 1/2
    assert rows[("FT01_sites_labelled", 2021)]["Status code"] == "off_track"  # 154 < 300, in force
    assert rows[("FT04_state_committed_eur", 2021)]["Status code"] == "met"  # 575,000 <= 45 M
    assert rows[("FT06_grant_in_bounds_pct", 2021)]["Status code"] == "met"  # every grant in bounds
    assert rows[("FT15_reporting_pct", 2021)]["Status code"] == "off_track"  # 4 reports for 154 sites
    assert rows[("FT07_people_reached", 2021)]["Status code"] == ""  # no target
    for row in rows.values():
        assert row["Status code"] == expected_status(row), row


def test_status_rules_hold_on_every_row_and_only_the_national_scope_has_a_status(run):
    for year in (2020, 2021):
        for row in read_csv(run / f"reports/scorecard/{year}/scorecard.en.csv"):
            if row["Scope type"] == "national":
                assert row["Status code"] == expected_status(row)
            else:
                assert row["Status code"] == "" and row["Target"] == ""


def test_values_are_those_of_indicators_csv(run):
    published = {
        (r["indicator_code"], r["year"], r["scope_type"], r["scope_code"]): r["value"]
        for r in read_csv(run / "indicators.csv")
    }
    for year in (2020, 2021):
        rows = read_csv(run / f"reports/scorecard/{year}/scorecard.fr.csv")
        assert rows
        for row in rows:
            key = (row["Code de l'indicateur"], row["Année"], row["Type de périmètre"], row["Code du périmètre"])
            assert row["Valeur"] == published[key], key


def test_the_page_shows_each_status_and_value(run):
    html = (run / "reports/scorecard/2021/scorecard.fr.html").read_text(encoding="utf-8")
    rows = national(read_csv(run / "reports/scorecard/2021/scorecard.en.csv"))
    for (code, _year), row in rows.items():
        match = re.search(rf'<tr data-indicator="{code}" data-value="([^"]*)">(.*?)</tr>', html, re.S)
        assert match, code
        assert match.group(1) == row["Value"]
        status = re.search(r'data-status="([^"]*)"', match.group(2)).group(1)
        assert status == row["Status code"]
    assert "En bonne voie" in (run / "reports/scorecard/2020/scorecard.fr.html").read_text(encoding="utf-8")
    assert "Off track" in (run / "reports/scorecard/2021/scorecard.en.html").read_text(encoding="utf-8")


def test_xlsx_numbers_are_numeric_cells(run):
    sheet = openpyxl.load_workbook(run / "reports/scorecard/2021/scorecard.en.xlsx").active
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    assert rows
    for column in ("Year", "Value", "Target", "Gap (value − target)"):
        position = header.index(column)
        cells = [row[position] for row in rows if row[position].value is not None]
        assert cells and all(cell.data_type == "n" for cell in cells), column
    assert len(rows) == len(read_csv(run / "reports/scorecard/2021/scorecard.en.csv"))


def test_xlsx_numbers_are_the_published_numbers_of_the_csv(tmp_path):
    """A spreadsheet cell holds the number the CSV (and indicators.csv) publishes, to 6 decimals, not the float
    the warehouse summed: 627.1 for 627.0999999999999, 83.333333 for 83.33333333333333."""
    row = {
        "year": 2021,
        "indicator_code": "FT09_activity_hours",
        "indicator_name": "Hours",
        "value": 627.0999999999999,
        "target_value": 83.33333333333333,
        "gap": -0.1000000000000334,
        "status": None,
    }
    scorecard.write_csv(tmp_path / "s.csv", [row], "en")
    scorecard.write_xlsx(tmp_path / "s.xlsx", [row], "en")
    (csv_row,) = read_csv(tmp_path / "s.csv")
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    cells = {sheet.cell(1, c).value: sheet.cell(2, c).value for c in range(1, sheet.max_column + 1)}
    for column, published in (("Value", 627.1), ("Target", 83.333333), ("Gap (value − target)", -0.1)):
        assert cells[column] == published == float(csv_row[column]), column


HOSTILE = {"scope_name": '=HYPERLINK("http://example.com/x","Cliquez")', "name": "@SUM(A1:A2)"}


def test_text_that_a_spreadsheet_would_run_is_neutralised_in_xlsx_and_csv(run, tmp_path):
    """Region and indicator names come from the warehouse: made hostile there, they reach the files quoted."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(run / "warehouse.duckdb", warehouse)
    with duckdb.connect(str(warehouse)) as con:
        assignments = ", ".join(f"{column} = ?" for column in HOSTILE)
        con.execute(f"update marts.rpt_scorecard set {assignments}", list(HOSTILE.values()))
    out = tmp_path / "reports"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ctx = ReportContext(con, out, YEAR, years=[2020, 2021])
        scorecard.build(ctx)
    for lang in ("fr", "en"):
        texts = [v for row in read_csv(out / f"scorecard/2021/scorecard.{lang}.csv") for v in row.values()]
        sheet = openpyxl.load_workbook(out / f"scorecard/2021/scorecard.{lang}.xlsx").active
        texts += [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        hostile = [t for t in texts if t and t.lstrip("'") in HOSTILE.values()]
        assert hostile, lang
        assert all(t.startswith("'") for t in hostile), hostile
        assert not any(isinstance(t, str) and t[:1] and t[:1] in "=+@" for t in texts)
    html = (out / "scorecard/2021/scorecard.fr.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&#34;http://example.com/x&#34;,&#34;Cliquez&#34;)" in html


def test_a_site_name_like_a_formula_is_quoted_by_the_writers(tmp_path):
    row = {
        "year": 2021,
        "indicator_code": "FT01_sites_labelled",
        "indicator_name": '=HYPERLINK("x")',
        "scope_name": "@Le Hublot",
        "unit": "+sites",
        "value": 3.5,
        "status": None,
    }
    scorecard.write_csv(tmp_path / "s.csv", [row], "en")
    scorecard.write_xlsx(tmp_path / "s.xlsx", [row], "en")
    (csv_row,) = read_csv(tmp_path / "s.csv")
    assert csv_row["Indicator"] == '\'=HYPERLINK("x")' and csv_row["Scope"] == "'@Le Hublot"
    assert csv_row["Unit"] == "'+sites" and csv_row["Value"] == "3.5"
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    cells = {sheet.cell(1, c).value: sheet.cell(2, c) for c in range(1, sheet.max_column + 1)}
    assert cells["Indicator"].value == '\'=HYPERLINK("x")' and cells["Indicator"].data_type == "s"
    assert cells["Scope"].value == "'@Le Hublot"
    assert cells["Value"].value == 3.5 and cells["Value"].data_type == "n"


def test_the_xlsx_is_byte_stable(tmp_path, monkeypatch):
    row = {"year": 2021, "indicator_code": "FT01_sites_labelled", "indicator_name": "Sites", "value": 4.0}
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.0)
    first = scorecard.write_xlsx(tmp_path / "a.xlsx", [row], "fr").read_bytes()
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.0)
    second = scorecard.write_xlsx(tmp_path / "b.xlsx", [row], "fr").read_bytes()
    assert first == second
    properties = openpyxl.load_workbook(tmp_path / "a.xlsx").properties
    assert properties.created == properties.modified == scorecard.FIXED_TIMESTAMP
