"""The annual impact report: one page per year and language on a real run, figures equal to indicators.csv (and to
marts.fct_indicator_breakdowns) in each language's format, every indicator defined in the methods annex, every chart
with its alt text and data table, and the same warehouse rendering the same bytes."""

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from campaign_builder import small_campaign
from fabriques.cli import main
from fabriques.reports import annual, formatting
from fabriques.reports.context import ReportContext
from fabriques.settings import PROJECT_DIR

YEAR = 2021
YEARS = (2020, 2021)
"""small_campaign labels sites from 2020 and reports for 2021: the warehouse holds the years 2020 and 2021."""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("annual")
    campaign = small_campaign(YEAR)
    campaign.add("activities", "fabt-99", YEAR, "coworking", 1, 1, 1)  # a site missing from the registry
    folder = campaign.write(tmp / "campaign-2021")
    assert main(["run", str(folder), "--year", str(YEAR), "--out", str(tmp / "out")]) == 0
    return tmp / "out"


def report(run, year, lang):
    return (run / "reports" / "annual" / str(year) / f"report.{lang}.html").read_text(encoding="utf-8")


def national_indicators(run):
    with open(run / "indicators.csv", encoding="utf-8", newline="") as handle:
        return {
            (r["indicator_code"], int(r["year"])): r for r in csv.DictReader(handle) if r["scope_type"] == "national"
        }


def section(html, section_id):
    match = re.search(rf'<section id="{section_id}"[^>]*>(.*?)</section>', html, re.S)
    assert match, section_id
    return match.group(1)


def test_each_year_has_its_report_in_both_languages_and_the_reporting_year_its_pdf(run):
    reports = run / "reports"
    for year in YEARS:
        for lang in ("fr", "en"):
            html = report(run, year, lang)
            assert f'<html lang="{lang}">' in html
            assert f'href="report.{"en" if lang == "fr" else "fr"}.html"' in html
    assert "Rapport d&#39;impact annuel 2021" in report(run, 2021, "fr")
    assert "Annual impact report 2021" in report(run, 2021, "en")
    for lang in ("fr", "en"):
        assert (reports / f"annual/2021/report.{lang}.pdf").is_file()
        assert not (reports / f"annual/2020/report.{lang}.pdf").exists()
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="annual/2021/report.fr.html"' in index and 'href="annual/2021/report.fr.pdf"' in index


def test_figures_are_those_of_indicators_csv_formatted_for_each_language(run):
    indicators = national_indicators(run)
    fr, en = report(run, YEAR, "fr"), report(run, YEAR, "en")
    committed = float(indicators[("FT04_state_committed_eur", YEAR)]["value"])
    assert committed == 575000  # three grants of 150,000 and one of 125,000
    assert re.search("575[\u202f\u00a0 ]000[\u00a0 ]€", fr)
    assert "€575,000" in en
    for code in (
        "FT01_sites_labelled",
        "FT04_state_committed_eur",
        "FT05_state_paid_eur",
        "FT07_people_reached",
        "FT09_activity_hours",
        "FT11_own_revenue_pct",
        "FT12_cofunding_leverage",
        "FT15_reporting_pct",
    ):
        row = indicators[(code, YEAR)]
        for lang, html in (("fr", fr), ("en", en)):
            text = formatting.format_value(float(row["value"]), row["unit"], lang)
            assert text in html, (code, lang, text)
        assert code in fr and code in en


def test_the_key_figure_names_its_code_beside_its_value(run):
    en = report(run, YEAR, "en")
    card = re.search(r'<div class="key-figure" data-indicator="FT07_people_reached">(.*?)</div>\s*</div>', en, re.S)
    assert card
    assert '<div class="value">3,000</div>' in card.group(1)  # 300 + 600 + 900 + 1,200 people
    assert '<span class="code">FT07_people_reached</span>' in card.group(1)


def test_figures_beyond_the_core_indicators_come_from_the_breakdown_mart(run):
    with duckdb.connect(str(run / "warehouse.duckdb"), read_only=True) as con:
        rows = {
            (code, year, breakdown): value
            for code, year, breakdown, value in con.execute(
                "select indicator_code, year, breakdown_code, value from marts.fct_indicator_breakdowns "
                "where scope_type = 'national'"
            ).fetchall()
        }
    # fixture: 250.5 coworking hours per site, 4 sites labelled by 2021 (3 by 2020)
    assert rows[("FT09_activity_hours", 2021, "coworking")] == pytest.approx(1002.0)
    assert rows[("FT17_jobs_created_fte", 2021, "all")] == pytest.approx(2.0)
    assert rows[("FT18_sites_by_state_grant", 2021, "band_5")] == 3  # 150,000: the upper bound is in the last band
    assert rows[("FT18_sites_by_state_grant", 2021, "band_4")] == 1  # 125,000
    assert rows[("FT18_sites_by_state_grant", 2020, "band_5")] == 3
    assert rows[("FT11_own_revenue_pct", 2021, "1")] == pytest.approx(30.0)  # fabt-04, labelled in 2021
    assert rows[("FT11_own_revenue_pct", 2021, "2")] == pytest.approx(30.0)
    assert rows[("FT11_own_revenue_pct", 2021, "3")] is None
    assert rows[("FT16_beneficiaries", 2021, "women")] == 1000
    fr, en = report(run, YEAR, "fr"), report(run, YEAR, "en")
    assert "1\u202f002,0" in section(fr, "activity") and "1,002.0" in section(en, "activity")
    assert "FT09_activity_hours" in section(en, "activity") and "FT16_beneficiaries" in section(en, "activity")


def test_every_indicator_of_the_catalogue_is_defined_in_the_methods_annex(run):
    from fabriques.i18n import gettext_for

    with open(PROJECT_DIR / "seeds" / "indicator_catalogue.csv", encoding="utf-8", newline="") as handle:
        catalogue = list(csv.DictReader(handle))
    assert len(catalogue) > 15
    for lang in ("fr", "en"):
        methods = section(report(run, YEAR, lang), "methods")
        for indicator in catalogue:
            code = indicator["indicator_code"]
            assert f'id="def-{code}"' in methods and f'<span class="code">{code}</span>' in methods
            assert _html_text(gettext_for(lang)(indicator["definition"])) in _html_text(methods)


def test_each_chart_has_an_alt_text_a_png_and_its_data_table(run):
    folder = run / "reports" / "annual" / str(YEAR)
    for lang in ("fr", "en"):
        figures = Figures()
        figures.feed(report(run, YEAR, lang))
        assert len(figures.charts) >= 7
        for chart in figures.charts:
            assert chart["alt"].strip(), chart
            assert chart["caption"].strip() and "_" in chart["caption"], chart  # names its indicator codes
            assert chart["tables"] == 1 and chart["data_rows"] >= 1, chart
            assert (folder / chart["src"]).read_bytes().startswith(b"\x89PNG")


def test_the_data_quality_annex_counts_the_quarantine_by_reason_and_names_the_checks(run):
    fr, en = section(report(run, YEAR, "fr"), "data-quality"), section(report(run, YEAR, "en"), "data-quality")
    row = re.search(r'<tr data-reason="unknown_site">(.*?)</tr>', en, re.S)
    assert row and "Site not in the loaded registry" in row.group(1) and '<td class="num">1</td>' in row.group(1)
    assert "Lieu absent du registre chargé" in fr
    assert "quarantine.csv" in en and "data_quality.csv" in en


def test_every_quarantine_reason_has_its_meaning_in_both_languages():
    from fabriques.i18n import gettext_for
    from fabriques.ingest.reasons import REASONS

    with open(PROJECT_DIR / "seeds" / "code_lists.csv", encoding="utf-8", newline="") as handle:
        meanings = {r["code"]: r for r in csv.DictReader(handle) if r["domain"] == "quarantine_reason"}
    assert set(REASONS) <= set(meanings)
    assert all(r["label"] and gettext_for("fr")(r["label"]) != r["label"] for r in meanings.values())


def test_the_body_shows_no_date_or_time_but_the_years_and_the_footer_the_date_the_data_are_up_to(run):
    with duckdb.connect(str(run / "warehouse.duckdb"), read_only=True) as con:
        validated = (
            con.execute(
                "select greatest(max(payment_date), (select max(label_date) from marts.dim_site), "
                "(select max(convention_date) from marts.fct_grants)) from marts.fct_payments"
            )
            .fetchone()[0]
            .isoformat()
        )
    for lang in ("fr", "en"):
        html = report(run, YEAR, lang)
        body, footer = html.split('<footer class="site-footer">')
        assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}|\d{1,2}:\d{2}", body.split("</head>")[1])
        assert re.findall(r"\d{4}-\d{2}-\d{2}", footer) == [validated]
        assert f'<meta name="dcterms.created" content="{validated}">' in body


def test_the_same_warehouse_renders_the_same_bytes(run, tmp_path):
    outputs = []
    for attempt in ("first", "second"):
        out = tmp_path / attempt
        with duckdb.connect(str(run / "warehouse.duckdb"), read_only=True) as con:
            ctx = ReportContext(con, out, YEAR)
            ctx.years = list(YEARS)
            pages = annual.build(ctx)
        assert len(pages) == len(YEARS) * 2
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]
    assert any(str(name).endswith(".png") for name in outputs[0])
    assert (
        outputs[0][next(n for n in outputs[0] if str(n).endswith("2021/report.fr.html"))]
        == (run / "reports" / "annual" / "2021" / "report.fr.html").read_bytes()
    )


class Figures(HTMLParser):
    """The charts of a page: each `<figure class="figure chart">` with its image, caption and data table."""

    def __init__(self):
        super().__init__()
        self.charts, self.current, self.in_caption, self.in_body = [], None, False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and "chart" in (attrs.get("class") or "").split():
            self.current = {"alt": "", "src": "", "caption": "", "tables": 0, "data_rows": 0}
        elif self.current is not None:
            if tag == "img":
                self.current.update(alt=attrs.get("alt") or "", src=attrs.get("src") or "")
            elif tag == "figcaption":
                self.in_caption = True
            elif tag == "table":
                self.current["tables"] += 1
            elif tag == "tbody":
                self.in_body = True
            elif tag == "tr" and self.in_body:
                self.current["data_rows"] += 1

    def handle_endtag(self, tag):
        if tag == "figure" and self.current is not None:
            self.charts.append(self.current)
            self.current = None
        elif tag == "figcaption":
            self.in_caption = False
        elif tag == "tbody":
            self.in_body = False

    def handle_data(self, data):
        if self.current is not None and self.in_caption:
            self.current["caption"] += data


def _html_text(text: str) -> str:
    """Text as it reads in the page: entities decoded, spaces collapsed."""
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_the_report_shows_the_indicators_its_places_name_and_names_no_code_itself(run, tmp_path):
    """Which indicator fills each place comes from marts.rpt_annual_report_figures (seed annual_report_figures):
    remapped there, the report follows; the report's code and template hold no indicator code of the catalogue."""
    copy = tmp_path / "warehouse.duckdb"
    copy.write_bytes((run / "warehouse.duckdb").read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "delete from marts.rpt_annual_report_figures where section = 'key_figures' "
            "and indicator_code <> 'FT07_people_reached'"
        )
        con.execute(
            "update marts.rpt_annual_report_figures set indicator_code = 'FT05_state_paid_eur' "
            "where section = 'funding' and role = 'committed'"
        )
    with duckdb.connect(str(copy), read_only=True) as con:
        ctx = ReportContext(con, tmp_path / "out", YEAR)
        ctx.years = list(YEARS)
        annual.build(ctx)
    html = (tmp_path / "out" / "annual" / str(YEAR) / "report.en.html").read_text(encoding="utf-8")
    assert re.findall(r'class="key-figure" data-indicator="(\w+)"', html) == ["FT07_people_reached"]
    funding = section(html, "funding")
    assert "FT04_state_committed_eur" not in funding.split("<figure")[0]

    with open(PROJECT_DIR / "seeds" / "indicator_catalogue.csv", encoding="utf-8", newline="") as handle:
        codes = [r["indicator_code"] for r in csv.DictReader(handle)]
    package = Path(annual.__file__).parent
    sources = [*package.glob("annual*.py"), PROJECT_DIR / "reports" / "templates" / "annual_report.html"]
    named = {(path.name, code) for path in sources for code in codes if code in path.read_text(encoding="utf-8")}
    assert not named


def test_the_executive_summary_and_the_targets_table_give_every_target_in_force_with_its_status(run):
    """The statuses are the scorecard's (marts.rpt_scorecard): every target missed is said in the key findings."""
    with duckdb.connect(str(run / "warehouse.duckdb"), read_only=True) as con:
        targets = con.execute(
            "select indicator_code, status from marts.rpt_scorecard where year = ? and scope_type = 'national' "
            "and target_value is not null and is_target_in_force",
            [YEAR],
        ).fetchall()
    assert targets
    for lang in ("fr", "en"):
        html = report(run, YEAR, lang)
        summary, table = section(html, "summary"), section(html, "targets")
        shown = dict(re.findall(r'<tr data-indicator="([^"]+)" data-status="([^"]*)">', table))
        assert shown == {code: status or "" for code, status in targets}
        missed = set(re.findall(r'<li data-finding="off_track" data-indicator="([^"]+)">', summary))
        assert missed == {code for code, status in targets if status == "off_track"}
        counts = re.search(r'class="targets-status">(.*?)</p>', summary, re.S).group(1)
        assert str(len(targets)) in _html_text(counts)


def test_the_limitations_are_computed_from_the_year_s_data(run):
    html = report(run, YEAR, "en")
    limitations = section(html, "limitations")
    kinds = set(re.findall(r'data-limitation="([a-z_]+)"', limitations))
    assert {"non_response", "set_aside", "sites_set_aside", "self_declared", "double_count"} <= kinds
    with duckdb.connect(str(run / "warehouse.duckdb"), read_only=True) as con:
        read, quarantined = con.execute(
            "select sum(rows_read), sum(rows_quarantined) from marts.rpt_input_files_by_table where reporting_year = ?",
            [YEAR],
        ).fetchone()
    text = _html_text(limitations)
    assert f"{quarantined:,} of the {read:,} rows read" in text


def test_without_commentary_the_report_says_none_was_given(run):
    for lang in ("fr", "en"):
        assert 'data-notice="no_commentary"' in section(report(run, YEAR, lang), "commentary")


def test_no_repository_path_in_any_published_page(run):
    for page in (run / "reports").rglob("*.html"):
        text = _html_text(page.read_text(encoding="utf-8"))
        assert not re.search(r"\b(seeds|models|scripts|programmes|macros)/[\w./-]+", text), page


def test_the_commentary_is_placed_in_the_html_and_the_pdf_and_hostile_markup_stays_inert(tmp_path):
    """`fabriques run --commentary DIR` reads DIR/<year>/<lang>.md: Markdown rendered, raw HTML shown as text,
    no `javascript:` link, its headings under the section's; the French file in the French report only."""
    import pypdf

    campaign = small_campaign(YEAR).write(tmp_path / "campaign-2021")
    commentary = tmp_path / "commentary" / str(YEAR)
    commentary.mkdir(parents=True)
    (commentary / "fr.md").write_text(
        "# Lecture de l'évaluateur\n\nLes lieux **ruraux** progressent plus vite.\n\n"
        "<script>alert('x')</script>\n\n[voir](javascript:alert(1)) <img src=x onerror=alert(1)>\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert (
        main(
            ["run", str(campaign), "--year", str(YEAR), "--out", str(out), "--commentary", str(tmp_path / "commentary")]
        )
        == 0
    )
    fr = section(report(out, YEAR, "fr"), "commentary")
    assert "<h3>Lecture de l&#39;évaluateur</h3>" in fr or "<h3>Lecture de l'évaluateur</h3>" in fr
    assert "<strong>ruraux</strong>" in fr
    assert "<script" not in fr and "&lt;script&gt;" in fr
    assert "javascript:" not in fr.split("&lt;")[0] and 'href="javascript' not in fr and "<img" not in fr
    assert 'data-notice="no_commentary"' in section(report(out, YEAR, "en"), "commentary")
    pdf_text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(out / "reports/annual/2021/report.fr.pdf").pages
    )
    assert "Lecture de l" in pdf_text and "progressent plus vite" in pdf_text
    assert (
        main(["run", str(campaign), "--year", str(YEAR), "--out", str(out), "--commentary", str(tmp_path / "nowhere")])
        == 2
    )


def test_the_pdf_names_its_author_and_date(run):
    import pypdf

    with duckdb.connect(str(run / "warehouse.duckdb"), read_only=True) as con:
        author = con.execute(
            "select value from programme.parameters where parameter = 'publication.evaluator_name'"
        ).fetchone()[0]
    metadata = pypdf.PdfReader(run / "reports/annual/2021/report.fr.pdf").metadata
    assert metadata.author == author
    assert metadata.get("/CreationDate")
    assert metadata.get("/Creator") or metadata.get("/Producer")
