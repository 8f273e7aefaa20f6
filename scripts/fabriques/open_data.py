"""The published CSVs described for reuse: a Frictionless Data Package (`datapackage.json`) beside them.

One Table Schema per CSV: each column's type (from the warehouse's column types, or from the scorecard's export
columns), its description, the enumerations the warehouse holds (indicator codes, units, scope types, reason codes,
severities), primary keys, what an empty cell means, and the file's dialect and encoding (the scorecard's CSVs
for spreadsheets have the delimiter and decimal separator of their language and a byte order mark). The
licence is the programme's (`[publication] data_licence_*` of programme.toml). A standard validator checks a CSV
against it: `frictionless validate datapackage.json`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import yaml

from fabriques.contract import TABLES
from fabriques.i18n import gettext_for
from fabriques.reports import scorecard_export
from fabriques.settings import PROJECT_DIR
from fabriques.validation.results import CSV_COLUMNS

DUCKDB_TYPES = {
    "VARCHAR": "string",
    "INTEGER": "integer",
    "BIGINT": "integer",
    "HUGEINT": "integer",
    "DOUBLE": "number",
    "BOOLEAN": "boolean",
    "DATE": "date",
}
INDICATOR_KEY = ["indicator_code", "year", "scope_type", "scope_code"]
QUARANTINE_FIELDS = {
    # column: (type, description)
    "campaign": ("string", "The campaign folder the row or file came in."),
    "source_file": ("string", "The file as sent, relative to the campaign folder (`#sheet` for a workbook sheet)."),
    "source_row": ("integer", "The row as a spreadsheet numbers it (the header is row 1); empty for a whole file."),
    "table_name": ("string", "The contract's table the file holds; empty when none was recognised."),
    "column_name": ("string", "The column at fault, by its contract name; empty for a whole file or row."),
    "reason_code": ("string", "Why the row or file was set aside (a stable code of the contract, section 3)."),
    "message": ("string", "The reason in French, with the value as sent and what to do."),
    "message_en": ("string", "The reason in English."),
    "original_values": ("string", "The row as sent, headers as sent, as JSON text."),
}
DATA_QUALITY_DESCRIPTIONS = {
    "run_id": "The validation run.",
    "validated_at": "When the suites ran (UTC).",
    "suite": "The suite (expectations/<suite>.json).",
    "table_name": "The table or view checked.",
    "rule": "The rule's name, stable across runs.",
    "expectation_type": "The Great Expectations expectation.",
    "columns": "The columns checked.",
    "severity": "`error`: a failure refuses the run; `warning`: a finding about the programme, published.",
    "success": "Whether the rule held.",
    "status": "`passed`, or the severity of a rule that did not hold.",
    "element_count": "Rows checked.",
    "unexpected_count": "Rows that broke the rule.",
    "observed_value": "What was observed, as JSON text.",
    "failing_keys": "Keys of up to 20 failing rows, as a JSON list.",
    "description_en": "What the rule checks, in English.",
    "description_fr": "What the rule checks, in French.",
}
MISSING = [""]
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


def write_datapackage(con: duckdb.DuckDBPyConnection, out_dir: Path, settings: dict[str, str]) -> Path:
    """Write `out_dir/datapackage.json` for the CSVs the run wrote in `out_dir` (root and reports/scorecard)."""
    resources = [
        _resource("indicators", "indicators.csv", "Indicators", _indicators_schema(con, out_dir / "indicators.csv")),
        _resource("quarantine", "quarantine.csv", "Rows and files set aside", _quarantine_schema(con)),
        _resource("data_quality", "data_quality.csv", "Data-quality checks of the run", _data_quality_schema()),
    ]
    for path in sorted((out_dir / "reports" / "scorecard").glob("*/scorecard.*.csv")):
        year, lang = path.parent.name, path.name.split(".")[-2]
        resources.append(_scorecard_resource(con, path.relative_to(out_dir).as_posix(), year, lang))
    package = {
        "profile": "data-package",
        "name": _slug(settings.get("name_en", "programme")) + "-monitoring",
        "title": f"{settings.get('name_en', '')}: monitoring data",
        "description": (
            "The indicators, the rows set aside and the data-quality checks of a monitoring run, and the "
            "ministries' scorecard of each year as spreadsheets read it. Each file's schema gives its columns."
        ),
        "version": settings.get("folder_sha256", "")[:16],
        "resources": resources,
    }
    licence = _licence(settings)
    if licence:
        package["licenses"] = [licence]
    path = out_dir / "datapackage.json"
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _resource(name: str, path: str, title: str, schema: dict, dialect: dict | None = None, encoding="utf-8"):
    return {
        "profile": "tabular-data-resource",
        "name": name,
        "path": path,
        "title": title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": encoding,
        "dialect": dialect or {"delimiter": ",", "doubleQuote": True, "lineTerminator": "\n", "header": True},
        "schema": schema,
    }


def _indicators_schema(con: duckdb.DuckDBPyConnection, path: Path) -> dict:
    """indicators.csv: its columns as written (the warehouse's published table and `suppression`), typed from the
    warehouse, described by the dbt model's documentation."""
    with open(path, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    types = dict(
        con.execute(
            "select column_name, data_type from duckdb_columns() "
            "where schema_name = 'marts' and table_name = 'fct_indicators'"
        ).fetchall()
    )
    descriptions = _model_column_descriptions("models/marts/indicators/_indicators__models.yml", "fct_indicators")
    enums = {
        "indicator_code": _values(con, "select indicator_code from marts.dim_indicator"),
        "unit": _values(con, "select distinct unit from marts.dim_indicator"),
        "scope_type": _values(con, "select distinct scope_type from marts.fct_indicators"),
        "target_comparator": [">=", "<=", ">", "<", "="],
        "empty_reason": ["zero_denominator", "no_site_reports"],
    }
    fields = []
    for column in header:
        field = {"name": column, "type": _type(types.get(column, "VARCHAR"))}
        if column in descriptions:
            field["description"] = descriptions[column]
        if column in enums:
            field["constraints"] = {"enum": enums[column]}
        if column == "suppression":
            field["description"] = (
                "Why the value (and the cells it can be read from) is empty at site level: "
                "`small_count_below_N`, a count of people below the disclosure threshold N."
            )
            field["constraints"] = {"pattern": "small_count_below_[0-9]+"}
        if column == "value":
            field["description"] = (field.get("description", "") + " In the unit of the column `unit`.").strip()
        if column in INDICATOR_KEY:
            field.setdefault("constraints", {})["required"] = True
        fields.append(field)
    return {"fields": fields, "primaryKey": INDICATOR_KEY, "missingValues": MISSING}


def _quarantine_schema(con: duckdb.DuckDBPyConnection) -> dict:
    reasons = _values(con, "select code from seeds.code_lists where domain = 'quarantine_reason'")
    fields = []
    for column, (kind, description) in QUARANTINE_FIELDS.items():
        field = {"name": column, "type": kind, "description": description}
        if column == "reason_code":
            field["constraints"] = {"required": True, "enum": reasons}
        elif column == "table_name":
            field["constraints"] = {"enum": [table.name for table in TABLES]}
        fields.append(field)
    return {"fields": fields, "missingValues": MISSING}


def _data_quality_schema() -> dict:
    kinds = {"success": "boolean", "element_count": "integer", "unexpected_count": "integer"}
    fields = []
    for column in CSV_COLUMNS:
        field = {"name": column, "type": kinds.get(column, "string"), "description": DATA_QUALITY_DESCRIPTIONS[column]}
        if column == "validated_at":
            field |= {"type": "datetime", "format": TIMESTAMP_FORMAT}
        elif column == "severity":
            field["constraints"] = {"enum": ["error", "warning"]}
        elif column == "status":
            field["constraints"] = {"enum": ["passed", "warning", "error"]}
        fields.append(field)
    return {"fields": fields, "primaryKey": ["run_id", "suite", "rule"], "missingValues": MISSING}


def _scorecard_resource(con: duckdb.DuckDBPyConnection, path: str, year: str, lang: str) -> dict:
    """A scorecard CSV for spreadsheets: headers in its language, the language's delimiter and decimal separator,
    UTF-8 with a byte order mark."""
    _ = gettext_for(lang)
    delimiter, decimal = scorecard_export.csv_dialect(lang)
    header = scorecard_export.export_header(lang)
    fields = []
    for (key, _label, kind), name in zip(scorecard_export.EXPORT_COLUMNS, header, strict=True):
        field: dict = {"name": name}
        if kind == "year":
            field["type"] = "integer"
        elif kind in ("value", "difference"):
            field |= {"type": "number", "decimalChar": decimal, "groupChar": ""}
        elif key == "is_target_in_force":
            field |= {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]}
        else:
            field["type"] = "string"
        if key == "indicator_code":
            field["constraints"] = {
                "required": True,
                "enum": _values(con, "select indicator_code from marts.dim_indicator"),
            }
        elif key == "status":
            field["constraints"] = {"enum": ["met", "on_track", "off_track", "no_reports"]}
        fields.append(field)
    key_names = [
        name
        for (key, _l, _k), name in zip(scorecard_export.EXPORT_COLUMNS, header, strict=True)
        if key in ("year", "indicator_code", "scope_type", "scope_code")
    ]
    return _resource(
        f"scorecard-{year}-{lang}",
        path,
        f"{_('Ministry scorecard %(year)s') % {'year': year}} ({lang})",
        {"fields": fields, "primaryKey": key_names, "missingValues": MISSING},
        dialect={"delimiter": delimiter, "doubleQuote": True, "lineTerminator": "\r\n", "header": True},
        encoding="utf-8-sig",
    )


def _licence(settings: dict[str, str]) -> dict | None:
    name = settings.get("publication.data_licence_name")
    if not name:
        return None
    return {
        "name": name,
        "title": settings.get("publication.data_licence_title", name),
        "path": settings.get("publication.data_licence_path", ""),
    }


def _model_column_descriptions(yml: str, model: str) -> dict[str, str]:
    """The column descriptions of a dbt model, as its .yml documents them (one definition, read here)."""
    document = yaml.safe_load((PROJECT_DIR / yml).read_text(encoding="utf-8"))
    for entry in document.get("models", []):
        if entry["name"] == model:
            return {c["name"]: " ".join(c.get("description", "").split()) for c in entry.get("columns", [])}
    return {}


def _values(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return sorted(str(value) for (value,) in con.execute(sql).fetchall() if value is not None)


def _type(duckdb_type: str) -> str:
    base = duckdb_type.split("(")[0].upper()
    return "number" if base == "DECIMAL" else DUCKDB_TYPES.get(base, "string")


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "programme"
