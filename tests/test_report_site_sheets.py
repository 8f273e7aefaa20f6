"""Site sheets: one per site labelled by the end of the reporting year, and per site whose registry row was set
aside, and language. A sheet gives the site's figures beside its peers' median (small counts of people not
disclosed), what was received of each table and whether it was used, and what to fix: each row set aside as sent,
the column and value at fault, the reason and what to write instead in the sheet's language, and by when and to
whom to send it."""

import re
from html import unescape

import duckdb
import pytest
from markupsafe import escape

from campaign_builder import HEADERS, small_campaign, write_xlsx
from fabriques.cli import main
from fabriques.reports.render import render_reports
from fabriques.reports.site_sheets import suppress_counts_in_text
from fabriques.site_files import site_file_names

YEAR = 2021
SCRIPT_NAME = "<script>alert(1)</script>"


def campaign_for_sheets():
    campaign = small_campaign(YEAR)
    registry = {row[0]: row for row in campaign.rows["registry"]}
    registry["fabt-04"][1] = SCRIPT_NAME
    site_year = {row[0]: row for row in campaign.rows["site_year"]}
    site_year["fabt-01"][2] = 3  # people_total below the disclosure threshold
    site_year["fabt-02"][2] = 7  # above 5, below 10
    for row in campaign.rows["beneficiaries"]:
        if row[0] in ("fabt-01", "fabt-02") and row[2] == "women":
            row[3] = 2
    # fabt-05: a peer of fabt-01 (qpv, same commune), reaching 4 people; fabt-06 labelled after the year
    campaign.add(
        "registry", "fabt-05", "Vichy bis", "03310", "2020-05-01", 2, "qpv", "territoire", "association", "", "active"
    )
    campaign.add("site_year", "fabt-05", YEAR, 4, 1, 0, 2, 150, 50000)
    campaign.add(
        "registry", "fabt-06", "Plus tard", "03310", "2022-01-10", 6, "qpv", "territoire", "association", "", "active"
    )
    # fabt-02 sends an activity row with a number that is not one, and two revenue rows of one line that disagree
    campaign.add("activities", "fabt-02", YEAR, "culture", "beaucoup", 10, 5)
    campaign.add("finances", "fabt-02", YEAR, "own_sales", 31000)
    # fabt-04's annual row has one bad cell; fabt-05 sends no activities, finances or network, and a category
    # that is not one
    site_year["fabt-04"][3] = "3?"
    campaign.add("beneficiaries", "fabt-05", YEAR, "familles", 3)
    # fabt-07's registry row has an impossible date: the site, and its report, count nowhere
    campaign.add(
        "registry",
        "fabt-07",
        "Lieu à corriger",
        "03310",
        "31/02/2020",
        1,
        "qpv",
        "territoire",
        "association",
        "",
        "active",
    )
    campaign.add("site_year", "fabt-07", YEAR, 80, 1, 0, 2, 150, 50000)
    # fabt-01 sends its network row twice: the copy counts once and asks nothing of the site
    campaign.add("network", "fabt-01", YEAR, "Petit lieu 1", "23096", "coaching")
    return campaign


def write_campaign(folder):
    campaign_for_sheets().write(folder)
    # fabt-03's own workbook: a place in a commune that does not exist
    write_xlsx(
        folder / "reports" / "fabt-03.xlsx",
        {"network": (HEADERS["network"], [["fabt-03", YEAR, "Atelier du bourg", "99999", "coaching"]])},
    )
    return folder


@pytest.fixture(scope="module")
def campaign_folder(tmp_path_factory):
    return write_campaign(tmp_path_factory.mktemp("sheets") / "campaign-2021")


@pytest.fixture(scope="module")
def run(campaign_folder):
    out = campaign_folder.parent / "out"
    assert main(["run", str(campaign_folder), "--year", str(YEAR), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def run_threshold_10(run):
    """The same published warehouse, its reports rendered again with `--disclosure-threshold 10`'s setting."""
    out = run.parent / "out-10"
    render_reports(run / "warehouse.duckdb", out / "reports", YEAR, disclosure_threshold=10, pdf=False)
    return out


def test_the_disclosure_threshold_option_reaches_the_reports(monkeypatch, tmp_path):
    class Called(Exception):
        pass

    def record(*args, **kwargs):
        seen.update(kwargs)
        raise Called

    seen = {}
    monkeypatch.setattr("fabriques.run.run", record)
    (tmp_path / "c").mkdir()
    with pytest.raises(Called):
        main(["run", str(tmp_path / "c"), "--year", "2021", "--out", str(tmp_path), "--disclosure-threshold", "10"])
    assert seen["disclosure_threshold"] == 10


def sheet(out, site_id, lang="fr"):
    return (out / "reports" / "sites" / str(YEAR) / f"{site_id}.{lang}.html").read_text(encoding="utf-8")


def figure(html, measure):
    """(site value, peers' median) as shown in the row of a measure."""
    row = re.search(rf'<tr data-measure="{measure}">(.*?)</tr>', html, re.S).group(1)
    site = re.search(r'<td class="num site-value">(.*?)</td>', row, re.S).group(1)
    peers = re.search(r'<td class="num peer-value">(.*?)</td>', row, re.S).group(1)
    return site.strip(), peers.strip()


def test_one_sheet_per_site_labelled_by_the_end_of_the_year_and_language(run):
    folder = run / "reports" / "sites" / str(YEAR)
    expected = {f"fabt-0{n}.{lang}.html" for n in (1, 2, 3, 4, 5, 7) for lang in ("fr", "en")}
    assert {p.name for p in folder.iterdir()} == expected  # fabt-06 is labelled in 2022; fabt-07 is set aside
    index = (run / "reports" / "index.html").read_text(encoding="utf-8")
    index_en = (run / "reports" / "index.en.html").read_text(encoding="utf-8")
    for n in range(1, 6):
        assert f'href="sites/{YEAR}/fabt-0{n}.fr.html"' in index
        assert f'href="sites/{YEAR}/fabt-0{n}.en.html"' in index_en
    assert '<html lang="en">' in sheet(run, "fabt-01", "en")
    assert "Fiche du lieu" in sheet(run, "fabt-01", "fr")


def test_the_sheet_shows_identity_figures_and_peers(run):
    html = sheet(run, "fabt-01")
    assert "Vichy numérique" in html and "Vichy (03310)" in html and "Auvergne-Rhône-Alpes" in html
    assert "3 février 2020" in html  # label date, in French
    assert "1 pair." in html  # fabt-05: same territorial target and DEGURBA class, labelled by 2021
    assert figure(html, "participations")[0] == "1\u202f200"  # 900 + 300
    assert figure(html, "reporting")[0] == "Oui"
    english = sheet(run, "fabt-01", "en")
    assert "3 February 2020" in english and "1 peer." in english
    assert "This site has no peers" in sheet(run, "fabt-03", "en")  # the only rural site in DEGURBA 3


def test_a_quarantined_row_of_the_site_appears_on_its_sheet_with_its_french_reason(run):
    with duckdb.connect(str(run / "warehouse.duckdb"), read_only=True) as con:
        ((message, message_en, row_number),) = con.execute(
            "select message, message_en, source_row from raw.quarantine "
            "where source_file = 'reports/activities.csv' and column_name = 'sessions'"
        ).fetchall()
        (workbook_message,) = con.execute(
            "select message from raw.quarantine where source_file = 'reports/fabt-03.xlsx#network'"
        ).fetchone()
    assert "beaucoup" in message and "nombre" in message
    html = sheet(run, "fabt-02")
    assert str(escape(message)) in html
    assert "reports/activities.csv" in html and f'<td class="num">{row_number}</td>' in html
    assert "<td>sessions</td>" in html
    assert str(escape(message_en)) in sheet(run, "fabt-02", "en")
    assert str(escape(message)) not in sheet(run, "fabt-01")
    assert str(escape(workbook_message)) in sheet(run, "fabt-03")  # a row of the site's own workbook
    assert "Rien à corriger : chaque tableau du rapport annuel 2021 a été reçu et utilisé." in sheet(run, "fabt-01")


def reception(html):
    return dict(re.findall(r'<tr data-table="(\w+)" data-reception="(\w+)">', html))


def fixes(html):
    """The rows of the table of rows set aside: (column, value as sent, reason, what to write instead)."""
    table = html.split('<table class="quarantine">')[1].split("</table>")[0]
    rows = []
    for row in re.findall(r"<tr data-reason=.*?</tr>", table, re.S):
        cells = [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows.append(dict(zip(("file", "row", "column", "value", "reason", "remedy"), cells, strict=True)))
    return rows


def test_an_exact_copy_is_listed_but_asks_nothing_of_the_site(run):
    html = sheet(run, "fabt-01")
    (copy,) = fixes(html)
    assert copy["remedy"] == "Rien : la copie est comptée une fois"
    assert 'class="call-to-action"' not in html and "Rien à corriger" in html


def test_each_table_says_whether_it_was_received_used_or_set_aside(run):
    tables = ["site_year", "activities", "beneficiaries", "finances", "network"]
    assert reception(sheet(run, "fabt-01")) == dict.fromkeys(tables, "used")
    assert reception(sheet(run, "fabt-02"))["activities"] == "partly_set_aside"  # one bad row of three
    assert reception(sheet(run, "fabt-02"))["finances"] == "partly_set_aside"  # both rows of a conflict
    assert reception(sheet(run, "fabt-04"))["site_year"] == "set_aside"
    assert reception(sheet(run, "fabt-05")) == {
        "site_year": "used",
        "activities": "not_received",
        "beneficiaries": "set_aside",
        "finances": "not_received",
        "network": "not_received",
    }
    html = sheet(run, "fabt-05", "en")
    action = re.search(r'<p class="call-to-action"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "Send by 31 March 2022 to Agence nationale de la cohésion des territoires (ANCT)" in action
    assert "https://agence-cohesion-territoires.gouv.fr" in action
    assert "the tables not received: Activities by type, Revenue by line, Places supported." in action


def test_a_report_row_set_aside_for_one_bad_cell_was_received_not_missing(run):
    html = sheet(run, "fabt-04")
    assert figure(html, "reporting")[0] == "Reçu, mis de côté"  # not "Non": the report was sent
    (fix,) = [f for f in fixes(html) if f["column"] == "employees_fte"]
    assert fix["value"] == "3?"
    assert fix["remedy"] == "Un nombre seul, sans texte ni signe, par exemple 3"
    assert "Ligne telle qu'envoyée : site_id = fabt-04" in fix["reason"] and "employees_fte = 3?" in fix["reason"]
    assert "31 mars 2022" in re.search(r'<p class="call-to-action"[^>]*>(.*?)</p>', html, re.S).group(1)


def test_both_values_of_a_key_conflict_are_shown(run):
    conflict = [f for f in fixes(sheet(run, "fabt-02", "en")) if f["column"] == "amount_eur"]
    assert sorted(f["value"] for f in conflict) == ["30000", "31000"]
    for fix in conflict:
        other = "31000" if fix["value"] == "30000" else "30000"
        assert fix["remedy"].startswith("One row only for this key, with the right values")
        assert f"amount_eur = {other}" in fix["remedy"]


def test_allowed_codes_are_given_with_their_labels_in_the_sheet_language(run):
    (fix,) = [f for f in fixes(sheet(run, "fabt-05")) if f["column"] == "category"]
    assert fix["value"] == "familles"
    assert "women (Femmes)" in fix["remedy"] and "youth_under_26 (Jeunes de moins de 26 ans)" in fix["remedy"]
    (fix_en,) = [f for f in fixes(sheet(run, "fabt-05", "en")) if f["column"] == "category"]
    assert "women (Women)" in fix_en["remedy"]


def test_a_site_whose_registry_row_was_set_aside_has_a_sheet_saying_it_counts_nowhere(run):
    html = sheet(run, "fabt-07")
    assert "Lieu à corriger" in html
    assert 'data-notice="registry_row_set_aside"' in html and "ne compte dans aucun chiffre d'aucune année" in html
    rows = fixes(html)
    assert rows[0]["column"] == "label_date" and rows[0]["value"] == "31/02/2020"  # the cause, first
    assert rows[0]["remedy"].startswith("Une date écrite JJ/MM/AAAA")
    assert any(f["remedy"].startswith("Rien dans cette ligne : corrigez d'abord la ligne du lieu") for f in rows[1:])
    assert reception(html)["site_year"] == "set_aside"
    assert 'data-measure="' not in html  # no figures: it is in none
    assert f'href="sites/{YEAR}/fabt-07.fr.html"' in (run / "reports" / "index.html").read_text(encoding="utf-8")


def test_counts_of_people_below_the_threshold_show_as_less_than_5(run):
    site, peers = figure(sheet(run, "fabt-01"), "people_reached")
    assert site == "&lt;\u00a05"  # 3 people
    assert peers == "&lt;\u00a05"  # median of its one peer: 4 people
    site, _ = figure(sheet(run, "fabt-02"), "people_reached")
    assert site == "7"
    assert ">3<" not in sheet(run, "fabt-01").split('data-measure="people_reached"')[1].split("</tr>")[0]


def test_a_higher_disclosure_threshold_suppresses_more(run_threshold_10):
    assert figure(sheet(run_threshold_10, "fabt-02"), "people_reached")[0] == "&lt;\u00a010"
    assert figure(sheet(run_threshold_10, "fabt-01"), "people_reached")[0] == "&lt;\u00a010"
    assert figure(sheet(run_threshold_10, "fabt-03"), "people_reached")[0] == "900"
    assert "inférieurs à 10" in sheet(run_threshold_10, "fabt-01")


def test_a_site_name_holding_a_script_is_escaped_everywhere(run):
    html = sheet(run, "fabt-04")
    assert SCRIPT_NAME not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for index in ("index.html", "index.en.html"):
        text = (run / "reports" / index).read_text(encoding="utf-8")
        assert SCRIPT_NAME not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script" not in html


def test_site_ids_become_safe_and_distinct_file_names():
    names = site_file_names(["fabt-01", "../etc/passwd", "a/b", "a_b", "fabt 7"])
    assert names["fabt-01"] == "fabt-01"
    assert names["a_b"] == "a_b"
    assert len(set(names.values())) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", name) for name in names.values())


def test_small_counts_in_a_reason_about_people_are_suppressed():
    text = "Le nombre de personnes (4) dépasse le total des personnes accueillies du lieu (people_total = 3)."
    assert suppress_counts_in_text(text, 5) == (
        "Le nombre de personnes (<\u00a05) dépasse le total des personnes "
        "accueillies du lieu (people_total = <\u00a05)."
    )
    assert (
        suppress_counts_in_text("(466) > (people_total = 406), -3, 2.5", 5) == "(466) > (people_total = 406), -3, 2.5"
    )


def test_the_tables_a_sheet_reports_on_are_the_contracts_site_report_tables():
    import csv

    from fabriques.contract import SITE_REPORT_TABLES
    from fabriques.settings import SEEDS_DIR

    with open(SEEDS_DIR / "code_lists.csv", encoding="utf-8", newline="") as handle:
        listed = [row["code"] for row in csv.DictReader(handle) if row["domain"] == "report_table"]
    assert sorted(listed) == sorted(SITE_REPORT_TABLES)
