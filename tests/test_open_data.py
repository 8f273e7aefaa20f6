"""Open data: every CSV a run publishes is described by the run's `datapackage.json` (a Frictionless Data Package:
a Table Schema per file with types, enumerations, keys, missing values, dialect, encoding, licence) and validates
against it with the standard validator, with zero errors; a file that breaks its schema is caught."""

import json
import shutil

import pytest
from frictionless import validate

from campaign_builder import small_campaign
from fabriques.cli import main

YEAR = 2021


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("open-data")
    first = small_campaign(YEAR - 1).write(tmp / "campaign-2020")
    second = small_campaign(YEAR).write(tmp / "campaign-2021")
    assert main(["run", str(first), str(second), "--year", str(YEAR), "--out", str(tmp / "out")]) == 0
    return tmp / "out"


def package(out):
    return json.loads((out / "datapackage.json").read_text(encoding="utf-8"))


def test_every_published_csv_is_a_resource_of_the_package(out):
    current = (out / "current").resolve()
    published = {p.relative_to(current).as_posix() for p in current.rglob("*.csv")}
    described = {resource["path"] for resource in package(out)["resources"]}
    assert published == described
    assert {
        "indicators.csv",
        "quarantine.csv",
        "data_quality.csv",
        f"reports/scorecard/{YEAR}/scorecard.fr.csv",
    } <= described


def test_every_csv_validates_against_its_schema_with_zero_errors(out):
    report = validate(str(out / "datapackage.json"))
    errors = [(task.name, error.type, error.note) for task in report.tasks for error in task.errors]
    assert report.valid, errors[:10]
    assert len(report.tasks) == len(package(out)["resources"])
    rows = {task.name: task.stats.get("rows") for task in report.tasks}
    assert rows["indicators"] > 100  # the whole file was read, not a sample


def test_the_schemas_say_what_the_columns_hold(out):
    descriptor = package(out)
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"
    resources = {r["name"]: r for r in descriptor["resources"]}
    indicators = resources["indicators"]["schema"]
    fields = {f["name"]: f for f in indicators["fields"]}
    assert fields["value"]["type"] == "number"  # not inferred from its first rows
    assert fields["year"]["type"] == "integer"
    assert "FT01_sites_labelled" in fields["indicator_code"]["constraints"]["enum"]
    assert set(fields["scope_type"]["constraints"]["enum"]) == {
        "national",
        "region",
        "territory_target",
        "degurba",
        "site",
    }
    assert "EUR" in fields["unit"]["constraints"]["enum"]
    assert fields["value"]["description"] and indicators["primaryKey"] == [
        "indicator_code",
        "year",
        "scope_type",
        "scope_code",
    ]
    assert indicators["missingValues"] == [""]
    quarantine = {f["name"]: f for f in resources["quarantine"]["schema"]["fields"]}
    assert "invalid_number" in quarantine["reason_code"]["constraints"]["enum"]
    severity = {f["name"]: f for f in resources["data_quality"]["schema"]["fields"]}["severity"]
    assert severity["constraints"]["enum"] == ["error", "warning"]
    french = resources[f"scorecard-{YEAR}-fr"]
    assert french["dialect"]["delimiter"] == ";" and french["encoding"] == "utf-8-sig"
    value = {f["name"]: f for f in french["schema"]["fields"]}["Valeur"]
    assert value["type"] == "number" and value["decimalChar"] == ","
    assert resources[f"scorecard-{YEAR}-en"]["dialect"]["delimiter"] == ","


def test_a_file_that_breaks_its_schema_is_caught(out, tmp_path):
    copy = tmp_path / "release"
    shutil.copytree((out / "current").resolve(), copy, ignore=shutil.ignore_patterns("*.duckdb", "data_docs"))
    lines = (copy / "indicators.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("value")] = "environ 12"
    cells[header.index("scope_type")] = "planet"
    lines[1] = ",".join(cells)
    (copy / "indicators.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate(str(copy / "datapackage.json"))
    found = {(error.type, error.field_name) for task in report.tasks for error in task.errors}
    assert ("type-error", "value") in found and ("constraint-error", "scope_type") in found
