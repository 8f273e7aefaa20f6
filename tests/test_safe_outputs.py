"""Published files are safe to open: every page escapes, no formula runs in a spreadsheet, no personal data is
disclosed, no small count of people is published at site level."""

import csv
import json

import duckdb
import openpyxl
import pytest
from jinja2 import nodes

from campaign_builder import HEADERS, small_campaign, write_csv
from fabriques.cli import main
from fabriques.export import (
    FORMULA_PREFIXES,
    export_data_quality,
    export_indicators,
    export_quarantine,
    neutralise_formula,
)
from fabriques.privacy import redact
from fabriques.reports import scorecard_export
from fabriques.reports.pages import environment
from fabriques.settings import REPORT_TEMPLATES_DIR


def test_text_starting_like_a_formula_is_made_inert():
    for text in ('=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise_formula(text) == "'" + text
    assert neutralise_formula("Fabrique") == "Fabrique"


def test_emails_and_phone_numbers_are_masked_but_amounts_and_codes_are_not():
    text = "Écrire à marie.curie@example.org ou appeler le 06 12 34 56 78 / +33 1 23 45 67 89"
    masked = redact(text)
    assert "@" not in masked and "06 12" not in masked and "+33" not in masked
    for kept in ("150 000,00 €", "73282932000074", "fabt-01", "2020-02-03", "1234567890"):
        assert redact(kept) == kept


def test_quarantine_export_masks_personal_data_and_neutralises_formulas(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["network"][0][2] = '=HYPERLINK("http://evil","clic") contact jo@lieu.fr 0612345678'
    campaign.rows["network"][0][3] = "99999"  # unknown commune: the row is quarantined with its values
    wh = ingest_into(campaign.write(tmp_path / "c"))
    with duckdb.connect(str(wh.path), read_only=True) as con:
        export_quarantine(con, tmp_path / "quarantine.csv")
    text = (tmp_path / "quarantine.csv").read_text(encoding="utf-8")
    assert "jo@lieu.fr" not in text and "0612345678" not in text and "[e-mail masqué]" in text
    with open(tmp_path / "quarantine.csv", encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


# ---------------------------------------------------------------------------------------------------------------
# Every template escapes; every CSV/XLSX export neutralises formulas and masks personal data; small counts of
# people are not published at site level.

SCRIPT = "<script>alert(1)</script>"
EMAIL, PHONE = "jo.dupont@example.org", "06 12 34 56 78"
FORMULAS = ('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx")
TEMPLATES = sorted(p.name for p in REPORT_TEMPLATES_DIR.glob("*.html"))


def starts_like_a_formula(cell: str) -> bool:
    return cell.startswith(FORMULA_PREFIXES)


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_report_template_is_autoescaped_and_marks_safe_only_its_own_markup(template):
    env = environment("fr")
    assert env.autoescape(template) is True
    tree = env.parse(env.loader.get_source(env, template)[0])
    for block in tree.find_all(nodes.ScopedEvalContextModifier):
        assert not any(o.key == "autoescape" for o in block.options), f"{template} turns autoescape off"
    for safe in (f for f in tree.find_all(nodes.Filter) if f.name == "safe"):
        names = {n.name for n in safe.node.find_all(nodes.Name)} | (
            {safe.node.name} if isinstance(safe.node, nodes.Name) else set()
        )
        assert names <= {"root"}, f"{template}: `| safe` on data ({names})"
    assert TEMPLATES and "site_sheet.html" in TEMPLATES


def test_a_template_prints_hostile_text_escaped_and_without_personal_data():
    html = environment("en").from_string("<p>{{ name }}</p>").render(name=f"{SCRIPT} {EMAIL} {PHONE}")
    assert SCRIPT not in html and "&lt;script&gt;" in html and EMAIL not in html and PHONE not in html


def hostile_indicators(con):
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_indicators (indicator_code varchar, year integer, scope_type varchar, "
        "scope_code varchar, value double, unit varchar, numerator double, denominator double, "
        "target_comparator varchar, target_value double)"
    )
    rows = [
        ("FT07_people_reached", 2021, "site", "=SUM(1)", 3, "people", None, None, None, None),
        ("FT14_state_eur_per_person", 2021, "site", "=SUM(1)", 16666.67, "EUR", 50000, 3, None, None),
        ("FT08_participations", 2021, "site", "=SUM(1)", 40, "visits", None, None, None, None),
        ("FT07_people_reached", 2021, "site", "fabt-02", 600, "people", None, None, None, None),
        ("FT14_state_eur_per_person", 2021, "site", "fabt-02", 83.33, "EUR", 50000, 600, None, None),
        ("FT07_people_reached", 2021, "region", "84", 3, "people", None, None, None, None),
        ("FT04_state_committed_eur", 2021, "national", "FR", -5, "EUR", None, None, "<=", 45e6),
    ]
    con.executemany("insert into marts.fct_indicators values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def read_csv_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_indicators_csv_suppresses_small_site_counts_and_neutralises_text(tmp_path):
    with duckdb.connect() as con:
        hostile_indicators(con)
        export_indicators(con, tmp_path / "indicators.csv", 5)
    rows = {
        (r["indicator_code"], r["scope_type"], r["scope_code"]): r for r in read_csv_rows(tmp_path / "indicators.csv")
    }
    assert list(next(iter(rows.values())))[:6] == [
        "indicator_code",
        "year",
        "scope_type",
        "scope_code",
        "value",
        "unit",
    ]
    small = rows[("FT07_people_reached", "site", "'=SUM(1)")]
    assert (small["value"], small["suppression"]) == ("", "small_count_below_5")
    per_person = rows[("FT14_state_eur_per_person", "site", "'=SUM(1)")]
    assert (per_person["value"], per_person["denominator"], per_person["numerator"]) == ("", "", "50000")
    assert rows[("FT08_participations", "site", "'=SUM(1)")]["value"] == "40"  # visits, not people
    assert rows[("FT07_people_reached", "site", "fabt-02")]["value"] == "600"
    assert rows[("FT14_state_eur_per_person", "site", "fabt-02")]["denominator"] == "600"
    assert rows[("FT07_people_reached", "region", "84")]["suppression"] == ""  # site level only
    assert rows[("FT04_state_committed_eur", "national", "FR")]["value"] == "-5"  # a number stays a number


def test_data_quality_csv_neutralises_text_and_keeps_json_parsable(tmp_path):
    from fabriques.validation.results import CSV_COLUMNS, RESULTS_DDL

    with duckdb.connect() as con:
        con.execute(RESULTS_DDL)
        values = {c: "x" for c in CSV_COLUMNS} | {
            "run_id": "r",
            "validated_at": "2021-01-01 00:00:00",
            "rule": FORMULAS[0],
            "success": False,
            "element_count": 1,
            "unexpected_count": 1,
            "observed_value": "-3.5",
            "failing_keys": json.dumps([f"site_id={FORMULAS[1]} {EMAIL}"]),
            "description_en": FORMULAS[3],
        }
        con.execute(
            f"insert into validation.results ({', '.join(CSV_COLUMNS)}) values ({', '.join('?' for _ in CSV_COLUMNS)})",
            [values[c] for c in CSV_COLUMNS],
        )
        export_data_quality(con, tmp_path / "dq.csv", "r")
    (row,) = read_csv_rows(tmp_path / "dq.csv")
    assert row["rule"] == "'" + FORMULAS[0] and row["description_en"] == "'" + FORMULAS[3]
    assert json.loads(row["observed_value"]) == -3.5
    assert json.loads(row["failing_keys"]) == [f"site_id={FORMULAS[1]} [e-mail masqué]"]


def test_scorecard_csv_and_xlsx_neutralise_every_text_cell(tmp_path):
    row = {key: FORMULAS[i % len(FORMULAS)] for i, (key, _label, _kind) in enumerate(scorecard_export.EXPORT_COLUMNS)}
    row |= {"year": 2021, "value": -1.5, "target_value": 300.0, "is_target_in_force": True}
    definition = {
        key: FORMULAS[i % len(FORMULAS)] for i, (key, _label) in enumerate(scorecard_export.DEFINITION_COLUMNS)
    }
    for lang in ("fr", "en"):
        scorecard_export.write_csv(tmp_path / f"s.{lang}.csv", [row], lang)
        scorecard_export.write_xlsx(tmp_path / f"s.{lang}.xlsx", [row], lang, [definition], title=FORMULAS[0])
        delimiter, _decimal = scorecard_export.csv_dialect(lang)
        with open(tmp_path / f"s.{lang}.csv", encoding="utf-8-sig", newline="") as handle:
            cells = [c for r in csv.reader(handle, delimiter=delimiter) for c in r]
        workbook = openpyxl.load_workbook(tmp_path / f"s.{lang}.xlsx")
        typed = [c.value for sheet in workbook.worksheets for r in sheet.iter_rows() for c in r]
        texts = cells + [v for v in typed if isinstance(v, str)]
        assert [c for c in texts if starts_like_a_formula(c) and c not in ("-1.5", "-1,5")] == []
        assert sum(c.startswith("'") for c in texts) >= len(FORMULAS)
        assert -1.5 in typed  # numbers stay numbers


# --- One run on a campaign full of hostile text --------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    campaign = small_campaign(2021)
    campaign.rows["registry"][0][1] = f"{SCRIPT} écrire à {EMAIL}"
    campaign.rows["registry"][1][1] = f"{FORMULAS[0]} {PHONE}"
    campaign.rows["registry"][2][0] = "=SUM(1)"  # a site id like a formula, loaded: it reaches indicators.csv
    for table in ("grants", "site_year", "activities", "beneficiaries", "finances", "network"):
        for row in campaign.rows[table]:
            if row[HEADERS[table].index("site_id")] == "fabt-03":
                row[HEADERS[table].index("site_id")] = "=SUM(1)"
    campaign.rows["site_year"][2][2] = 3  # '=SUM(1)' reached 3 people
    campaign.rows["beneficiaries"][4][3] = 2
    campaign.rows["grants"][0][5] = f"Contact : {EMAIL}, {PHONE}"
    campaign.rows["network"][0][2] = f"Chez {EMAIL} +33 6 12 34 56 78"
    campaign.add("network", "fabt-02", 2021, f"{FORMULAS[1]} {EMAIL}", "99999", "coaching")  # quarantined
    campaign.add("activities", "fabt-02", 2021, SCRIPT, 1, 1, 1)  # quarantined: its message names the code
    folder = campaign.write(tmp / "campaign-2021")
    write_csv(folder / f"{FORMULAS[0][:10]}.csv", ["a"], [["1"]])  # a file name like a formula
    out = tmp / "out"
    assert main(["run", str(folder), "--year", "2021", "--out", str(out)]) == 0
    return out


def published_files(out):
    for name in ("indicators.csv", "quarantine.csv", "data_quality.csv", "data_docs", "reports"):
        path = out / name
        yield from (sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])


def published_text(path) -> str:
    if path.suffix == ".pdf":
        import pypdf

        return "".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)
    if path.suffix == ".xlsx":
        workbook = openpyxl.load_workbook(path)
        return "\n".join(str(c.value) for s in workbook.worksheets for r in s.iter_rows() for c in r)
    return path.read_bytes().decode("utf-8", errors="replace")


def test_no_email_or_phone_number_reaches_any_published_file_or_the_warehouse(hostile_run):
    seen = 0
    for path in published_files(hostile_run):
        text = published_text(path)
        seen += "masqué" in text
        for secret in (EMAIL, "jo.dupont", PHONE, "0612345678", "+33 6 12"):
            assert secret not in text, f"{path.relative_to(hostile_run)} holds {secret!r}"
    assert seen >= 3  # the masks are there: site sheets, index, quarantine.csv
    with duckdb.connect(str(hostile_run / "warehouse.duckdb"), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' and table_schema in ('raw', 'staging', 'marts')"
        ).fetchall()
        for schema, table, column in columns:
            found = con.execute(
                f'select count(*) from {schema}."{table}" where "{column}" like ? or "{column}" like ?',
                [f"%{EMAIL}%", f"%{PHONE}%"],
            ).fetchone()[0]
            assert found == 0, f"{schema}.{table}.{column}"


def test_no_page_holds_a_raw_script_from_the_data(hostile_run):
    pages = sorted((hostile_run / "reports").rglob("*.html"))
    assert pages
    for page in pages:
        assert SCRIPT not in page.read_text(encoding="utf-8"), page.relative_to(hostile_run)
    assert any("&lt;script&gt;" in p.read_text(encoding="utf-8") for p in pages)


def test_no_cell_of_any_published_csv_or_xlsx_starts_like_a_formula(hostile_run):
    cells = []
    for path in published_files(hostile_run):
        if path.suffix == ".csv":
            with open(path, encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))
            json_columns = [i for i, name in enumerate(rows[0]) if name in ("observed_value", "failing_keys")]
            cells += [(path, c) for r in rows for i, c in enumerate(r) if i not in json_columns]
        elif path.suffix == ".xlsx":
            workbook = openpyxl.load_workbook(path)
            cells += [
                (path, c.value)
                for s in workbook.worksheets
                for r in s.iter_rows()
                for c in r
                if isinstance(c.value, str)
            ]
    bad = [(p.name, c[:40]) for p, c in cells if starts_like_a_formula(c) and not _is_number(c)]
    assert bad == []
    assert any(c.startswith("'=sum(1)") for _p, c in cells)  # the site id (canonical: lower case), in indicators.csv
    assert any(c.startswith("'=HYPERLINK") for _p, c in cells)  # the file name, in quarantine.csv


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_no_site_level_output_discloses_a_small_count_of_people(hostile_run):
    rows = read_csv_rows(hostile_run / "indicators.csv")
    small = [r for r in rows if r["scope_type"] == "site" and r["scope_code"] == "'=sum(1)" and r["year"] == "2021"]
    by_code = {r["indicator_code"]: r for r in small}
    assert by_code["FT07_people_reached"]["value"] == "" and by_code["FT07_people_reached"]["suppression"]
    assert by_code["FT14_state_eur_per_person"]["denominator"] == ""
    for row in rows:
        if row["scope_type"] == "site" and row["unit"] == "people" and row["value"]:
            assert float(row["value"]) == 0 or float(row["value"]) >= 5, row
    sheets = [
        p
        for p in (hostile_run / "reports" / "sites" / "2021").glob("*.html")
        if 'data-site-id="=sum(1)"' in p.read_text(encoding="utf-8")
    ]
    assert len(sheets) == 2
    for sheet in sheets:
        people = sheet.read_text(encoding="utf-8").split('data-measure="people_reached"')[1].split("</tr>")[0]
        assert "&lt;\u00a05" in people and ">3<" not in people
