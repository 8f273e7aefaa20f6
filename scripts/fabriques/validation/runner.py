"""Run every suite on the warehouse: tables read read-only into pandas, GX imported only here."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from fabriques.i18n import gettext_for
from fabriques.validation.results import CheckResult, failing_keys, observed_value, status_of
from fabriques.validation.suites import SuiteFile, load_suite_files


@dataclass
class ValidationReport:
    run_id: str
    results: list[CheckResult]

    @property
    def errors(self) -> list[CheckResult]:
        return [r for r in self.results if r.is_blocking]

    @property
    def warnings(self) -> list[CheckResult]:
        return [r for r in self.results if r.status == "warning"]


def suite_parameters(con: duckdb.DuckDBPyConnection) -> dict[str, float | list[str]]:
    """The suites' `$PARAMETER`s: the numeric programme and validation parameters, by name, and the codes of each
    of the programme's code lists as `<domain>_codes`."""
    parameters: dict[str, float | list[str]] = {}
    for table in ("programme.parameters", "programme.validation_parameters"):
        for name, value in con.execute(f"select parameter, cast(value as varchar) from {table}").fetchall():
            try:
                parameters[name] = float(value)
            except ValueError:
                continue
    for domain, codes in con.execute(
        "select domain, list(code order by code) from programme.code_lists group by domain"
    ).fetchall():
        parameters[f"{domain}_codes"] = codes
    return parameters


def read_table(con: duckdb.DuckDBPyConnection, table: str):
    """A warehouse relation as a pandas DataFrame, decimals as floats, in a fixed row order (so that the failing
    keys a check samples are the same from one run to the next)."""
    schema, name = table.split(".")
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()
    select = ", ".join(f'cast("{c}" as double) as "{c}"' if t.startswith("DECIMAL") else f'"{c}"' for c, t in columns)
    return con.execute(f"select {select} from {table} order by all").df()


def validate_warehouse(
    warehouse: Path, docs_dir: Path | None, run_id: str, suites: list[SuiteFile] | None = None
) -> ValidationReport:
    suites = suites if suites is not None else load_suite_files()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        parameters = suite_parameters(con)
        frames = {suite.name: read_table(con, suite.table) for suite in suites}
    validated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")
    gx_results = run_suites(suites, frames, parameters, docs_dir)
    results = []
    for suite in suites:
        for expectation, outcome in gx_results[suite.name]:
            meta = expectation["meta"]
            kwargs = expectation["kwargs"]
            columns = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs] + kwargs.get(
                "column_list", []
            )
            result = outcome["result"]
            results.append(
                CheckResult(
                    run_id=run_id,
                    validated_at=validated_at,
                    suite=suite.name,
                    table_name=suite.table,
                    rule=meta["rule"],
                    expectation_type=expectation["type"],
                    columns=",".join(columns),
                    severity=meta["severity"],
                    success=outcome["success"],
                    status=status_of(outcome["success"], meta["severity"]),
                    element_count=result.get("element_count"),
                    unexpected_count=result.get("unexpected_count"),
                    observed_value=observed_value(result),
                    failing_keys=failing_keys(result, suite.key_columns),
                    description_en=meta.get("description", ""),
                    description_fr=gettext_for("fr")(meta["description"]) if meta.get("description") else "",
                )
            )
    return ValidationReport(run_id, results)


def run_suites(suites: list[SuiteFile], frames: dict, parameters: dict[str, float | list[str]], docs_dir: Path | None):
    """suite name -> [(expectation as declared, {"success", "result"})], in the suite file's order."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if docs_dir is not None:
        context.add_data_docs_site(
            site_name="data_quality",
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    source = context.data_sources.add_pandas("warehouse")
    outcomes = {}
    for suite in suites:
        gx_suite = context.suites.add(gx.ExpectationSuite(**suite.document))
        batch = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("whole table")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)
        )
        run = definition.run(
            batch_parameters={"dataframe": frames[suite.name]},
            expectation_parameters=parameters,
            result_format={
                "result_format": "SUMMARY",
                "unexpected_index_column_names": list(suite.key_columns),
                "partial_unexpected_count": 20,
            },
        )
        by_rule = {r.expectation_config.meta["rule"]: r for r in run.results}
        outcomes[suite.name] = [
            (
                expectation,
                {
                    "success": by_rule[expectation["meta"]["rule"]].success,
                    "result": by_rule[expectation["meta"]["rule"]].result,
                },
            )
            for expectation in suite.document["expectations"]
        ]
    if docs_dir is not None:
        context.build_data_docs()
    return outcomes
