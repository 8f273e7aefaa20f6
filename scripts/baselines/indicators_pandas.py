#!/usr/bin/env python3
"""Compute the 15 core indicators with pandas, as an analyst would: raw tables into DataFrames, then
merges and group-bys. The same rules as `indicators_duckdb.sql` (see its header), written independently.

Usage: indicators_pandas.py WAREHOUSE OUT.parquet

Reads the raw tables of WAREHOUSE (read-only) and writes OUT (indicator_code, year, scope_type, scope_code,
value); prints the seconds it took, as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIR = ROOT / "data" / "reference"
SEEDS_DIR = ROOT / "seeds"
OWN_LINES = ["own_sales", "own_services", "own_memberships"]
COFUNDING_LINES = ["public_region", "public_department", "public_municipal", "public_eu", "private_grants"]
DEGURBA_OF_DENSITY = {
    "Grands centres urbains": "1",
    "Centres urbains intermédiaires": "2",
    "Petites villes": "2",
    "Ceintures urbaines": "2",
    "Bourgs ruraux": "3",
    "Rural à habitat dispersé": "3",
    "Rural à habitat très dispersé": "3",
}
REPORT_TABLES = ["site_year", "activities", "beneficiaries", "finances", "network"]
SITE_KEY = ["site_id", "year"]


def read_raw(warehouse: Path) -> dict[str, pd.DataFrame]:
    """The raw tables the indicators need, decimals as floats."""
    with duckdb.connect(str(warehouse), read_only=True) as con:

        def table(name: str) -> pd.DataFrame:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                [name],
            ).fetchall()
            select = ", ".join(
                f'cast("{c}" as double) as "{c}"' if t.startswith("DECIMAL") else f'"{c}"' for c, t in columns
            )
            return con.execute(f"select {select} from raw.{name}").df()

        tables = {name: table(name) for name in ["campaigns", "registry", "grants", "payments", *REPORT_TABLES]}
        tables["parameters"] = con.execute("select parameter, value from programme.parameters").df()
        tables["grant_codes"] = con.execute("select programme_code from programme.grant_codes").df()
        return tables


def reference_sites(registry: pd.DataFrame) -> pd.DataFrame:
    """The current registry's sites with their region and DEGURBA class."""
    communes = pd.read_csv(REFERENCE_DIR / "insee_cog2026_communes.csv", dtype=str, keep_default_na=False)
    communes = communes[communes["TYPECOM"].str.strip() == "COM"]
    region_codes = communes["REG"].str.strip()
    regions = pd.DataFrame(
        {"commune_code": communes["COM"].str.strip(), "region_code": region_codes.where(region_codes != "")}
    )
    collectivities = pd.read_csv(SEEDS_DIR / "territory_collectivities.csv", dtype=str)
    collectivities = collectivities[~collectivities["commune_code"].isin(regions["commune_code"])]
    regions = pd.concat(
        [regions, collectivities.rename(columns={"collectivity_code": "region_code"})[["commune_code", "region_code"]]]
    )
    density = pd.read_csv(REFERENCE_DIR / "ot_grille_densite_7niveaux_communes.csv", dtype=str, keep_default_na=False)
    degurba = pd.DataFrame(
        {
            "commune_code": density["insee_com"].str.strip(),
            "degurba": density["niveau_densite"].str.strip().map(DEGURBA_OF_DENSITY),
        }
    )
    sites = registry[["site_id", "label_date", "territory_target", "commune_code"]]
    return sites.merge(regions, on="commune_code", how="left").merge(degurba, on="commune_code", how="left")


def latest_per_site_year(rows: pd.DataFrame, campaign_order: pd.Series) -> pd.DataFrame:
    """Per (site_id, year), the rows of the latest campaign holding it."""
    order = rows["campaign_key"].map(campaign_order)
    latest = order.groupby([rows["site_id"], rows["year"]]).transform("max")
    return rows[order == latest]


def compute(warehouse: Path) -> pd.DataFrame:
    raw = read_raw(warehouse)
    campaigns = raw["campaigns"].sort_values(["reporting_year", "load_seq"])
    campaign_order = pd.Series(range(1, len(campaigns) + 1), index=campaigns["campaign_key"].to_numpy())
    current = campaigns["campaign_key"].iloc[-1]
    parameters = raw["parameters"].set_index("parameter")["value"]
    state_codes = set(raw["grant_codes"]["programme_code"])
    grant_min, grant_max = float(parameters["grant_min_eur"]), float(parameters["grant_max_eur"])

    sites = reference_sites(raw["registry"][raw["registry"]["campaign_key"] == current])
    sites["label_date"] = pd.to_datetime(sites["label_date"])
    reports = {name: latest_per_site_year(raw[name], campaign_order) for name in REPORT_TABLES}

    report_years = pd.concat([raw[name]["year"] for name in REPORT_TABLES])
    label_years = sites["label_date"].dt.year
    first_year = int(label_years.min()) if len(sites) else int(campaigns["reporting_year"].min())
    last_year = int(
        max(
            report_years.max() if len(report_years) else first_year,
            campaigns["reporting_year"].max(),
            label_years.max() if len(sites) else first_year,
        )
    )
    years = pd.DataFrame({"year": range(first_year, last_year + 1)})
    years["year_end"] = pd.to_datetime(years["year"].astype(str) + "-12-31")

    labelled = sites.merge(years, how="cross")
    labelled = labelled[labelled["label_date"] <= labelled["year_end"]][
        ["site_id", "year", "territory_target", "region_code", "degurba"]
    ]

    grants = raw["grants"]
    state_grants = grants[(grants["campaign_key"] == current) & (grants["programme"].isin(state_codes))]
    payments = raw["payments"][raw["payments"]["campaign_key"] == current]
    state_payments = payments.merge(state_grants[["referenceDecision", "site_id"]], on="referenceDecision")

    measures = site_measures(labelled, years, reports, state_grants, state_payments)
    return indicator_rows(scope_sums(labelled, measures, years, grant_min, grant_max))


def to_date(frame: pd.DataFrame, years: pd.DataFrame, date_column: str, amount_column: str, name: str) -> pd.DataFrame:
    """Per site and year, the sum of `amount_column` over the rows dated on or before 31 December."""
    pairs = frame[["site_id", date_column, amount_column]].merge(years, how="cross")
    pairs = pairs[pd.to_datetime(pairs[date_column]) <= pairs["year_end"]]
    return pairs.groupby(SITE_KEY, as_index=False)[amount_column].sum().rename(columns={amount_column: name})


def site_measures(labelled, years, reports, state_grants, state_payments) -> pd.DataFrame:
    site_year = (
        reports["site_year"]
        .groupby(SITE_KEY, as_index=False)
        .agg(people_reached=("people_total", "sum"), jobs_fte=("employees_fte", "sum"))
    )
    site_year["has_report"] = True
    activities = (
        reports["activities"]
        .groupby(SITE_KEY, as_index=False)
        .agg(participations=("participations", "sum"), activity_hours=("hours", "sum"))
    )
    finances = (
        reports["finances"]
        .assign(
            own=lambda f: f["amount_eur"].where(f["line"].isin(OWN_LINES), 0.0),
            cofunding=lambda f: f["amount_eur"].where(f["line"].isin(COFUNDING_LINES), 0.0),
        )
        .groupby(SITE_KEY, as_index=False)
        .agg(
            own_revenue_eur=("own", "sum"), total_revenue_eur=("amount_eur", "sum"), cofunding_eur=("cofunding", "sum")
        )
    )
    places = (
        reports["network"]
        .drop_duplicates(["site_id", "year", "place_name", "commune_code"])
        .groupby(SITE_KEY, as_index=False)
        .size()
        .rename(columns={"size": "places_supported"})
    )
    committed = to_date(state_grants, years, "dateConvention", "montant", "state_committed_eur")
    paid = to_date(state_payments, years, "payment_date", "amount_eur", "state_paid_eur")
    paid_in_year = (
        state_payments.assign(year=pd.to_datetime(state_payments["payment_date"]).dt.year)
        .groupby(SITE_KEY, as_index=False)["amount_eur"]
        .sum()
        .rename(columns={"amount_eur": "state_paid_in_year_eur"})
    )
    measures = labelled[SITE_KEY].copy()
    for frame in (site_year, activities, finances, places, committed, paid, paid_in_year):
        measures = measures.merge(frame, on=SITE_KEY, how="left")
    measures["has_report"] = measures["has_report"].fillna(False).astype(bool)
    return measures


def scope_sums(labelled, measures, years, grant_min: float, grant_max: float) -> pd.DataFrame:
    """Per year and reported scope, the sums every indicator divides or shows."""
    site = labelled.merge(measures, on=SITE_KEY)
    site["labelled_sites"] = 1
    site["qpv_sites"] = (site["territory_target"] == "qpv").astype(int)
    site["rural_sites"] = (site["territory_target"] == "rural").astype(int)
    site["reporting_sites"] = site["has_report"].astype(int)
    site["funded_sites"] = site["state_committed_eur"].notna().astype(int)
    site["funded_sites_in_bounds"] = site["state_committed_eur"].between(grant_min, grant_max).astype(int)
    scoped = pd.concat(
        [
            site.assign(scope_type="national", scope_code="FR"),
            site[site["region_code"].notna()].assign(scope_type="region", scope_code=lambda s: s["region_code"]),
            site[site["territory_target"].notna()].assign(
                scope_type="territory_target", scope_code=lambda s: s["territory_target"]
            ),
            site[site["degurba"].notna()].assign(scope_type="degurba", scope_code=lambda s: s["degurba"]),
            site.assign(scope_type="site", scope_code=lambda s: s["site_id"]),
        ]
    )
    summed = [
        "labelled_sites",
        "qpv_sites",
        "rural_sites",
        "reporting_sites",
        "funded_sites",
        "funded_sites_in_bounds",
        "state_committed_eur",
        "state_paid_eur",
        "state_paid_in_year_eur",
        "people_reached",
        "participations",
        "activity_hours",
        "jobs_fte",
        "own_revenue_eur",
        "total_revenue_eur",
        "cofunding_eur",
        "places_supported",
    ]
    sums = scoped.groupby(["year", "scope_type", "scope_code"], as_index=False)[summed].sum(min_count=0)
    empty_years = years.loc[~years["year"].isin(labelled["year"]), ["year"]]
    national_without_sites = empty_years.assign(scope_type="national", scope_code="FR", **{c: 0 for c in summed})
    return pd.concat([sums, national_without_sites], ignore_index=True)


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return (numerator / denominator.where(denominator != 0)).astype(float)


def indicator_rows(sums: pd.DataFrame) -> pd.DataFrame:
    values = {
        "FT01_sites_labelled": sums["labelled_sites"],
        "FT02_sites_qpv": sums["qpv_sites"],
        "FT03_sites_rural": sums["rural_sites"],
        "FT04_state_committed_eur": sums["state_committed_eur"],
        "FT05_state_paid_eur": sums["state_paid_eur"],
        "FT06_grant_in_bounds_pct": ratio(100.0 * sums["funded_sites_in_bounds"], sums["funded_sites"]),
        "FT07_people_reached": sums["people_reached"],
        "FT08_participations": sums["participations"],
        "FT09_activity_hours": sums["activity_hours"],
        "FT10_jobs_fte": sums["jobs_fte"],
        "FT11_own_revenue_pct": ratio(100.0 * sums["own_revenue_eur"], sums["total_revenue_eur"]),
        "FT12_cofunding_leverage": ratio(sums["cofunding_eur"], sums["state_paid_in_year_eur"]),
        "FT13_places_supported": sums["places_supported"],
        "FT14_state_eur_per_person": ratio(sums["state_paid_in_year_eur"], sums["people_reached"]),
        "FT15_reporting_pct": ratio(100.0 * sums["reporting_sites"], sums["labelled_sites"]),
    }
    keys = sums[["year", "scope_type", "scope_code"]]
    frames = []
    for code, value in values.items():
        frame = keys.assign(indicator_code=code, value=value.astype(float).to_numpy())
        if code == "FT06_grant_in_bounds_pct":  # at site scope, only the sites with a State grant by then
            frame = frame[(frame["scope_type"] != "site") | (sums["funded_sites"] > 0)]
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True)
    rows["year"] = rows["year"].astype(np.int32)
    rows["scope_code"] = rows["scope_code"].astype(str)
    return rows[["indicator_code", "year", "scope_type", "scope_code", "value"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = compute(args.warehouse)
    rows.to_parquet(args.out, index=False)
    print(json.dumps({"seconds": round(time.perf_counter() - started, 3), "rows": len(rows)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
