"""Published files are safe to open: no formula runs in a spreadsheet, no personal data is disclosed."""
import csv

import duckdb
from campaign_builder import small_campaign

from fabriques.export import export_quarantine, neutralise_formula
from fabriques.privacy import redact


def test_text_starting_like_a_formula_is_made_inert():
    for text in ("=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
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
    campaign.rows["network"][0][2] = "=HYPERLINK(\"http://evil\",\"clic\") contact jo@lieu.fr 0612345678"
    campaign.rows["network"][0][3] = "99999"  # unknown commune: the row is quarantined with its values
    wh = ingest_into(campaign.write(tmp_path / "c"))
    with duckdb.connect(str(wh.path), read_only=True) as con:
        export_quarantine(con, tmp_path / "quarantine.csv")
    text = (tmp_path / "quarantine.csv").read_text(encoding="utf-8")
    assert "jo@lieu.fr" not in text and "0612345678" not in text and "[e-mail masqué]" in text
    with open(tmp_path / "quarantine.csv", encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
