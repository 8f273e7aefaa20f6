"""The transfer guide for European partners and the scenario calculator, on a real run of demo campaigns (the first
150 Fabriques, 2020-2023): the guide in English and Romanian for every year, its figures equal to what the marts
give when recomputed here, no English left in the Romanian guide, and the calculator's table and JSON."""

from __future__ import annotations

import html as html_module
import json
import re
import statistics
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from catalogues import source_messages
from fabriques.cli import main
from fabriques.reports import formatting, transfer_guide
from fabriques.transfer.scenario import ScenarioError, hubs_per_class, parse_mix

ROOT = Path(__file__).resolve().parents[1]
YEARS = (2020, 2021, 2022, 2023)
YEAR = YEARS[-1]
EXAMPLE = ["--hubs", "50", "--grant-per-hub", "100000", "--mix", "rural=0.5,towns=0.3,cities=0.2"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("transfer")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "generate_demo.py"),
            "--out",
            str(tmp / "demo"),
            "--sites",
            "150",
            "--years",
            f"{YEARS[0]}-{YEARS[-1]}",
        ],
        check=True,
        capture_output=True,
    )
    campaigns = sorted(str(p) for p in (tmp / "demo").glob("campaign-*"))
    assert main(["run", *campaigns, "--year", str(YEAR), "--out", str(tmp / "out")]) == 0
    return tmp / "out"


def guide(out, lang, year=YEAR):
    return (out / "reports" / "transfer" / str(year) / f"guide.{lang}.html").read_text(encoding="utf-8")


def rows_of(out, sql, params=()):
    with duckdb.connect(str(out / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def evidence_row(html, measure, table_group):
    """The cells of one measure's row in one evidence table of the guide, as plain text."""
    pattern = rf'<table class="full evidence[^"]*" data-group="{table_group}">(.*?)</table>'
    table = re.search(pattern, html, re.S).group(1)
    row = re.search(rf'<tr data-measure="{measure}"[^>]*>(.*?)</tr>', table, re.S).group(1)
    return [
        html_module.unescape(re.sub(r"<[^>]+>", " ", cell)) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_the_guide_is_written_in_english_and_romanian_for_every_year_and_printed_for_the_reporting_year(out):
    for year in YEARS:
        for lang in ("en", "ro"):
            html = guide(out, lang, year)
            assert f'<html lang="{lang}">' in html
            for section in (
                "objectives",
                "activities",
                "stakeholders",
                "beneficiaries",
                "resources",
                "evidence",
                "transfer",
            ):
                assert f'<section id="{section}">' in html
    for lang in ("en", "ro"):
        assert (out / "reports" / "transfer" / str(YEAR) / f"guide.{lang}.pdf").stat().st_size > 10_000
    assert 'href="transfer/2023/guide.en.html"' in (out / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="transfer/2023/guide.ro.html"' in (out / "reports" / "index.ro.html").read_text(encoding="utf-8")


def test_median_people_reached_by_degurba_class_is_recomputed_from_the_site_reports(out):
    reports = rows_of(
        out,
        """
        select cast(s.degurba as varchar), y.people_total from marts.fct_site_year y
        join marts.dim_site s using (site_id)
        where y.year = ? and s.label_date <= make_date(?, 12, 31)""",
        (YEAR, YEAR),
    )
    cells = evidence_row(guide(out, "en"), "people_reached", "degurba")
    for column, degurba in enumerate(("1", "2", "3"), start=1):
        people = [p for d, p in reports if d == degurba]
        assert formatting.format_value(statistics.median(people), "people", "en") in cells[column]
        assert f"n = {len(people)}" in cells[column].replace("\xa0", " ")


def test_median_state_grant_per_site_by_territorial_target_is_recomputed_from_the_grants(out):
    grants = rows_of(
        out,
        """
        select s.territory_target, sum(g.amount_eur) from marts.fct_grants g join marts.dim_site s using (site_id)
        where g.is_state_grant and g.convention_date <= make_date(?, 12, 31) and s.label_date <= make_date(?, 12, 31)
        group by s.site_id, s.territory_target""",
        (YEAR, YEAR),
    )
    for lang in ("en", "ro"):
        cells = evidence_row(guide(out, lang), "state_grant_per_site_eur", "territory_target")
        for column, target in enumerate(("qpv", "rural"), start=1):
            amounts = sorted(float(a) for t, a in grants if t == target)
            assert formatting.format_eur(statistics.median(amounts), lang) in cells[column]
            quartiles = statistics.quantiles(amounts, n=4, method="inclusive")
            assert formatting.format_eur(quartiles[0], lang) in cells[column]
            assert formatting.format_eur(quartiles[2], lang) in cells[column]


def test_the_share_of_sites_still_active_after_their_grant_is_recomputed_from_the_reports(out):
    sites = rows_of(
        out,
        """
        select s.site_id, exists (select 1 from marts.fct_site_year y where y.site_id = s.site_id and y.year = ?)
        from marts.dim_site s where ? - s.label_year + 1 > 3""",
        (YEAR, YEAR),
    )
    active = sum(1 for _id, reported in sites if reported)
    cells = evidence_row(guide(out, "en"), "active_after_grant_pct", "degurba")
    assert formatting.format_value(100 * active / len(sites), "%", "en") in cells[0]


def test_eu_indicators_carry_the_programme_values_with_their_fit(out):
    html = guide(out, "en")
    jobs_created = rows_of(
        out,
        """select value from marts.fct_indicator_breakdowns where year = ?
        and indicator_code = 'FT17_jobs_created_fte' and scope_type = 'national'""",
        (YEAR,),
    )[0][0]
    row = re.search(r'<tr data-eu="RCR01" data-fit="proxy">(.*?)</tr>', html, re.S).group(1)
    assert formatting.format_value(jobs_created, "FTE", "en") in row  # self-declared yearly: a proxy
    assert 'data-fit="none"' in html and 'data-eu="RCO74" data-fit="proxy"' in html
    assert 'data-fit="exact"' not in html  # no programme indicator has RCR01's or any other's exact definition
    assert 'data-eu="RCR02"' not in html  # grants for running costs are not private investment


def cost_cells(html, group):
    table = re.search(r'<table class="full evidence costs[^"]*">(.*?)</table>', html, re.S).group(1)
    row = re.search(rf'<tr data-group="{group}">(.*?)</tr>', table, re.S).group(1)
    return {
        measure: html_module.unescape(re.sub(r"<[^>]+>", " ", cell)).replace("\xa0", " ")
        for measure, cell in re.findall(r'<td class="num" data-measure="(\w+)">(.*?)</td>', row, re.S)
    }


def test_the_running_cost_of_a_hub_is_recomputed_from_the_site_reports_by_type_of_territory(out):
    reports = rows_of(
        out,
        """
        select cast(s.degurba as varchar), s.territory_target, y.expenses_eur from marts.fct_site_year y
        join marts.dim_site s using (site_id)
        where y.year = ? and s.label_date <= make_date(?, 12, 31) and y.expenses_eur is not null""",
        (YEAR, YEAR),
    )
    html = guide(out, "en")
    for group, expenses in (
        ("all:all", [float(e) for _d, _t, e in reports]),
        ("degurba:3", [float(e) for d, _t, e in reports if d == "3"]),
        ("territory_target:qpv", [float(e) for _d, t, e in reports if t == "qpv"]),
    ):
        cells = cost_cells(html, group)
        assert formatting.format_eur(statistics.median(expenses), "en") in cells["operating_expenses_eur"], group
        assert f"n = {len(expenses)}" in cells["operating_expenses_eur"]
        assert set(cells) == {"operating_expenses_eur", "state_grant_per_site_eur", "state_paid_share_of_expenses_pct"}
        assert "%" in cells["state_paid_share_of_expenses_pct"]
    assert "What a hub costs to run" in html


def test_the_worked_example_is_at_the_partner_price_level_of_the_settings(out):
    html = guide(out, "en")
    example = html[html.index("Sizing your own version") :]
    assert 'data-price-level="0.54"' in example
    assert "Amounts in Romania's prices: its price level is 0.54 of France's (59.3 against 110.5; Eurostat" in example
    assert "--price-level 0.54" in example
    assert ">Percentile 5<" in example and ">Percentile 95<" in example  # the bounds of a 90 % interval
    assert ">Low<" not in example and ">High<" not in example
    romanian = guide(out, "ro")
    assert "Percentila 5" in romanian and "România" in romanian


def test_regions_appear_with_their_nuts_2024_codes(out):
    html = guide(out, "en")
    regions = rows_of(out, "select distinct region_code, nuts1_code from marts.dim_site where nuts1_code is not null")
    for region_code, nuts1 in regions:
        row = re.search(rf'<tr data-region="{region_code}">(.*?)</tr>', html, re.S).group(1)
        assert nuts1 in row


def test_romanian_numbers_use_a_point_for_thousands_and_the_euro_sign_after():
    assert formatting.format_eur(45_000_000, "ro") == "45.000.000\u00a0€"
    assert formatting.format_number(1234.5, "ro", 1) == "1.234,5"


class TextCollector(HTMLParser):
    """Visible text of a page, leaving out code spans, commands and the page's own data attributes."""

    SKIPPED = frozenset({"code", "command", "unit"})

    def __init__(self):
        super().__init__()
        self.skipping = 0
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        skip = tag in ("style", "script", "pre") or bool(classes & self.SKIPPED)
        if tag not in ("br", "img", "meta", "link"):
            self.stack.append(skip)
            self.skipping += skip

    def handle_endtag(self, tag):
        if tag not in ("br", "img", "meta", "link") and self.stack:
            self.skipping -= self.stack.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append(data.strip())


ENGLISH_WORDS = {"the", "and", "of", "to", "with", "for", "is", "are", "from", "by", "their", "each", "sites"}


def test_the_romanian_guide_contains_no_untranslated_english_sentence(out):
    english = {m for m in source_messages("transfer.po") + source_messages("common.po") if len(m.split()) > 1}
    collector = TextCollector()
    collector.feed(guide(out, "ro"))
    names = {name for (name,) in rows_of(out, "select distinct region_name from marts.dim_territory")}
    leftovers = [
        text
        for text in collector.texts
        if text not in names and (text in english or len(ENGLISH_WORDS & set(re.findall(r"[a-z]+", text.lower()))) >= 2)
    ]
    assert leftovers == []
    assert len(collector.texts) > 200


def test_a_cell_with_too_few_sites_shows_its_count_and_no_figure():
    row = {"site_count": 4, "is_reportable": False, "median": None, "p25": None, "p75": None, "share_pct": None}
    cell = transfer_guide.cell(row, "EUR", "ro")
    assert (cell["reportable"], cell["median"], cell["count"], cell["note"]) == (False, "", "4", "prea puține centre")


def test_the_scenario_prints_a_table_and_writes_json(out, tmp_path, capsys):
    scenario_json = tmp_path / "scenario.json"
    assert (
        main(
            [
                "transfer",
                "scenario",
                *EXAMPLE,
                "--lang",
                "ro",
                "--warehouse",
                str(out / "warehouse.duckdb"),
                "--json",
                str(scenario_json),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "Buget: subvenții pentru huburi" in printed and "5.000.000\u00a0€" in printed
    assert "Percentila 5" in printed and "Percentila 95" in printed
    document = json.loads(scenario_json.read_text(encoding="utf-8"))
    assert document["budget_eur"] == 5_000_000
    assert document["hubs_per_class"] == {"1": 10, "2": 15, "3": 25}
    for estimate in document["estimates"].values():
        assert estimate["low"] <= estimate["expected"] <= estimate["high"]
    assert document["settings"]["seed"] and "bootstrap" in document["method"]
    again = tmp_path / "again.json"
    assert (
        main(["transfer", "scenario", *EXAMPLE, "--warehouse", str(out / "warehouse.duckdb"), "--json", str(again)])
        == 0
    )
    assert json.loads(again.read_text(encoding="utf-8")) == document


def test_the_expected_people_reached_is_the_hub_count_times_the_mean_of_the_observed_sites(out, tmp_path):
    """A grant above every observed State grant buys no more than the sites did: no scaling."""
    outcomes = rows_of(out, "select people_reached from marts.rpt_transfer_site_outcomes where degurba = '3'")
    assert (
        main(
            [
                "transfer",
                "scenario",
                "--hubs",
                "7",
                "--grant-per-hub",
                "1000000",
                "--mix",
                "rural=1",
                "--warehouse",
                str(out / "warehouse.duckdb"),
                "--json",
                str(tmp_path / "s.json"),
            ]
        )
        == 0
    )
    expected = json.loads((tmp_path / "s.json").read_text())["estimates"]["people_reached"]["expected"]
    assert expected == pytest.approx(7 * statistics.mean(p for (p,) in outcomes))


def test_a_lower_price_level_buys_the_same_with_less_money_and_converts_the_cofunding(out, tmp_path):
    def scenario(grant, price_level):
        path = tmp_path / f"{grant}-{price_level}.json"
        assert (
            main(
                [
                    "transfer",
                    "scenario",
                    "--hubs",
                    "20",
                    "--grant-per-hub",
                    str(grant),
                    "--mix",
                    "towns=0.5,cities=0.5",
                    "--price-level",
                    str(price_level),
                    "--warehouse",
                    str(out / "warehouse.duckdb"),
                    "--json",
                    str(path),
                ]
            )
            == 0
        )
        return json.loads(path.read_text())["estimates"]

    french, partner = scenario(80000, 1.0), scenario(40000, 0.5)
    assert partner["people_reached"] == pytest.approx(french["people_reached"])
    assert partner["cofunding_eur"]["expected"] == pytest.approx(french["cofunding_eur"]["expected"] / 2)


@pytest.mark.parametrize(
    "mix, message",
    [
        ("rural=0.5,towns=0.3", "add up to 0.8"),
        ("mountains=1", "unknown class 'mountains'"),
        ("rural=half", "must be a number"),
    ],
)
def test_a_mix_the_calculator_cannot_use_is_refused_with_what_to_change(mix, message, out, capsys):
    assert (
        main(
            [
                "transfer",
                "scenario",
                "--hubs",
                "10",
                "--grant-per-hub",
                "1000",
                "--mix",
                mix,
                "--warehouse",
                str(out / "warehouse.duckdb"),
            ]
        )
        == 2
    )
    assert message in capsys.readouterr().err


def test_hubs_are_split_by_largest_remainder_and_add_up():
    assert hubs_per_class(50, parse_mix("rural=0.5,towns=0.3,cities=0.2")) == {"1": 10, "2": 15, "3": 25}
    assert sum(hubs_per_class(7, parse_mix("rural=0.34,towns=0.33,cities=0.33")).values()) == 7
    with pytest.raises(ScenarioError):
        parse_mix("")
