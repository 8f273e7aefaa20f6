"""Bad input (reporting pack, section 3): every row ends loaded or quarantined, with file, row, column, reason."""

import json

import pytest

from campaign_builder import HEADERS, small_campaign, write_csv

# (table, row index in the table, column, bad value, reason code)
BAD_VALUES = [
    ("site_year", 0, "people_total", "12O", "invalid_number"),
    ("site_year", 1, "employees_fte", "n/a", "invalid_number"),
    ("registry", 1, "label_date", "31/02/2021", "invalid_date"),
    ("activities", 2, "hours", "-4", "negative_value"),
    ("site_year", 2, "open_days", "400", "out_of_range"),
    ("registry", 2, "label_round", "12", "out_of_range"),
    ("grants", 1, "montant", "0", "out_of_range"),
    ("activities", 0, "activity_type", "cowork", "invalid_code"),
    ("registry", 3, "territory_target", "urbain", "invalid_code"),
    ("finances", 0, "amount_eur", "", "missing_value"),
    ("network", 0, "commune_insee", "99999", "unknown_commune"),
    ("site_year", 3, "year", "20211", "out_of_range"),
    ("grants", 3, "objet", "x" * 1001, "value_too_long"),
]


@pytest.mark.parametrize("table, index, column, value, reason", BAD_VALUES)
def test_a_value_breaking_its_column_rule_quarantines_its_row(
    tmp_path, ingest_into, table, index, column, value, reason
):
    campaign = small_campaign()
    row = campaign.rows[table][index]
    original_id = row[0]
    row[HEADERS[table].index(column)] = value
    wh = ingest_into(campaign.write(tmp_path / "c"))
    place = f"{'' if table in ('registry', 'grants', 'payments') else 'reports/'}{table}.csv"
    found = [q for q in wh.quarantine() if q[0] == place]
    assert found[0] == (place, index + 2, column, reason)
    original = json.loads(
        wh.value(
            "select original_values from raw.quarantine where source_file = ? and source_row = ?", [place, index + 2]
        )
    )
    assert original[column] == value and original[HEADERS[table][0]] == original_id
    message = wh.value(
        "select message from raw.quarantine where source_file = ? and source_row = ?", [place, index + 2]
    )
    assert column in message or value in message


def test_a_registry_row_with_a_bad_commune_makes_the_site_unknown_everywhere(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["registry"][1][2] = "99999"
    wh = ingest_into(campaign.write(tmp_path / "c"))
    reasons = wh.rows("select table_name, reason_code, count(*) from raw.quarantine group by all order by 1")
    assert reasons == [
        ("activities", "unknown_site", 2),
        ("beneficiaries", "unknown_site", 2),
        ("finances", "unknown_site", 3),
        ("grants", "unknown_site", 2),
        ("network", "unknown_site", 1),
        ("payments", "unknown_grant", 2),
        ("registry", "unknown_commune", 1),
        ("site_year", "unknown_site", 1),
    ]
    assert wh.value("select count(*) from raw.site_year where site_id = 'fabt-02'") == 0
    assert "quarantaine" in wh.value("select message from raw.quarantine where table_name = 'grants' limit 1")


def test_rows_for_unknown_site_or_grant_are_quarantined_naming_the_parent(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.add("activities", "fabt-999", 2021, "culture", 1, 1, 1)
    campaign.add("payments", "G-404", "2021-01-01", 10)
    wh = ingest_into(campaign.write(tmp_path / "c"))
    assert ("reports/activities.csv", 10, "site_id", "unknown_site") in wh.quarantine()
    assert ("payments.csv", 10, "referenceDecision", "unknown_grant") in wh.quarantine()
    assert "fabt-999" in wh.value("select message from raw.quarantine where reason_code = 'unknown_site'")


def test_exact_copies_load_once_and_extra_copies_are_quarantined(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["finances"].append(list(campaign.rows["finances"][0]))
    wh = ingest_into(campaign.write(tmp_path / "c"))
    assert wh.quarantine() == [("reports/finances.csv", 14, "site_id", "duplicate_row")]
    assert wh.value("select sum(amount_eur) from raw.finances where site_id = 'fabt-01'") == 100000


def test_rows_sharing_a_key_with_different_values_are_all_quarantined_never_summed(tmp_path, ingest_into):
    campaign = small_campaign()
    conflicting = list(campaign.rows["site_year"][0])
    conflicting[2] = 999
    campaign.rows["site_year"].append(conflicting)
    wh = ingest_into(campaign.write(tmp_path / "c"))
    assert [q[1:] for q in wh.quarantine()] == [
        (2, "site_id", "duplicate_key_conflict"),
        (6, "site_id", "duplicate_key_conflict"),
    ]
    assert wh.value("select count(*) from raw.site_year where site_id = 'fabt-01'") == 0


def test_duplicate_key_across_two_files_is_a_conflict_too(tmp_path, ingest_into):
    campaign = small_campaign()
    folder = campaign.write(tmp_path / "c")
    copy = [list(campaign.rows["registry"][0])]
    copy[0][1] = "Autre nom"
    write_csv(folder / "registry_extra.csv", HEADERS["registry"], copy)
    wh = ingest_into(folder)
    assert {q[0] for q in wh.quarantine() if q[3] == "duplicate_key_conflict"} == {"registry.csv", "registry_extra.csv"}


def test_a_payment_taking_the_sum_paid_beyond_the_grant_is_quarantined(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.add("payments", "G-1", "2022-01-10", 50000)  # 150 000 paid: fits
    campaign.add("payments", "G-1", "2022-02-10", "0,01")  # beyond
    wh = ingest_into(campaign.write(tmp_path / "c"))
    assert wh.quarantine() == [("payments.csv", 11, "amount_eur", "payment_exceeds_grant")]
    assert wh.value("select sum(amount_eur) from raw.payments where referenceDecision = 'G-1'") == 150000


def test_a_beneficiary_count_above_people_total_is_quarantined_except_organisations(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["beneficiaries"][0][3] = 301  # fabt-01 people_total = 300
    campaign.rows["beneficiaries"][1][3] = 5000  # organisations count bodies, not people
    wh = ingest_into(campaign.write(tmp_path / "c"))
    assert wh.quarantine() == [("reports/beneficiaries.csv", 2, "people", "exceeds_people_total")]


def test_an_invalid_siret_is_loaded_empty_and_flagged(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["registry"][0][8] = "12345678901234"
    campaign.rows["registry"][1][8] = "73282932000074"  # valid
    wh = ingest_into(campaign.write(tmp_path / "c"))
    assert wh.quarantine() == []
    assert wh.rows("select site_id, siret from raw.registry order by site_id")[:2] == [
        ("fabt-01", None),
        ("fabt-02", "73282932000074"),
    ]
    assert wh.rows("select source_file, source_row, column_name, flag_code from raw.flags") == [
        ("registry.csv", 2, "siret", "invalid_siret")
    ]


def test_a_missing_required_column_quarantines_every_row_of_the_file(tmp_path, ingest_into):
    campaign = small_campaign()
    folder = campaign.write(tmp_path / "c")
    write_csv(folder / "reports" / "finances.csv", HEADERS["finances"][:3], [r[:3] for r in campaign.rows["finances"]])
    wh = ingest_into(folder)
    assert {q[2:] for q in wh.quarantine()} == {("amount_eur", "missing_column")}
    assert len(wh.quarantine()) == len(campaign.rows["finances"])


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("reports/notes.docx", b"free text", "unsupported_format"),
        ("reports/notes.txt", b"free text", "unknown_table"),
        ("reports/fabt-01.xlsx", b"this is not a workbook", "unreadable_file"),
        ("reports/garbage.csv", b"\x00\x01\x02binary\x00", "unreadable_file"),
        ("reports/activities_bin.csv", b"\x00\x01\x02binary\x00" * 10, "unreadable_file"),
        ("reports/activities_cp.csv", b"site_id,year\n\x81\x8d\x8f\x90\x9d,2021\n", "unreadable_file"),
        ("budget.csv", b"a,b\n1,2\n", "unknown_table"),
    ],
)
def test_a_file_that_cannot_be_read_is_quarantined_whole(tmp_path, ingest_into, name, content, reason):
    folder = small_campaign().write(tmp_path / "c")
    (folder / name).write_bytes(content)
    wh = ingest_into(folder)
    assert wh.quarantine() == [(name, None, None, reason)]
    assert wh.value("select status from raw.manifest where source_file = ?", [name]) == "unreadable"


def test_a_file_without_a_recognisable_header_is_quarantined_row_by_row(tmp_path, ingest_into):
    folder = small_campaign().write(tmp_path / "c")
    (folder / "reports" / "network_2.csv").write_text("foo,bar\n1,2\n3,4\n")
    wh = ingest_into(folder)
    assert wh.quarantine() == [
        ("reports/network_2.csv", 2, None, "no_header"),
        ("reports/network_2.csv", 3, None, "no_header"),
    ]


def test_rows_read_equal_rows_loaded_plus_quarantined_for_every_file(tmp_path, ingest_into):
    campaign = small_campaign()
    for table, index, column, value, _ in BAD_VALUES:
        campaign.rows[table][index][HEADERS[table].index(column)] = value
    campaign.rows["finances"].append(list(campaign.rows["finances"][3]))
    folder = campaign.write(tmp_path / "c")
    (folder / "reports" / "notes.txt").write_text("x")
    wh = ingest_into(folder)
    manifest = wh.rows("select source_file, rows_read, rows_loaded, rows_quarantined from raw.manifest")
    assert all(read == loaded + quarantined for _, read, loaded, quarantined in manifest)
    for source_file, _read, loaded, quarantined in manifest:
        table = wh.value("select table_name from raw.manifest where source_file = ?", [source_file])
        if table:
            assert wh.value(f"select count(*) from raw.{table} where source_file = ?", [source_file]) == loaded
        assert (
            wh.value(
                "select count(*) from raw.quarantine where source_file = ? and source_row is not null", [source_file]
            )
            == quarantined
        )
    sent = sum(len(rows) for rows in campaign.rows.values())
    assert wh.value("select sum(rows_read) from raw.manifest") == sent


def test_loading_the_same_campaign_twice_gives_the_same_warehouse(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["site_year"][0][2] = "bad"
    folder = campaign.write(tmp_path / "c")
    tables = [
        "registry",
        "grants",
        "payments",
        "site_year",
        "activities",
        "beneficiaries",
        "finances",
        "network",
        "manifest",
        "quarantine",
        "flags",
    ]

    def snapshot(wh):
        contents = {t: sorted(wh.rows(f"select * from raw.{t}"), key=repr) for t in tables}
        contents["campaigns"] = wh.rows("select campaign_key, campaign_name, reporting_year from raw.campaigns")
        return contents

    first = snapshot(ingest_into(folder))
    second = snapshot(ingest_into(folder))
    assert first == second
    assert len(second["campaigns"]) == 1 and len(second["quarantine"]) == 1


def test_a_campaign_without_a_registry_is_refused_with_a_clear_message(tmp_path, capsys):
    from fabriques.cli import main

    folder = small_campaign().write(tmp_path / "c")
    (folder / "registry.csv").unlink()
    assert main(["ingest", str(folder), "--year", "2021", "--warehouse", str(tmp_path / "wh.duckdb")]) == 2
    assert "no registry file" in capsys.readouterr().err


def test_a_file_linking_outside_the_campaign_folder_is_not_read(tmp_path, ingest_into):
    secret = tmp_path / "secret.csv"
    secret.write_text("site_id,year\nx,2021\n")
    folder = small_campaign().write(tmp_path / "c")
    (folder / "reports" / "activities_extra.csv").symlink_to(secret)
    wh = ingest_into(folder)
    assert wh.quarantine() == [("reports/activities_extra.csv", None, None, "outside_campaign")]


def test_a_file_above_the_size_limit_is_quarantined_whole(tmp_path, ingest_into, monkeypatch):
    from fabriques.ingest import campaign as campaign_module

    folder = small_campaign().write(tmp_path / "c")
    write_csv(
        folder / "reports" / "activities_big.csv", HEADERS["activities"], [["fabt-01", 2021, "other", 1, 1, 1]] * 5000
    )
    monkeypatch.setattr(campaign_module, "MAX_INPUT_FILE_BYTES", 50_000)
    wh = ingest_into(folder)
    assert wh.quarantine() == [("reports/activities_big.csv", None, None, "file_too_large")]


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_as_a_zip_bomb(tmp_path, ingest_into, monkeypatch):
    import zipfile

    from fabriques.ingest import archives

    folder = small_campaign().write(tmp_path / "c")
    with zipfile.ZipFile(folder / "reports" / "fabt-01.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)
    monkeypatch.setattr(archives, "MAX_UNCOMPRESSED_BYTES", 10_000_000)
    wh = ingest_into(folder)
    assert wh.quarantine() == [("reports/fabt-01.xlsx", None, None, "file_too_large")]
