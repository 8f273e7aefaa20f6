"""Validation with Great Expectations: the suites load whole, each rule catches the data that breaks it, an error
stops the publication and a warning is published as a finding."""

import csv
import json
import shutil

import duckdb
import pytest

from campaign_builder import small_campaign
from fabriques.cli import main
from fabriques.history import HISTORY_FILE, read_records
from fabriques.ingest import table_rules
from fabriques.validation.suites import load_suite_files

# rule -> (SQL that breaks it in a copy of a good warehouse, expected status, a failing key it must name)
BREAKERS = {
    "rows_read_accounted_for": (
        "update raw.manifest set rows_read = rows_read + 1 where source_file = 'registry.csv'",
        "error",
        "source_file=registry.csv",
    ),
    "manifest_matches_raw_tables": (
        "update raw.manifest set rows_loaded = rows_loaded - 1, rows_quarantined = rows_quarantined + 1 "
        "where source_file = 'grants.csv'",
        "error",
        "source_file=grants.csv",
    ),
    "registry_site_id_present": (
        "alter table raw.registry alter column site_id drop not null; "
        "update raw.registry set site_id = null where source_row = 3",
        "error",
        "site_id=(missing)",
    ),
    "registry_round_in_range": (
        "update raw.registry set label_round = 11 where site_id = 'fabt-02'",
        "error",
        "site_id=fabt-02",
    ),
    "registry_commune_resolved": (
        "alter table raw.registry alter column commune_code drop not null; "
        "update raw.registry set commune_code = null where site_id = 'fabt-03'",
        "error",
        "site_id=fabt-03",
    ),
    "site_key_unique": (
        "insert into marts.dim_site select * from marts.dim_site where site_id = 'fabt-01'",
        "error",
        "site_id=fabt-01",
    ),
    "site_territory_target_known": (
        "update marts.dim_site set territory_target = 'urbain' where site_id = 'fabt-02'",
        "error",
        "site_id=fabt-02",
    ),
    "qpv_site_in_commune_with_qpv": (
        "update marts.dim_site set priority_area_mismatch = true where site_id = 'fabt-02'",
        "warning",
        "site_id=fabt-02",
    ),
    "grant_key_unique": (
        "insert into marts.fct_grants select * from marts.fct_grants where grant_ref = 'c-2'",
        "error",
        "grant_ref=c-2",
    ),
    "grant_amount_positive": (
        "update marts.fct_grants set amount_eur = 0 where grant_ref = 'c-3'",
        "error",
        "grant_ref=c-3",
    ),
    "payments_within_grant": (
        "update marts.fct_grants set paid_eur = amount_eur + 1 where grant_ref = 'g-1'",
        "error",
        "grant_ref=g-1",
    ),
    "state_grant_within_bounds": (
        "update marts.fct_grants set amount_eur = 200000 where grant_ref = 'g-2'",
        "warning",
        "site_id=fabt-02",
    ),
    "indicator_key_unique": (
        "insert into marts.fct_indicators select * from marts.fct_indicators "
        "where indicator_code = 'FT07_people_reached' and scope_type = 'national' and year = 2021",
        "error",
        "indicator_code=FT07_people_reached|year=2021|scope_type=national|scope_code=FR",
    ),
    "indicator_not_negative": (
        "update marts.fct_indicators set value = -1 where indicator_code = 'FT08_participations' "
        "and scope_type = 'site' and scope_code = 'fabt-01' and year = 2021",
        "error",
        "scope_code=fabt-01",
    ),
    "share_within_0_100": (
        "update marts.fct_indicators set value = 150 where indicator_code = 'FT11_own_revenue_pct' "
        "and scope_type = 'national' and year = 2021",
        "error",
        "indicator_code=FT11_own_revenue_pct",
    ),
    "state_envelope_respected": (
        "update marts.fct_indicators set value = 45000001 where indicator_code = 'FT04_state_committed_eur' "
        "and scope_type = 'national' and year = 2021",
        "warning",
        "indicator_code=FT04_state_committed_eur",
    ),
    "ft02_plus_ft03_equals_ft01": (
        "update marts.fct_indicators set value = value + 1 where indicator_code = 'FT01_sites_labelled' "
        "and scope_type = 'region' and scope_code = '84' and year = 2021",
        "error",
        "scope_code=84",
    ),
    "beneficiaries_within_people_total": (
        "update marts.fct_beneficiaries set people = 1000000 where site_id = 'fabt-03' and category = 'women'",
        "error",
        "site_id=fabt-03|year=2021|category=women",
    ),
    "site_year_key_unique": (
        "insert into marts.fct_site_year select * from marts.fct_site_year where site_id = 'fabt-01'",
        "error",
        "site_id=fabt-01|year=2021",
    ),
    "open_days_within_year": (
        "update marts.fct_site_year set open_days = 400 where site_id = 'fabt-02'",
        "error",
        "site_id=fabt-02",
    ),
    "people_total_not_negative": (
        "update marts.fct_site_year set people_total = -5 where site_id = 'fabt-02'",
        "error",
        "site_id=fabt-02",
    ),
    "people_per_open_day_plausible": (
        "update marts.fct_site_year set people_total = open_days * 100 where site_id = 'fabt-01'",
        "warning",
        "site_id=fabt-01|year=2021",
    ),
    "participations_per_session_plausible": (
        "update marts.fct_activities set participations = sessions * 1000 where site_id = 'fabt-02'",
        "warning",
        "site_id=fabt-02|year=2021",
    ),
    "expenses_per_fte_plausible": (
        "update marts.fct_site_year set expenses_eur = 1000 where site_id = 'fabt-03'",
        "warning",
        "site_id=fabt-03|year=2021",
    ),
    "people_change_within_factor": (
        "insert into marts.fct_site_year select * replace (year - 1 as year, people_total * 10 as people_total) "
        "from marts.fct_site_year where site_id = 'fabt-01'",
        "warning",
        "site_id=fabt-01|year=2021",
    ),
    "site_report_received": (
        "delete from marts.fct_site_year where site_id = 'fabt-02'",
        "warning",
        "site_id=fabt-02|year=2021",
    ),
}


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("validation")
    campaign = small_campaign(2021).write(tmp / "campaign-2021")
    assert main(["run", str(campaign), "--year", "2021", "--out", str(tmp / "out")]) == 0
    return tmp


def test_every_suite_loads_with_all_its_expectations():
    """GX drops an invalid expectation with only a log line: count them after loading."""
    import great_expectations as gx

    suites = load_suite_files()
    assert len(suites) >= 10
    for suite in suites:
        declared = suite.document["expectations"]
        assert len(gx.ExpectationSuite(**suite.document).expectations) == len(declared), suite.name
        assert len({e["meta"]["rule"] for e in declared}) == len(declared), suite.name


def test_every_rule_has_a_test_that_breaks_it():
    rules = {e["meta"]["rule"] for s in load_suite_files() for e in s.document["expectations"]}
    assert rules == set(BREAKERS)


def test_a_clean_campaign_passes_every_check_and_publishes_the_results(good_run):
    out = good_run / "out"
    results = read_csv(out / "data_quality.csv")
    assert {r["rule"] for r in results} == set(BREAKERS)
    assert [r["rule"] for r in results if r["status"] != "passed"] == []
    assert (out / "data_docs" / "index.html").exists()
    with duckdb.connect(str(out / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(distinct run_id), count(*) from validation.results").fetchone() == (
            1,
            len(BREAKERS),
        )


@pytest.mark.parametrize("rule", sorted(BREAKERS))
def test_each_rule_flags_the_rows_that_break_it(good_run, tmp_path, rule):
    sql, status, key = BREAKERS[rule]
    warehouse = tmp_path / "wh.duckdb"
    shutil.copy(good_run / "out" / "warehouse.duckdb", warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(sql)
    exit_code = main(["validate", "--warehouse", str(warehouse), "--out", str(tmp_path / "dq")])
    results = {r["rule"]: r for r in read_csv(tmp_path / "dq" / "data_quality.csv")}
    assert results[rule]["status"] == status
    assert any(key in failing for failing in json.loads(results[rule]["failing_keys"])), results[rule]
    assert exit_code == (1 if status == "error" else 0)


def test_a_payment_above_its_grant_that_slipped_past_ingestion_stops_the_run(good_run, tmp_path, monkeypatch, capsys):
    out = good_run / "out"
    before = published_files(out)
    campaign = small_campaign(2021)
    campaign.add("payments", "G-1", "2021-12-01", 60000)  # 160 000 paid on a 150 000 grant
    monkeypatch.setattr(table_rules, "split_payments_over_grant", lambda payments, amounts: (payments, []))
    folder = campaign.write(tmp_path / "campaign-2021")
    exit_code = main(["run", str(folder), "--year", "2021", "--out", str(out)])
    stderr = capsys.readouterr().err
    assert exit_code == 1
    assert "fct_grants.payments_within_grant" in stderr and "grant_ref=g-1" in stderr
    assert published_files(out) == before
    assert read_records(out)[-1].outcome == "refused"


def published_files(out):
    """The bytes of every published file of an output folder; the run history, which records refused runs
    too, is the audit trail, not a published output."""
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != HISTORY_FILE}


def test_an_out_of_bounds_grant_is_published_and_listed_as_a_finding(tmp_path):
    campaign = small_campaign(2021)
    campaign.rows["grants"][2][6] = 200000  # G-2, fabt-02's State grant
    folder = campaign.write(tmp_path / "campaign-2021")
    assert main(["run", str(folder), "--year", "2021", "--out", str(tmp_path / "out")]) == 0
    results = {r["rule"]: r for r in read_csv(tmp_path / "out" / "data_quality.csv")}
    finding = results["state_grant_within_bounds"]
    assert (finding["status"], finding["unexpected_count"]) == ("warning", "1")
    assert json.loads(finding["failing_keys"]) == ["site_id=fabt-02"]
    indicators = read_csv(tmp_path / "out" / "indicators.csv")
    assert any(
        r["indicator_code"] == "FT06_grant_in_bounds_pct" and r["scope_code"] == "fabt-02" and r["value"] == "0"
        for r in indicators
    )
