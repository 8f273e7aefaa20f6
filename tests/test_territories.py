"""A programme outside France: its programme folder names a territory file of its own local units, and a run checks
the campaign's communes against it, builds the territory dimension from it and publishes the indicators by its
regions and DEGURBA classes (the French geography is not read)."""

import csv
import re

import pytest

from campaign_builder import small_campaign
from fabriques import programme
from fabriques.cli import main

YEAR = 2025

# Romanian local administrative units, for illustration (codes, classes and flags are not the official LAU table).
TERRITORIES = """\
code,name,parent_code,parent_name,region_code,region_name,nuts3_code,degurba,priority_area,population,former_codes
54975,Cluj-Napoca,RO113,Cluj,RO11,Nord-Vest,RO113,1,yes,286598,
57706,Florești,RO113,Cluj,RO11,Nord-Vest,RO113,2,no,52735,
95060,Iași,RO213,Iași,RO21,Nord-Est,RO213,1,yes,271692,
98131,Ciurea,RO213,Iași,RO21,Nord-Est,RO213,3,no,23460,98122 98140
"""

COMMUNES = {"03310": "54975", "13055": "95060", "49126": "98122", "15014": "57706", "23096": "98 131"}
"""The French communes of the small campaign -> the Romanian units the test sends instead (98122 is a former code
of Ciurea, `98 131` is Ciurea's code as a spreadsheet may space it)."""


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def romanian_programme(folder):
    programme.init(folder)
    settings = folder / "programme.toml"
    edit(settings, 'country = "FR"\ncountry_name = "France"', 'country = "RO"\ncountry_name = "Romania"')
    edit(settings, 'report_languages = ["fr", "en"]', 'report_languages = ["en"]')
    edit(settings, 'en = "Fabriques de Territoire"', 'en = "Territory workshops"')
    settings.write_text(settings.read_text(encoding="utf-8") + '\n[territories]\nfile = "territories.csv"\n', "utf-8")
    (folder / "territories.csv").write_text(TERRITORIES, encoding="utf-8")
    with open(folder / "indicator_targets.csv", "w", encoding="utf-8", newline="") as handle:
        handle.write("indicator_code,scope_type,scope_code,from_year,comparator,target_value,source\n")
        handle.write("FT01_sites_labelled,national,RO,2025,>=,4,Test programme\n")
        handle.write("FT01_sites_labelled,region,RO11,2025,>=,2,Test programme\n")
    return folder


def test_a_programme_in_another_country_publishes_by_its_regions_and_degurba_classes(tmp_path, capsys):
    folder = romanian_programme(tmp_path / "programme")
    assert main(["programme", "check", str(folder)]) == 0
    assert "territories: 4 local units in 2 regions" in capsys.readouterr().out
    campaign = small_campaign(YEAR)
    for table, position in (("registry", 2), ("network", 3)):
        for row in campaign.rows[table]:
            row[position] = COMMUNES[row[position]]
    campaign.add("registry", "fabt-09", "Lieu français", "75056", "2021-01-04", 5, "qpv", "territoire", "association",
                 "", "active")  # fmt: skip
    out = tmp_path / "out"
    campaign_dir = campaign.write(tmp_path / "campaign")
    assert main(["run", str(campaign_dir), "--year", str(YEAR), "--out", str(out), "--programme", str(folder)]) == 0

    with open(out / "quarantine.csv", encoding="utf-8", newline="") as handle:
        quarantined = list(csv.DictReader(handle))
    assert [(r["source_file"], r["source_row"], r["column_name"], r["reason_code"]) for r in quarantined] == [
        ("registry.csv", "6", "commune_insee", "unknown_territory")
    ]  # a French commune is not a unit of this programme
    assert "territory file" in quarantined[0]["message_en"]

    with open(out / "indicators.csv", encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["year"] == str(YEAR)]
    labelled = {
        (r["scope_type"], r["scope_code"]): r["value"] for r in rows if r["indicator_code"] == "FT01_sites_labelled"
    }
    assert {k: v for k, v in labelled.items() if k[0] != "site"} == {
        ("national", "RO"): "4",
        ("region", "RO11"): "2",  # Cluj-Napoca, Florești
        ("region", "RO21"): "2",  # Iași, Ciurea (sent under its former code)
        ("degurba", "1"): "2",
        ("degurba", "2"): "1",
        ("degurba", "3"): "1",
        ("territory_target", "qpv"): "2",
        ("territory_target", "rural"): "2",
    }
    targets = {
        (r["scope_type"], r["scope_code"]): r["target_value"]
        for r in rows
        if r["indicator_code"] == "FT01_sites_labelled"
    }
    assert targets[("national", "RO")] == "4" and targets[("region", "RO11")] == "2"

    scorecard_csv = out / "reports" / "scorecard" / str(YEAR) / "scorecard.en.csv"
    with open(scorecard_csv, encoding="utf-8-sig", newline="") as handle:
        scorecard = {(r["Indicator code"], r["Scope"]): r for r in csv.DictReader(handle)}
    assert scorecard[("FT01_sites_labelled", "Romania")]["Status code"] == "met"
    assert scorecard[("FT01_sites_labelled", "Nord-Vest")]["Target"] == "2"
    region_status = scorecard[("FT01_sites_labelled", "Nord-Vest")]["Status code"]
    assert region_status in ("met", "on_track", "off_track")
    page = (out / "reports" / "scorecard" / str(YEAR) / "scorecard.en.html").read_text(encoding="utf-8")
    region_row = re.search(r'<tr data-region="RO11">(.*?)</tr>', page, re.S).group(1)
    assert f'data-status="{region_status}"' in region_row  # a region with a target of its own has its status
    report = (out / "reports" / "annual" / str(YEAR) / "report.en.html").read_text(encoding="utf-8")
    assert "Nord-Vest" in report and "Nord-Est" in report
    assert "Île-de-France" not in report


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (",RO113,1,yes,286598,", ",RO11,1,yes,286598,", "territories.csv: row 2, column nuts3_code: 'RO11'"),
        (",RO213,3,no,23460,", ",RO213,4,no,23460,", "territories.csv: row 5, column degurba: '4'"),
        (",2,no,52735,", ",2,maybe,52735,", "territories.csv: row 3, column priority_area: 'maybe'"),
        ("98122 98140", "98122 95060", "territories.csv: row 5, column former_codes: '95060' is a current code"),
        ("57706,Florești", "54975,Florești", "territories.csv: row 3, column code: '54975' is listed twice"),
    ],
)
def test_a_bad_territory_file_is_refused_with_its_row_and_column(tmp_path, old, new, message):
    folder = romanian_programme(tmp_path / "programme")
    edit(folder / "territories.csv", old, new)
    with pytest.raises(programme.ProgrammeError) as refused:
        programme.load(folder)
    assert message in str(refused.value)
