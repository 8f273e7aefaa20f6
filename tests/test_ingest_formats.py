"""Every input format of the reporting pack (section 1) is read without hand-editing."""

import datetime as dt

import pytest

from campaign_builder import HEADERS, small_campaign, write_csv, write_xlsx
from fabriques.ingest.parsers import BadValue, parse_date, parse_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("150000", 150000),
        ("150000.00", 150000.0),
        ("150 000", 150000),
        ("150 000,00", 150000.0),
        ("150.000,00", 150000.0),
        ("150\u00a0000,00 €", 150000.0),
        ("150\u202f000 €", 150000),
        ("1,5", 1.5),
        ("1 234,56", 1234.56),
        ("1,234.56", 1234.56),
        ("12", 12),
        ("-3", -3),
        ("1.234.567", 1234567),
    ],
)
def test_number_formats_of_french_and_english_spreadsheets_are_read(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["n/a", "12O", "1e5", "", "€", "1,2,3,4", "nan"])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(BadValue):
        parse_number(text)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2021-03-30", dt.date(2021, 3, 30)),
        ("30/03/2021", dt.date(2021, 3, 30)),
        ("3/2/2020", dt.date(2020, 2, 3)),
        (dt.datetime(2021, 3, 30), dt.date(2021, 3, 30)),
        (44285, dt.date(2021, 3, 30)),
    ],
)
def test_dates_as_iso_french_or_typed_cells_are_read(value, expected):
    assert parse_date(value) == expected


def test_semicolon_windows_1252_csv_with_decimal_commas_is_loaded(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["grants"][0][6] = "150 000,00 €"
    campaign.rows["site_year"][0][3] = "2,5"
    folder = campaign.write(tmp_path / "c", {t: {"delimiter": ";", "encoding": "cp1252"} for t in HEADERS})
    wh = ingest_into(folder)
    assert wh.quarantine() == []
    assert wh.value("select montant from raw.grants where referenceDecision = 'G-1'") == 150000
    assert wh.value("select employees_fte from raw.site_year where site_id = 'fabt-01'") == 2.5
    assert wh.value("select site_name from raw.registry where site_id = 'fabt-01'") == "Vichy numérique"


def test_utf8_csv_with_bom_is_loaded(tmp_path, ingest_into):
    folder = small_campaign().write(tmp_path / "c", {t: {"bom": True} for t in HEADERS})
    wh = ingest_into(folder)
    assert wh.quarantine() == []
    assert wh.value("select count(*) from raw.registry") == 4


def test_headers_differing_by_case_accents_and_spaces_are_matched(tmp_path, ingest_into):
    campaign = small_campaign()
    folder = campaign.write(tmp_path / "c")
    header = [
        " Site_ID ",
        "SITE_NAME",
        "Commune_INSEE",
        "Label_Date",
        "label_round ",
        "Territory_Target",
        "fabrique_type",
        "legal_form",
        "SIRET",
        "Statut",
    ]
    write_csv(folder / "registry.csv", header, campaign.rows["registry"])
    write_csv(
        folder / "grants.csv",
        ["Référence Décision", *HEADERS["grants"][1:6], " Montant ", *HEADERS["grants"][7:]],
        campaign.rows["grants"],
    )
    wh = ingest_into(folder)
    assert wh.quarantine() == []
    assert wh.value("select count(*) from raw.grants") == 8


def test_commune_code_that_lost_its_leading_zero_is_restored(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["registry"][0][2] = "3310"
    wh = ingest_into(campaign.write(tmp_path / "c"))
    assert wh.rows("select commune_insee, commune_code from raw.registry where site_id = 'fabt-01'") == [
        ("03310", "03310")
    ]


def test_older_commune_code_resolves_to_todays_commune(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["registry"][2][2] = "49069"  # Orée d'Anjou before the 2025 merger
    wh = ingest_into(campaign.write(tmp_path / "c"))
    assert wh.rows("select commune_insee, commune_code from raw.registry where site_id = 'fabt-03'") == [
        ("49069", "49126")
    ]


def test_municipal_district_and_overseas_collectivity_are_kept(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["registry"][0][2] = "13201"  # Marseille 1er arrondissement (ARM)
    campaign.rows["registry"][1][2] = "97801"  # Saint-Martin, a collectivity outside the commune list
    wh = ingest_into(campaign.write(tmp_path / "c"))
    assert wh.quarantine() == []
    assert wh.rows(
        "select site_id, commune_code from raw.registry where site_id in ('fabt-01', 'fabt-02') order by site_id"
    ) == [("fabt-01", "13055"), ("fabt-02", "97801")]


def test_quoted_fields_with_delimiters_and_newlines_keep_row_numbers(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["registry"][0][1] = 'Le "Lieu"; deux\nlignes, et virgule'
    campaign.rows["registry"][1][8] = "not-a-siret"
    folder = campaign.write(tmp_path / "c", {"registry": {"delimiter": ";"}})
    wh = ingest_into(folder)
    assert (
        wh.value("select site_name from raw.registry where site_id = 'fabt-01'")
        == 'Le "Lieu"; deux\nlignes, et virgule'
    )
    assert wh.rows("select source_row from raw.flags") == [(3,)]


def test_xlsx_with_typed_and_text_cells_is_loaded(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["registry"][0][3] = dt.datetime(2020, 2, 3)
    campaign.rows["registry"][0][2] = 3310  # a commune typed as a number
    campaign.rows["site_year"][0][3] = "2,5"
    campaign.rows["site_year"][1][7] = 120000.5
    folder = campaign.write(tmp_path / "c", {"registry": {"xlsx": True}, "site_year": {"xlsx": True}})
    wh = ingest_into(folder)
    assert wh.quarantine() == []
    assert wh.rows("select commune_code, label_date from raw.registry where site_id = 'fabt-01'") == [
        ("03310", dt.date(2020, 2, 3))
    ]
    assert wh.value("select source_file from raw.site_year limit 1") == "reports/site_year.xlsx#site_year"


def test_site_workbook_with_one_sheet_per_table_is_loaded(tmp_path, ingest_into):
    campaign = small_campaign()
    folder = campaign.write(tmp_path / "c")
    for table in ("site_year", "activities", "beneficiaries", "finances", "network"):
        own = [r for r in campaign.rows[table] if r[0] == "fabt-02"]
        others = [r for r in campaign.rows[table] if r[0] != "fabt-02"]
        write_csv(folder / "reports" / f"{table}.csv", HEADERS[table], others)
        campaign.rows[table] = own
    write_xlsx(
        folder / "reports" / "fabt-02.xlsx",
        {
            t: (HEADERS[t], campaign.rows[t])
            for t in ("site_year", "activities", "beneficiaries", "finances", "network")
        },
    )
    wh = ingest_into(folder)
    assert wh.quarantine() == []
    assert wh.value("select count(*) from raw.activities") == 8
    assert wh.value("select count(*) from raw.manifest where source_file like 'reports/fabt-02.xlsx#%'") == 5


def test_several_files_per_table_are_all_loaded(tmp_path, ingest_into):
    campaign = small_campaign()
    folder = campaign.write(tmp_path / "c")
    rows = campaign.rows["activities"]
    (folder / "reports" / "activities.csv").unlink()
    write_csv(folder / "reports" / "activities_part1.csv", HEADERS["activities"], rows[:3])
    write_csv(folder / "reports" / "activities_part2.csv", HEADERS["activities"], rows[3:], delimiter=";")
    wh = ingest_into(folder)
    assert wh.value("select count(*) from raw.activities") == len(rows)


def test_campaign_with_only_a_registry_loads_and_says_which_tables_are_empty(tmp_path, ingest_into, capsys):
    campaign = small_campaign()
    for table in list(campaign.rows):
        if table != "registry":
            campaign.rows[table] = []
    wh = ingest_into(campaign.write(tmp_path / "c"), year=2020)
    assert wh.value("select reporting_year from raw.campaigns") == 2020
    assert "no rows for: grants, payments, site_year" in capsys.readouterr().out
