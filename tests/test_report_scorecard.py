"""The ministry scorecard: statuses follow the rules on a real run, values are those of indicators.csv, and every
year is published as HTML (FR, EN), a PDF for the reporting year, a workbook as ministries use one (a sheet per
scope family, styled header, filters, number formats, definitions) and a CSV that the language's spreadsheet opens,
whose text cells a spreadsheet can never run as a formula."""

import csv
import re
import shutil
import time

import duckdb
import openpyxl
import pytest

from campaign_builder import small_campaign
from fabriques.cli import main
from fabriques.reports import scorecard, scorecard_export
from fabriques.reports.context import ReportContext
from fabriques.stable_workbooks import FIXED_TIMESTAMP

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
    """A scorecard CSV read as the spreadsheet of its language reads it: UTF-8 with a byte order mark, `;` and a
    decimal comma in French; numbers given back with `.`, as indicators.csv writes them."""
    lang = path.name.split(".")[-2]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), path  # the BOM: Excel reads the file as UTF-8
    delimiter, decimal = (";", ",") if lang == "fr" else (",", ".")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=delimiter))
    assert rows and len(rows[0]) == len(scorecard_export.EXPORT_COLUMNS), path  # one field per column
    return [{k: _number_back(v, decimal) for k, v in row.items()} for row in rows]


def _number_back(text, decimal):
    candidate = text.replace(decimal, ".") if decimal != "." else text
    if decimal != "." and "." in text and re.fullmatch(r"-?\d+\.\d+", text):
        raise AssertionError(f"a decimal point in a {decimal!r} CSV: {text}")
    return candidate if re.fullmatch(r"-?\d+(\.\d+)?", candidate) else text


def read_workbook_rows(path):
    """Every data row of the workbook's scope sheets (not the definitions), as header → cell."""
    workbook = openpyxl.load_workbook(path)
    rows = []
    for sheet in workbook.worksheets[:-1]:
        header = [c.value for c in sheet[1]]
        rows += [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    return rows


def national(rows):
    return {(r["Indicator code"], int(r["Year"])): r for r in rows if r["Scope type"] == "national"}


def expected_status(row):
    """The status rules, restated independently of the SQL."""
    if row["Target"] and row["Why the value is empty"] == "No site reports were received for the year":
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


def test_status_rules_hold_on_every_row_and_a_scope_without_a_target_has_no_status(run):
    scope_types = set()
    for year in (2020, 2021):
        for row in read_csv(run / f"reports/scorecard/{year}/scorecard.en.csv"):
            scope_types.add(row["Scope type"])
            if row["Scope type"] == "national":
                assert row["Status code"] == expected_status(row)
            else:  # the bundled targets are national only
                assert row["Status code"] == "" and row["Target"] == ""
                assert row["Why this status"] == "No target for this scope"
    assert scope_types == {"national", "territory_target", "degurba", "region"}


def test_each_row_has_the_year_before_and_the_change(run):
    before = {
        (r["Indicator code"], r["Scope type"], r["Scope code"]): r
        for r in read_csv(run / "reports/scorecard/2020/scorecard.en.csv")
    }
    rows = read_csv(run / "reports/scorecard/2021/scorecard.en.csv")
    for row in rows:
        previous = before.get((row["Indicator code"], row["Scope type"], row["Scope code"]))
        assert row["Value of the year before"] == (previous["Value"] if previous else ""), row
        if row["Value"] and row["Value of the year before"]:
            change = float(row["Value"]) - float(row["Value of the year before"])
            assert float(row["Change since the year before"]) == pytest.approx(change, abs=1e-6)
    assert all(r["Value of the year before"] == "" for r in before.values())  # the first year has none
    page = (run / "reports/scorecard/2021/scorecard.en.html").read_text(encoding="utf-8")
    assert '<th scope="col" class="num">2020</th>' in page and "Change" in page


def test_the_status_says_its_rule_in_figures(run):
    rows = national(read_csv(run / "reports/scorecard/2021/scorecard.en.csv"))
    assert rows[("FT04_state_committed_eur", 2021)]["Why this status"].startswith("€575,000 ≤ €45,000,000")
    assert rows[("FT01_sites_labelled", 2021)]["Why this status"] == "154 < 300"
    on_track = national(read_csv(run / "reports/scorecard/2020/scorecard.en.csv"))[("FT01_sites_labelled", 2020)]
    assert on_track["Why this status"] == "153 ≥ 150 due by the end of 2020 (300 by 2021)"
    assert rows[("FT07_people_reached", 2021)]["Why this status"] == "No target for this scope"


def test_values_are_those_of_indicators_csv(run):
    published = {
        (r["indicator_code"], r["year"], r["scope_type"], r["scope_code"]): r["value"]
        for r in csv.DictReader((run / "indicators.csv").read_text(encoding="utf-8").splitlines())
    }
    decimals = 0
    for year in (2020, 2021):
        rows = read_csv(run / f"reports/scorecard/{year}/scorecard.fr.csv")  # `;`, decimal comma, BOM
        assert rows
        decimals += sum("." in row["Valeur"] for row in rows)
        for row in rows:
            key = (row["Code de l'indicateur"], row["Année"], row["Type de périmètre"], row["Code du périmètre"])
            assert row["Valeur"] == published[key], key
    assert decimals  # there were decimal commas to read back


def test_the_page_shows_each_status_and_value(run):
    html = (run / "reports/scorecard/2021/scorecard.fr.html").read_text(encoding="utf-8")
    rows = national(read_csv(run / "reports/scorecard/2021/scorecard.en.csv"))
    for (code, _year), row in rows.items():
        match = re.search(rf'<tr data-indicator="{code}" data-value="([^"]*)">(.*?)</tr>', html, re.S)
        assert match, code
        assert match.group(1) == row["Value"]
        found = re.search(r'data-status="([^"]*)"', match.group(2))
        status = found.group(1) if found else ""  # an indicator without a target has no status cell
        assert status == row["Status code"]
    assert "En bonne voie" in (run / "reports/scorecard/2020/scorecard.fr.html").read_text(encoding="utf-8")
    assert "Off track" in (run / "reports/scorecard/2021/scorecard.en.html").read_text(encoding="utf-8")


def test_xlsx_numbers_are_numeric_cells(run):
    rows = read_workbook_rows(run / "reports/scorecard/2021/scorecard.en.xlsx")
    assert rows
    for column in ("Year", "Value", "Target", "Gap (value − target)", "Change since the year before"):
        cells = [row[column] for row in rows if row[column].value is not None]
        assert cells and all(cell.data_type == "n" for cell in cells), column
    assert len(rows) == len(read_csv(run / "reports/scorecard/2021/scorecard.en.csv"))


def test_the_workbook_is_laid_out_as_ministries_use_it(run):
    workbook = openpyxl.load_workbook(run / "reports/scorecard/2021/scorecard.fr.xlsx")
    assert workbook.sheetnames == [
        "National",
        "Par cible territoriale",
        "Par degré d'urbanisation",
        "Par région",
        "Définitions",
    ]
    assert workbook.properties.title == "Tableau de bord des ministères 2021"
    assert workbook.properties.language == "fr" and workbook.properties.subject
    for sheet in workbook.worksheets:
        header = sheet[1]
        assert all(cell.font.b and cell.fill.fgColor.rgb.endswith(scorecard_export.HEADER_FILL) for cell in header)
        assert sheet.freeze_panes == "B2"
        assert sheet.auto_filter.ref == f"A1:{header[-1].column_letter}{sheet.max_row}"
        for cell in header:  # every column at least as wide as its longest value
            column = next(sheet.iter_cols(min_col=cell.column, max_col=cell.column, min_row=2))
            values = [len(str(c.value)) for c in column if c.value is not None]
            width = sheet.column_dimensions[cell.column_letter].width
            assert width >= min(max(values or [0]), scorecard_export.MAX_WIDTH), (sheet.title, cell.value)
    national_sheet = workbook["National"]
    header = [c.value for c in national_sheet[1]]
    formats = {}
    for row in national_sheet.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        formats[cells["Unité"].value] = (
            cells["Valeur"].number_format,
            cells["Écart (valeur − objectif)"].number_format,
        )
        assert cells["Valeur"].value is not None or cells["Pourquoi la valeur est vide"].value
    assert formats["EUR"][0] == '#,##0 "€"'  # euros with thousands separators
    assert formats["%"][0] == '#,##0.0" %"'  # one decimal
    assert formats["%"][1] == '+#,##0.0" pts";-#,##0.0" pts";#,##0.0" pts"'  # a gap between shares, in points
    assert formats["sites"][0] == "#,##0"
    definitions = workbook["Définitions"]
    assert [c.value for c in definitions[1]] == [
        "Code de l'indicateur",
        "Indicateur",
        "Définition",
        "Unité",
        "Objectif",
        "Source de l'objectif",
    ]
    by_code = {row[0].value: [c.value for c in row] for row in definitions.iter_rows(min_row=2)}
    assert set(by_code) == {
        row["Code de l'indicateur"].value
        for row in read_workbook_rows(run / "reports/scorecard/2021/scorecard.fr.xlsx")
    }
    assert by_code["FT01_sites_labelled"][4] == "≥ 300 à partir de 2021" and by_code["FT01_sites_labelled"][5]
    assert by_code["FT07_people_reached"][4] == "Pas d'objectif pour ce périmètre"
    assert all(row[2] for row in by_code.values())  # every indicator defined


def test_a_blank_value_says_why(tmp_path):
    row = {
        "year": 2021,
        "indicator_code": "FT12_cofunding_leverage",
        "name": "Leverage",
        "unit": "ratio",
        "scope_type": "region",
        "scope_code": "02",
        "scope_name": "Martinique",
        "value": None,
        "empty_reason": "zero_denominator",
        "status": None,
        "target_value": None,
    }
    (exported,) = scorecard.export_rows([row], "fr")
    scorecard_export.write_xlsx(tmp_path / "s.xlsx", [exported], "fr", definitions=[])
    (cells,) = read_workbook_rows(tmp_path / "s.xlsx")
    assert cells["Valeur"].value is None
    assert (
        cells["Pourquoi la valeur est vide"].value == "Non calculé : le dénominateur du ratio est nul dans ce périmètre"
    )


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
    scorecard_export.write_csv(tmp_path / "s.en.csv", [row], "en")
    scorecard_export.write_xlsx(tmp_path / "s.xlsx", [row], "en")
    (csv_row,) = read_csv(tmp_path / "s.en.csv")
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
        workbook = openpyxl.load_workbook(out / f"scorecard/2021/scorecard.{lang}.xlsx")
        texts += [c.value for sheet in workbook for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
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
    scorecard_export.write_csv(tmp_path / "s.en.csv", [row], "en")
    scorecard_export.write_xlsx(tmp_path / "s.xlsx", [row], "en")
    (csv_row,) = read_csv(tmp_path / "s.en.csv")
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
    first = scorecard_export.write_xlsx(tmp_path / "a.xlsx", [row], "fr").read_bytes()
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.0)
    second = scorecard_export.write_xlsx(tmp_path / "b.xlsx", [row], "fr").read_bytes()
    assert first == second
    properties = openpyxl.load_workbook(tmp_path / "a.xlsx").properties
    assert properties.created == properties.modified == FIXED_TIMESTAMP
