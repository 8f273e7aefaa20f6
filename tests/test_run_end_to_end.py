"""`fabriques run` end to end: the published indicators equal a plain-Python computation over the fixture."""

import csv
import datetime as dt
from collections import defaultdict

import pytest

from campaign_builder import HEADERS, small_campaign
from fabriques.cli import main

# Fixture knowledge, independent of the warehouse: region and DEGURBA class of the fixture's communes.
REGION = {"03310": "84", "13055": "93", "49126": "52", "15014": "84"}
DEGURBA = {"03310": "2", "13055": "1", "49126": "3", "15014": "2"}
SITE_REPORT_TABLES = ("site_year", "activities", "beneficiaries", "finances", "network")
OWN_LINES = {"own_sales", "own_services", "own_memberships"}
COFUNDING_LINES = {"public_region", "public_department", "public_municipal", "public_eu", "private_grants"}


def records(campaign, table):
    return [dict(zip(HEADERS[table], row, strict=False)) for row in campaign.rows[table]]


def expected_indicators(campaign, years):
    """The 15 core indicators of the reporting pack, and FT12 and FT14 programme to date (FT20, FT21), computed
    over the fixture's valid rows; `years` from the programme's first."""
    sites = {r["site_id"]: r for r in records(campaign, "registry")}
    to_date = defaultdict(lambda: {"cofunding": None, "people": None})
    """scope -> co-funding and people reached summed over the years so far (None while no row has any)."""
    state_grants = {g["referenceDecision"]: g for g in records(campaign, "grants") if g["programme"] == "fabriques"}
    payments = [p for p in records(campaign, "payments") if p["referenceDecision"] in state_grants]
    out = {}
    for year in years:
        end = dt.date(year, 12, 31)
        labelled = {s for s, r in sites.items() if dt.date.fromisoformat(r["label_date"]) <= end}
        scopes = defaultdict(set)
        scopes[("national", "FR")] = set(labelled)
        for s in labelled:
            commune = sites[s]["commune_insee"]
            scopes[("region", REGION[commune])].add(s)
            scopes[("degurba", DEGURBA[commune])].add(s)
            scopes[("territory_target", sites[s]["territory_target"])].add(s)
            scopes[("site", s)].add(s)

        def rows(table, members, year=year):
            return [r for r in records(campaign, table) if r["site_id"] in members and int(r["year"]) == year]

        has_reports = any(int(r["year"]) == year for table in SITE_REPORT_TABLES for r in records(campaign, table))
        for scope, members in scopes.items():
            grants = [
                g
                for g in state_grants.values()
                if g["site_id"] in members and dt.date.fromisoformat(g["dateConvention"]) <= end
            ]
            paid_to_date = [
                p
                for p in payments
                if state_grants[p["referenceDecision"]]["site_id"] in members
                and dt.date.fromisoformat(p["payment_date"]) <= end
            ]
            paid_in_year = sum(
                float(p["amount_eur"]) for p in paid_to_date if dt.date.fromisoformat(p["payment_date"]).year == year
            )
            per_site = defaultdict(float)
            for g in grants:
                per_site[g["site_id"]] += float(g["montant"])
            people = sum(int(r["people_total"]) for r in rows("site_year", members))
            finances = rows("finances", members)
            all_revenue = sum(float(f["amount_eur"]) for f in finances)
            own = sum(float(f["amount_eur"]) for f in finances if f["line"] in OWN_LINES)
            cofunding = sum(float(f["amount_eur"]) for f in finances if f["line"] in COFUNDING_LINES)
            reporting = {r["site_id"] for r in rows("site_year", members)}
            so_far = to_date[scope]
            if finances:
                so_far["cofunding"] = (so_far["cofunding"] or 0) + cofunding
            if reporting:
                so_far["people"] = (so_far["people"] or 0) + people
            paid = sum(float(p["amount_eur"]) for p in paid_to_date)
            values = {
                "FT01_sites_labelled": len(members),
                "FT02_sites_qpv": sum(sites[s]["territory_target"] == "qpv" for s in members),
                "FT03_sites_rural": sum(sites[s]["territory_target"] == "rural" for s in members),
                "FT04_state_committed_eur": sum(float(g["montant"]) for g in grants),
                "FT05_state_paid_eur": sum(float(p["amount_eur"]) for p in paid_to_date),
                "FT06_grant_in_bounds_pct": (100 * sum(75000 <= v <= 150000 for v in per_site.values()) / len(per_site))
                if per_site
                else None,
                "FT07_people_reached": people,
                "FT08_participations": sum(int(r["participations"]) for r in rows("activities", members)),
                "FT09_activity_hours": sum(float(r["hours"]) for r in rows("activities", members)),
                "FT10_jobs_fte": sum(float(r["employees_fte"]) for r in rows("site_year", members)),
                "FT11_own_revenue_pct": 100 * own / all_revenue if all_revenue else None,
                "FT12_cofunding_leverage": cofunding / paid_in_year if paid_in_year else None,
                "FT13_places_supported": len(
                    {
                        (r["site_id"], r["place_name"].strip().lower(), r["commune_insee"])
                        for r in rows("network", members)
                    }
                ),
                "FT14_state_eur_per_person": paid_in_year / people if people else None,
                "FT15_reporting_pct": 100 * len(reporting) / len(members),
                "FT20_cofunding_leverage_to_date": so_far["cofunding"] / paid
                if paid and so_far["cofunding"] is not None
                else None,
                "FT21_state_eur_per_person_to_date": paid / so_far["people"] if so_far["people"] else None,
            }
            for code, value in values.items():
                if not has_reports and code >= "FT07":  # a year nobody reported: FT07-FT15 are empty, not 0
                    continue
                if value is not None:
                    out[(code, year, *scope)] = float(value)
    return out


def published_indicators(path):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0])[:6] == ["indicator_code", "year", "scope_type", "scope_code", "value", "unit"]
    return {
        (r["indicator_code"], int(r["year"]), r["scope_type"], r["scope_code"]): float(r["value"])
        for r in rows
        if r["value"] != ""
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A 2021 campaign with defects that must not count, run through `fabriques run`."""
    tmp = tmp_path_factory.mktemp("e2e")
    campaign = small_campaign(2021)
    sent = small_campaign(2021)
    sent.rows["activities"][1][5] = "beaucoup"  # invalid number: the row is out
    conflicting = list(sent.rows["finances"][0])
    conflicting[3] = 99999
    sent.rows["finances"].append(conflicting)  # key conflict: both rows are out
    sent.rows["registry"][3][2] = "99999"  # unknown commune: fabt-04 and all its rows are out
    sent.write(
        tmp / "campaign-2021", {"registry": {"delimiter": ";", "encoding": "cp1252"}, "activities": {"xlsx": True}}
    )
    del campaign.rows["activities"][1]
    del campaign.rows["finances"][0]
    for table in campaign.rows:
        campaign.rows[table] = [r for r in campaign.rows[table] if "fabt-04" not in r and "G-4" not in r]
    out = tmp / "out"
    assert main(["run", str(tmp / "campaign-2021"), "--year", "2021", "--out", str(out)]) == 0
    return campaign, out


def test_run_publishes_all_15_indicators_and_the_ratios_to_date_equal_to_an_independent_computation(published):
    campaign, out = published
    expected = expected_indicators(campaign, [2020, 2021])
    actual = published_indicators(out / "indicators.csv")
    assert {k[0] for k in actual} == {k[0] for k in expected} and len({k[0] for k in actual}) == 17
    assert set(actual) == set(expected)
    for key, value in expected.items():
        assert actual[key] == pytest.approx(value, rel=1e-9, abs=1e-6), key


def test_run_publishes_the_quarantine_with_file_row_column_and_reason(published):
    _, out = published
    with open(out / "quarantine.csv", encoding="utf-8", newline="") as handle:
        rows = [(r["source_file"], r["source_row"], r["column_name"], r["reason_code"]) for r in csv.DictReader(handle)]
    assert ("reports/activities.xlsx#activities", "3", "participations", "invalid_number") in rows
    assert ("registry.csv", "5", "commune_insee", "unknown_commune") in rows
    assert [r for r in rows if r[3] == "duplicate_key_conflict"] == [
        ("reports/finances.csv", "2", "site_id", "duplicate_key_conflict"),
        ("reports/finances.csv", "14", "site_id", "duplicate_key_conflict"),
    ]
    assert (out / "warehouse.duckdb").exists()


def test_reports_of_a_site_the_current_registry_dropped_count_nowhere_and_the_summary_names_the_dbt_warnings(
    tmp_path, capsys
):
    """fabt-04 reported for 2021, then left the 2022 registry: its 2021 reports stay in the warehouse, count in no
    indicator (docs/DECISIONS.md), and the run's summary names the dbt tests that warn about them."""
    first = small_campaign(2021).write(tmp_path / "campaign-2021")
    later = small_campaign(2022)
    for table in later.rows:
        later.rows[table] = [r for r in later.rows[table] if "fabt-04" not in r and "G-4" not in r]
    second = later.write(tmp_path / "campaign-2022")
    out = tmp_path / "out"
    assert main(["run", str(first), str(second), "--year", "2022", "--out", str(out)]) == 0
    summary = capsys.readouterr().out
    warned = [line.strip() for line in summary.splitlines() if line.strip().startswith("warn ")]
    assert any(
        line.startswith("warn relationships_fct_site_year_site_id") and line.endswith(": 1 rows") for line in warned
    ), summary
    indicators = published_indicators(out / "indicators.csv")
    sites_2021 = small_campaign(2021)
    sites_2021.rows = {
        t: [r for r in rows if "fabt-04" not in r and "G-4" not in r] for t, rows in sites_2021.rows.items()
    }
    expected_people = sum(r[2] for r in sites_2021.rows["site_year"])
    assert indicators[("FT07_people_reached", 2021, "national", "FR")] == expected_people
    assert not [k for k in indicators if k[2] == "site" and k[3] == "fabt-04"]
