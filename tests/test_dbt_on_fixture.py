"""`dbt build` on hand-made raw rows (tests/fixtures/raw_sample_rows.sql): two campaigns, a resubmitted report,
a revised grant; the national indicators equal the values checked by hand in the fixture's header. This build
also runs every dbt unit test (production runs leave them out)."""

import json
import re
from pathlib import Path

import duckdb
import pytest

from fabriques import contract
from fabriques.contract import raw_ddl
from fabriques.dbt_build import dbt_build

FIXTURE = Path(__file__).parent / "fixtures" / "raw_sample_rows.sql"
# indicator -> values for 2020, 2021, 2022, 2023 (None: not computable, or, for a figure of the site reports, a year
# for which no site report was accepted: 2020)
HAND_CHECKED = {
    "FT01_sites_labelled": [2, 3, 4, 5],
    "FT02_sites_qpv": [2, 2, 3, 3],
    "FT03_sites_rural": [0, 1, 1, 2],
    "FT04_state_committed_eur": [160000, 370000, 370000, 445000],
    "FT05_state_paid_eur": [50000, 245000, 350000, 410000],
    "FT06_grant_in_bounds_pct": [50, 200 / 3, 200 / 3, 75],
    "FT07_people_reached": [None, 530, 750, 900],
    "FT08_participations": [None, 1200, 2000, 2040],
    "FT09_activity_hours": [None, 800, 1070.5, 1090],
    "FT10_jobs_fte": [None, 4, 5.5, 7],
    "FT13_places_supported": [None, 0, 2, 1],
    "FT15_reporting_pct": [None, 100, 75, 80],
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fixture")
    path = tmp / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(raw_ddl())
        con.execute(FIXTURE.read_text())
    result = dbt_build(path, tmp, unit_tests=True)
    assert result.ok, result.failures or result.output[-3000:]
    assert result.counts.get("pass", 0) > 0
    return path


def test_every_dbt_unit_test_runs_and_passes(warehouse):
    with open(warehouse.parent / "dbt_target" / "run_results.json", encoding="utf-8") as handle:
        results = json.load(handle)["results"]
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= 15
    assert {r["status"] for r in unit_tests} == {"pass"}


def test_national_indicators_match_the_hand_checked_values(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select indicator_code, year, value from marts.fct_indicators where scope_type = 'national' order by year"
        ).fetchall()
    values = {}
    for code, _year, value in rows:
        values.setdefault(code, []).append(value)
    for code, expected in HAND_CHECKED.items():
        assert [v is None for v in values[code]] == [e is None for e in expected], code
        assert [v for v in values[code] if v is not None] == pytest.approx(
            [e for e in expected if e is not None], rel=1e-6
        ), code


def test_the_current_campaign_supersedes_registry_grants_and_resubmitted_reports(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        status = con.execute("select site_status from marts.dim_site where site_id = 'fabt-02'").fetchone()[0]
        people = con.execute(
            "select people_total from marts.fct_site_year where site_id = 'fabt-01' and year = 2022"
        ).fetchone()[0]
    assert status == "paused"
    assert people == 450


# ---- the shape of the dbt project, read from the manifest of the same build ------------------------------------

LAYERS = ("staging", "intermediate", "marts/core", "marts/indicators", "marts/reporting", "checks")
"""Model folders in the order data flows: a model reads models of its own layer or of earlier ones only."""


@pytest.fixture(scope="module")
def manifest(warehouse):
    with open(warehouse.parent / "dbt_target" / "manifest.json", encoding="utf-8") as handle:
        return json.load(handle)


def _models(manifest):
    return {uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == "model"}


def _layer(node):
    path = node["original_file_path"].removeprefix("models/")
    return next(index for index, layer in enumerate(LAYERS) if path.startswith(layer + "/"))


def test_each_layer_reads_only_earlier_layers_and_staging_one_source(manifest):
    models = _models(manifest)
    backwards = [
        (node["name"], models[parent]["name"])
        for node in models.values()
        for parent in node["depends_on"]["nodes"]
        if parent in models and _layer(models[parent]) > _layer(node)
    ]
    assert not backwards, backwards
    intermediate_reading_marts = [
        (node["name"], parent)
        for node in models.values()
        if _layer(node) == 1
        for parent in node["depends_on"]["nodes"]
        if parent in models and _layer(models[parent]) >= 2
    ]
    assert not intermediate_reading_marts
    for node in models.values():
        sources = [p for p in node["depends_on"]["nodes"] if p.startswith("source.")]
        assert (len(sources) == 1) == (_layer(node) == 0) or node["name"].startswith("dq_"), (node["name"], sources)


def test_every_mart_has_a_name_of_its_kind_and_an_enforced_contract(manifest):
    for node in _models(manifest).values():
        if not node["original_file_path"].startswith("models/marts/"):
            continue
        folder = node["original_file_path"].split("/")[2]
        prefixes = {"core": ("dim_", "fct_"), "indicators": ("fct_",), "reporting": ("rpt_",)}[folder]
        assert node["name"].startswith(prefixes), node["name"]
        assert node["config"]["contract"]["enforced"], node["name"]
        assert node["columns"] and all(c.get("data_type") for c in node["columns"].values()), node["name"]


def test_every_mart_the_package_reads_is_contracted_and_in_an_exposure(manifest):
    """The tables that the reports and exports query (`marts.X` in the package's code) are marts whose columns
    are guaranteed, and the exposures list them, so that `dbt docs` shows what each document depends on."""
    package = Path(__file__).resolve().parents[1] / "scripts" / "fabriques"
    read = {name for path in package.rglob("*.py") for name in re.findall(r"\bmarts\.(\w+)", path.read_text())}
    marts = {node["name"]: node for node in _models(manifest).values() if node["schema"] == "marts"}
    exposed = {
        parent.split(".")[-1]
        for exposure in manifest["exposures"].values()
        for parent in exposure["depends_on"]["nodes"]
    }
    assert read and read <= set(marts), read - set(marts)
    assert all(marts[name]["config"]["contract"]["enforced"] for name in read)
    assert read - {"dim_year"} <= exposed, read - exposed
    assert len(manifest["exposures"]) >= 5
    assert all(
        exposure["depends_on"]["nodes"] and exposure["description"] for exposure in manifest["exposures"].values()
    )


def test_every_model_seed_and_column_is_described(manifest, warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for node in manifest["nodes"].values():
            if node["resource_type"] not in ("model", "seed"):
                continue
            assert node["description"].strip(), node["name"]
            built = [row[0] for row in con.execute(f'describe "{node["schema"]}"."{node["alias"]}"').fetchall()]
            undescribed = [c for c in built if not node["columns"].get(c, {}).get("description", "").strip()]
            assert not undescribed, (node["name"], undescribed)


def test_the_dbt_sources_are_the_contract_raw_tables(manifest):
    """The raw schema is generated from fabriques.contract; the dbt sources must say the same columns, in the same
    order, with the same types (a column added to the contract and not to the sources fails here)."""
    sources = {node["name"]: node for node in manifest["sources"].values() if node["source_name"] == "raw"}
    assert set(sources) == set(contract.RAW_TABLES)
    for table in contract.RAW_TABLES:
        declared = [
            (name, sql_type.replace(" primary key", "").replace(" ", ""))
            for name, sql_type, _not_null in contract.raw_columns(table)
        ]
        documented = [
            (name, (column.get("data_type") or "").replace(" ", ""))
            for name, column in sources[table]["columns"].items()
        ]
        assert documented == declared, table
