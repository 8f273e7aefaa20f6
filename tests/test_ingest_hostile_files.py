"""Files as they really break, each once crashing ingestion, losing a value or skipping a file (found by
tests/test_fuzz_ingest.py): now each is read, or quarantined with its reason, and nothing is lost."""

import io
import json
import os
import struct
import zipfile
from pathlib import Path

from campaign_builder import HEADERS, small_campaign, write_csv, write_xlsx

ACTIVITY = ["fabt-01", 2021, "culture", 1, 1, 1]


def test_a_file_name_that_is_not_utf8_is_read_and_named_as_windows_1252(tmp_path, ingest_into):
    folder = small_campaign().write(tmp_path / "c")
    for suffix in (b".csv", b".xlsx"):
        name = os.fsencode(folder / "reports") + b"/activit\xe9s_extra" + suffix
        path = Path(os.fsdecode(name))
        if suffix == b".csv":
            write_csv(path, HEADERS["activities"], [ACTIVITY])
        else:
            write_xlsx(path, {"activites": (HEADERS["activities"], [ACTIVITY])})
    wh = ingest_into(folder)
    rows = wh.rows(
        "select source_file, rows_read, rows_loaded from raw.manifest where source_file like '%extra%' order by 1"
    )
    assert rows == [("reports/activités_extra.csv", 1, 1), ("reports/activités_extra.xlsx#activites", 1, 0)]
    assert wh.quarantine() == [("reports/activités_extra.xlsx#activites", 2, "site_id", "duplicate_row")]


def test_a_file_whose_bom_says_utf8_but_is_not_is_quarantined_whole(tmp_path, ingest_into):
    folder = small_campaign().write(tmp_path / "c")
    (folder / "reports" / "activities_bom.csv").write_bytes(b"\xef\xbb\xbfsite_id,year\n\xff\xfe\x81,2021\n")
    wh = ingest_into(folder)
    assert wh.quarantine() == [("reports/activities_bom.csv", None, None, "unreadable_file")]
    assert "UTF-8" in wh.value("select message_en from raw.quarantine")


def test_a_truncated_utf16_file_is_quarantined_whole(tmp_path, ingest_into):
    folder = small_campaign().write(tmp_path / "c")
    (folder / "reports" / "activities_16.csv").write_bytes("site_id,year\nfabt-01,2021\n".encode("utf-16")[:-1])
    wh = ingest_into(folder)
    assert wh.quarantine() == [("reports/activities_16.csv", None, None, "unreadable_file")]


def test_numbers_too_large_for_any_figure_quarantine_their_row(tmp_path, ingest_into):
    campaign = small_campaign()
    campaign.rows["site_year"][0][2] = "9" * 5000  # once: Python refuses to read an integer of 5000 digits
    campaign.rows["grants"][0][6] = "100 000 000 000 000 000"  # once: the warehouse's DECIMAL(18,2) refused it
    campaign.rows["activities"][0][4] = 1e300
    wh = ingest_into(campaign.write(tmp_path / "c", {"activities": {"xlsx": True}}))
    found = {(q[0], q[2], q[3]) for q in wh.quarantine()}
    assert {
        ("reports/site_year.csv", "people_total", "out_of_range"),
        ("grants.csv", "montant", "out_of_range"),
        ("reports/activities.xlsx#activities", "hours", "out_of_range"),
    } <= found
    assert "10^15" in wh.value("select message_en from raw.quarantine where column_name = 'people_total'")


def test_a_row_under_duplicated_headers_keeps_every_cell_in_its_original_values(tmp_path, ingest_into):
    folder = small_campaign().write(tmp_path / "c")
    write_csv(
        folder / "reports" / "activities_dup.csv", HEADERS["activities"] + ["hours", ""], [[*ACTIVITY, "12", "note"]]
    )
    wh = ingest_into(folder)
    assert wh.quarantine() == [("reports/activities_dup.csv", 2, None, "duplicate_column")]
    original = json.loads(wh.value("select original_values from raw.quarantine"))
    assert sorted(original.values()) == sorted(str(c) for c in [*ACTIVITY, "12", "note"])
    assert list(original)[-2:] == ["column_7", "column_8"]


def test_a_workbook_holding_only_empty_sheets_is_in_the_manifest(tmp_path, ingest_into):
    folder = small_campaign().write(tmp_path / "c")
    write_xlsx(folder / "reports" / "fabt-01.xlsx", {"Feuil1": ([], []), "Feuil2": ([], [])})
    wh = ingest_into(folder)
    assert wh.rows(
        "select source_file, table_name, rows_read, status from raw.manifest where source_file like '%fabt-01%'"
    ) == [("reports/fabt-01.xlsx", None, 0, "empty")]


def test_links_to_nothing_or_to_a_folder_and_special_files_are_quarantined_not_followed(tmp_path, ingest_into):
    outside = tmp_path / "outside"
    outside.mkdir()
    write_csv(outside / "activities.csv", HEADERS["activities"], [ACTIVITY])
    folder = small_campaign().write(tmp_path / "c")
    (folder / "reports" / "activities_gone.csv").symlink_to(folder / "reports" / "deleted.csv")
    (folder / "reports" / "more").symlink_to(outside)
    (folder / "reports" / "same").symlink_to(folder / "reports")
    os.mkfifo(folder / "reports" / "activities_pipe.csv")  # once: reading it waited for ever
    wh = ingest_into(folder)
    assert sorted(wh.quarantine()) == [
        ("reports/activities_gone.csv", None, None, "not_a_file"),
        ("reports/activities_pipe.csv", None, None, "not_a_file"),
        ("reports/more", None, None, "outside_campaign"),
        ("reports/same", None, None, "not_a_file"),
    ]
    assert wh.value("select count(*) from raw.activities") == 8  # nothing read twice, nothing from outside


def test_a_workbook_that_lies_about_its_size_is_measured_as_it_unpacks(tmp_path, ingest_into, monkeypatch):
    from fabriques.ingest import archives

    folder = small_campaign().write(tmp_path / "c")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)
    (folder / "reports" / "fabt-01.xlsx").write_bytes(declaring_size(buffer.getvalue(), 1000))
    monkeypatch.setattr(archives, "MAX_UNCOMPRESSED_BYTES", 10_000_000)
    wh = ingest_into(folder)
    assert wh.quarantine() == [("reports/fabt-01.xlsx", None, None, "file_too_large")]


def declaring_size(archive: bytes, size: int) -> bytes:
    """The same zip archive with its one part declaring `size` bytes unpacked, in both of its headers."""
    data = bytearray(archive)
    local = data.index(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, size)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, size)
    return bytes(data)
