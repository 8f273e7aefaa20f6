"""A language is one catalogue folder and one entry of fabriques.i18n.LANGUAGES (and, for the programme's
documents, one more code in the programme's `report_languages`): a throw-away language (`de`, with every message of
the French catalogues "translated" as ⟦message⟧) is added, and every document is rendered in it, its texts coming
through its catalogues (the seeds' labels and the indicators' names included)."""

import re
import shutil

import duckdb
import pytest
from babel.messages.pofile import read_po, write_po
from markupsafe import escape

from campaign_builder import small_campaign
from fabriques import i18n
from fabriques.cli import main
from fabriques.i18n import PROGRAMME_DOCUMENTS, TRANSFER_DOCUMENTS
from fabriques.ingest.reasons import REASONS
from fabriques.reports import pages
from fabriques.reports.render import render_reports
from fabriques.settings import LOCALES_DIR

YEAR = 2021
MARK = re.compile(r"⟦[^⟦⟧]*⟧")


def throwaway_catalogues(folder):
    """Every catalogue of French and Romanian, each message marked instead of translated (placeholders kept)."""
    target = folder / "de" / "LC_MESSAGES"
    target.mkdir(parents=True)
    for lang in ("fr", "ro"):
        for po_file in sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")):
            with open(po_file, "rb") as handle:
                catalog = read_po(handle, locale="de")
            for message in catalog:
                if message.id and not isinstance(message.id, tuple):
                    message.string = f"⟦{message.id}⟧"
            with open(target / f"{lang}_{po_file.name}", "wb") as handle:
                write_po(handle, catalog)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("language")
    campaign = small_campaign(YEAR)
    campaign.add("activities", "fabt-01", YEAR, "training", 5, -3, 10)  # negative hours: quarantined
    campaign = campaign.write(tmp / "campaign-2021")
    out = tmp / "out"
    assert main(["run", str(campaign), "--year", str(YEAR), "--out", str(out)]) == 0
    with duckdb.connect(str(out / "warehouse.duckdb")) as con:  # as if the programme listed the language
        con.execute("update programme.parameters set value = value || ',de' where parameter = 'report_languages'")
    return out / "warehouse.duckdb"


def test_every_document_renders_in_a_language_added_by_a_folder_and_an_entry(warehouse, tmp_path, monkeypatch):
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales)
    throwaway_catalogues(locales)
    monkeypatch.setattr(i18n, "LOCALES_DIR", locales)
    monkeypatch.setitem(i18n.LANGUAGES, "de", ("de_DE", PROGRAMME_DOCUMENTS + TRANSFER_DOCUMENTS))
    monkeypatch.setenv("FABRIQUES_REPORT_WORKERS", "1")
    i18n.translations.cache_clear()
    pages.environment.cache_clear()
    try:
        out = tmp_path / "reports"
        rendered = render_reports(warehouse, out, YEAR, pdf=False)
    finally:
        i18n.translations.cache_clear()
        pages.environment.cache_clear()
    german = [page for page in rendered if page.lang == "de"]
    assert {page.kind for page in german} == {page.kind for page in rendered}
    for page in german:
        html = (out / page.path).read_text(encoding="utf-8")
        assert '<html lang="de">' in html, page.path
        assert len(MARK.findall(html)) > 5, page.path
        assert "Campagne de remontée" not in html and "Quartier prioritaire" not in html, page.path
    assert (out / "index.de.html").is_file()
    annual = (out / f"annual/{YEAR}/report.de.html").read_text(encoding="utf-8")
    assert "⟦Labelled sites⟧" in annual and "⟦Priority urban neighbourhood⟧" in annual
    quarantine_message = escape(REASONS["negative_value"].split("{")[0])
    sheets = [(out / page.path).read_text(encoding="utf-8") for page in german if page.kind == "site_sheet"]
    assert any(f"⟦{quarantine_message}" in sheet for sheet in sheets)
    assert 'href="report.de.html" hreflang="de">⟦English version⟧</a>' in (
        out / f"annual/{YEAR}/report.fr.html"
    ).read_text(encoding="utf-8")
