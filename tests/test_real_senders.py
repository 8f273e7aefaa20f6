"""Files as real senders send them: the same content, damaged in form only, gives the same indicators.

One small campaign is written twice by `scripts/messy_campaign.py`: clean (UTF-8 CSV) and messy (old .xls with a
title row and a read-me sheet, Latin-9 with a `sep=;` line, a zip, UTF-16 "Unicode text", .ods, .xlsx sheets
named `Données`/`Sheet1`, total rows, identifiers in other cases, dates as typed, leading apostrophes, a lock
file). Both go through `fabriques run`; then each case is checked on what the runs published.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import re
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from campaign_builder import HEADERS, small_campaign
from fabriques.cli import main
from fabriques.ingest.parsers import BadValue, parse_date
from fabriques.ingest.readers import decode

PROJECT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("messy_campaign", PROJECT / "scripts" / "messy_campaign.py")
messy_campaign = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(messy_campaign)

YEAR = 2021
LATIN9_PURPOSE = "Cofinancement de l'œuvre commune, 20 000 €"


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Path:
    """Both runs, published under BASE/out-clean and BASE/out-messy."""
    base = tmp_path_factory.mktemp("senders")
    content = small_campaign(YEAR).rows
    content["grants"][1][5] = LATIN9_PURPOSE  # `œ` and `€` are where Latin-9 and Windows-1252 differ
    clean = messy_campaign.write_clean(content, base / "clean" / "campaign")
    messy = messy_campaign.write_messy(content, base / "messy" / "campaign")
    for folder, out in ((clean, "out-clean"), (messy, "out-messy")):
        assert main(["run", str(folder), "--year", str(YEAR), "--out", str(base / out)]) == 0
    return base


def query(out: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(out / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_messy_campaign_gives_the_indicators_of_its_clean_twin(runs):
    clean = (runs / "out-clean" / "indicators.csv").read_bytes()
    assert clean == (runs / "out-messy" / "indicators.csv").read_bytes()
    assert len(clean.splitlines()) > 100


def test_every_row_of_the_messy_campaign_loads_but_the_total_rows(runs):
    quarantine = csv_rows(runs / "out-messy" / "quarantine.csv")
    assert sorted((q["source_file"], q["reason_code"]) for q in quarantine) == [
        ("registre.xls#Feuil1", "total_row"),
        ("reports/activites.ods#Sheet1", "total_row"),
    ]
    assert all("nothing to do" in q["message_en"] for q in quarantine)
    clean_counts = query(
        runs / "out-clean",
        "select count(*) from raw.registry union all select count(*) "
        "from raw.payments union all select count(*) from raw.network",
    )
    assert (
        query(
            runs / "out-messy",
            "select count(*) from raw.registry union all select count(*) "
            "from raw.payments union all select count(*) from raw.network",
        )
        == clean_counts
    )


def test_what_is_not_a_table_is_listed_in_the_manifest_not_quarantined(runs):
    manifest = {
        row[0]: row[1:]
        for row in query(runs / "out-messy", "select source_file, status, message, rows_read from raw.manifest")
    }
    assert manifest["~$registre.xls"][:2] == ("ignored", "lock_file")
    assert manifest["registre.xls#Lisez-moi"][:2] == ("ignored", "no_table_header")
    assert manifest["reports/finances.xlsx#Codes"][:2] == ("ignored", "no_table_header")
    assert manifest["envoi-paiements.zip/__MACOSX/export/._paiements.csv"][:2] == ("ignored", "archive_metadata")
    assert manifest["envoi-paiements.zip/export/paiements.csv"][0] == "loaded"
    assert manifest["reports/finances.xlsx#Données"][0] == "loaded"  # a sheet named after no table, by its header


def test_rows_above_the_header_and_the_encoding_are_recorded(runs):
    messages = dict(query(runs / "out-messy", "select source_file, message from raw.manifest"))
    assert "header on row 3; rows above it skipped: 1" in messages["registre.xls#Feuil1"]
    assert "header on row 4; rows above it skipped: 1, 2" in messages["reports/beneficiaires.csv"]
    assert "read as ISO-8859-15" in messages["grants.csv"] and "sep=; line read" in messages["grants.csv"]
    assert "read as Windows-1252" in messages["reports/beneficiaires.csv"]


def test_text_keeps_its_letters_whatever_the_encoding(runs):
    sql = 'select objet, "nomAttribuant" from raw.grants order by "dateConvention", montant'
    assert query(runs / "out-messy", sql) == query(runs / "out-clean", sql)
    assert (LATIN9_PURPOSE,) in query(runs / "out-messy", "select objet from raw.grants")


def test_identifiers_typed_in_another_case_are_one_site(runs):
    out = runs / "out-messy"
    assert query(out, "select site_id from raw.registry order by 1")[0] == ("FABT-01",)  # as sent, in the raw row
    assert query(out, "select site_id from marts.dim_site order by 1") == [
        ("fabt-01",),
        ("fabt-02",),
        ("fabt-03",),
        ("fabt-04",),
    ]
    assert query(out, "select count(*) from marts.fct_site_year") == [(4,)]
    assert query(out, "select count(*) from marts.fct_payments") == query(
        runs / "out-clean", "select count(*) from marts.fct_payments"
    )
    places = query(out, "select place_name, support_types from marts.fct_network order by 1")
    assert len(places) == 4


def test_a_year_nobody_reported_is_empty_not_zero(runs):
    out = runs / "out-clean"
    rows = {
        (r["indicator_code"], r["year"]): r for r in csv_rows(out / "indicators.csv") if r["scope_type"] == "national"
    }
    for code in ("FT07_people_reached", "FT10_jobs_fte", "FT13_places_supported", "FT15_reporting_pct"):
        assert rows[(code, "2020")]["value"] == "" and rows[(code, "2020")]["empty_reason"] == "no_site_reports"
        assert rows[(code, str(YEAR))]["value"] != ""
    assert rows[("FT01_sites_labelled", "2020")]["value"] == "3"  # counted from the registry, not the reports
    assert query(
        out,
        "select status from marts.rpt_scorecard where indicator_code = 'FT15_reporting_pct' "
        "and year = 2020 and scope_type = 'national'",
    ) == [("no_reports",)]
    scorecard = (out / "reports" / "scorecard" / "2020" / "scorecard.en.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-indicator="FT15_reporting_pct"[^>]*>(.*?)</tr>', scorecard, re.S).group(1)
    assert 'data-status="no_reports">No reports received for 2020<' in row
    report = (out / "reports" / "annual" / "2020" / "report.fr.html").read_text(encoding="utf-8")
    assert "Aucun rapport reçu pour 2020" in report


def test_a_registry_whose_header_is_not_found_stops_the_run_with_its_reasons(runs, tmp_path, capsys):
    folder = tmp_path / "campaign"
    folder.mkdir()
    notes = "".join(f"Note {n}: à lire avant de remplir\r\n" for n in range(1, 22))
    rows = [",".join(str(c) for c in row) for row in small_campaign(YEAR).rows["registry"]]
    (folder / "registry.csv").write_text(
        notes + ",".join(HEADERS["registry"]) + "\r\n" + "\r\n".join(rows), encoding="utf-8"
    )
    out = runs / "out-messy"
    published = (out / "indicators.csv").read_bytes()
    capsys.readouterr()
    assert main(["run", str(folder), "--year", str(YEAR), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "registry.csv: 0 of 25 rows usable: 25 × No expected column is recognised in the first 20" in error
    assert "dbt" not in error and "assert_" not in error
    assert "failed-run/quarantine.csv" in error
    assert (out / "indicators.csv").read_bytes() == published  # the published outputs stay the last good ones
    quarantined = csv_rows(out / "failed-run" / "quarantine.csv")
    assert len(quarantined) == 25 and {q["reason_code"] for q in quarantined} == {"no_header"}
    manifest = csv_rows(out / "failed-run" / "manifest.csv")
    assert [(m["source_file"], m["rows_read"], m["rows_loaded"]) for m in manifest] == [("registry.csv", "25", "0")]


def test_a_formula_saved_without_its_value_says_how_to_fix_it(tmp_path, ingest_into):
    campaign = small_campaign(YEAR)
    folder = campaign.write(tmp_path / "c")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "finances"
    sheet.append(HEADERS["finances"])
    sheet.append(["fabt-01", YEAR, "own_services", "=SUM(1500,2500)"])  # openpyxl saves no calculated value
    workbook.save(folder / "reports" / "fabt-01.xlsx")
    wh = ingest_into(folder)
    assert wh.quarantine() == [("reports/fabt-01.xlsx#finances", 2, "amount_eur", "formula_without_value")]
    message, original = wh.rows("select message_en, original_values from raw.quarantine")[0]
    assert "=SUM(1500,2500)" in message and "open the file in your spreadsheet and save it" in message
    assert json.loads(original)["amount_eur"] == "=SUM(1500,2500)"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("2025/11/04", dt.date(2025, 11, 4)),
        ("24.12.2025", dt.date(2025, 12, 24)),
        ("4/11/2025", dt.date(2025, 11, 4)),  # day first: the programme's convention
        ("04-11-2025", dt.date(2025, 11, 4)),
        ("2025-11-04 00:00:00", dt.date(2025, 11, 4)),
        ("45965", dt.date(2025, 11, 4)),  # a date serial in a CSV date column
        ("45965.0", dt.date(2025, 11, 4)),
    ],
)
def test_dates_as_people_type_them(typed, expected):
    assert parse_date(typed) == expected


@pytest.mark.parametrize("typed", ["100", "99999", "13/13/2025", "2025/02/30", "4/11/25"])
def test_what_is_no_date_stays_refused(typed):
    with pytest.raises(BadValue):
        parse_date(typed)


def test_leading_apostrophes_are_a_spreadsheet_mark_not_part_of_the_value(tmp_path, ingest_into):
    campaign = small_campaign(YEAR)
    campaign.rows["registry"][0][2] = "'03310"
    campaign.rows["grants"][0][6] = "'150000"
    campaign.rows["grants"][0][4] = "'2020-06-01"
    wh = ingest_into(campaign.write(tmp_path / "c"))
    assert wh.quarantine() == []
    assert wh.value("select commune_code from raw.registry where site_id = 'fabt-01'") == "03310"
    assert wh.value("select montant from raw.grants where \"referenceDecision\" = 'G-1'") == 150000


@pytest.mark.parametrize("encoding", ["iso8859_15", "cp1252"])
def test_latin9_and_windows_1252_both_read_their_letters(encoding):
    text = "site_id;objet\r\nfabt-01;Cœur de l'œuvre : 150 000 € ŒUVRE Šárka Žofie\r\n"
    assert decode(text.encode(encoding)) == (text, encoding)


def zip_campaign(folder: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(folder / "envoi.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return folder


def csv_bytes(table: str, rows: list[list]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADERS[table], *rows])
    return buffer.getvalue().encode("utf-8")


def test_a_zip_is_read_as_if_its_members_were_in_the_folder(tmp_path, ingest_into):
    campaign = small_campaign(YEAR)
    folder = campaign.write(tmp_path / "c")
    activities = campaign.rows.pop("activities")
    (folder / "reports" / "activities.csv").unlink()
    zip_campaign(
        folder,
        {"campagne/reports/activities.csv": csv_bytes("activities", activities), "campagne/~$activities.xlsx": b"lock"},
    )
    wh = ingest_into(folder)
    assert wh.quarantine() == []
    assert wh.value(
        "select count(*) from raw.activities where source_file = 'envoi.zip/campagne/reports/activities.csv'"
    ) == len(activities)
    assert (
        wh.value("select status from raw.manifest where source_file = 'envoi.zip/campagne/~$activities.xlsx'")
        == "ignored"
    )


def test_a_zip_member_is_held_to_the_limits_of_a_file(tmp_path, ingest_into, monkeypatch):
    from fabriques.ingest import campaign as campaign_module

    folder = small_campaign(YEAR).write(tmp_path / "c")
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("activities.csv", b"site_id,year\n")
    zip_campaign(
        folder,
        {
            "../../outside.csv": b"site_id,year\nx,2021\n",
            "reports/activities_big.csv": csv_bytes("activities", [["fabt-01", YEAR, "other", 1, 1, 1]] * 5000),
            "reports/inner.zip": inner.getvalue(),
        },
    )
    monkeypatch.setattr(campaign_module, "MAX_INPUT_FILE_BYTES", 50_000)
    wh = ingest_into(folder)
    assert wh.quarantine() == [
        ("envoi.zip/../../outside.csv", None, None, "outside_campaign"),
        ("envoi.zip/reports/activities_big.csv", None, None, "file_too_large"),
        ("envoi.zip/reports/inner.zip", None, None, "unsupported_format"),
    ]


def test_a_zip_that_unpacks_beyond_the_limit_is_refused_whole(tmp_path, ingest_into, monkeypatch):
    from fabriques.ingest import archives

    folder = zip_campaign(small_campaign(YEAR).write(tmp_path / "c"), {"reports/activities_x.csv": b"\0" * 2_000_000})
    monkeypatch.setattr(archives, "MAX_UNCOMPRESSED_BYTES", 1_000_000)
    wh = ingest_into(folder)
    assert wh.quarantine() == [("envoi.zip", None, None, "file_too_large")]


def test_a_unicode_text_export_is_read_as_a_table(tmp_path, ingest_into):
    campaign = small_campaign(YEAR)
    folder = campaign.write(tmp_path / "c")
    (folder / "reports" / "site_year.csv").unlink()
    text = "\r\n".join("\t".join(str(c) for c in row) for row in [HEADERS["site_year"], *campaign.rows["site_year"]])
    (folder / "reports" / "site_year.txt").write_bytes(text.encode("utf-16"))
    wh = ingest_into(folder)
    assert wh.quarantine() == []
    assert wh.value("select count(*) from raw.site_year") == len(campaign.rows["site_year"])


def test_a_total_row_is_quarantined_with_its_own_reason(tmp_path, ingest_into):
    campaign = small_campaign(YEAR)
    campaign.add("site_year", "Total", YEAR, 3000, 10, 2, 40, 800, 480000)
    campaign.add("finances", "fabt-01", YEAR, "Sous-total", 50000)
    campaign.add("registry", "", "TOTAL", "", "", "", "", "", "", "", "")
    wh = ingest_into(campaign.write(tmp_path / "c"))
    assert sorted(q[2:] for q in wh.quarantine()) == [
        ("line", "total_row"),
        ("site_id", "total_row"),
        ("site_name", "total_row"),
    ]


def test_a_site_named_like_a_total_is_still_a_site(tmp_path, ingest_into):
    campaign = small_campaign(YEAR)
    campaign.rows["registry"][0][1] = "Total Lab"
    wh = ingest_into(campaign.write(tmp_path / "c"))
    assert wh.quarantine() == []
