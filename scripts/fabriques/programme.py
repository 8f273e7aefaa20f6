"""The programme whose campaigns a run reads: its settings, targets, funders, code lists and validation bounds, in a
folder its users own (`fabriques programme init DIR` writes the bundled one, Fabriques de Territoire, there).

A folder is read and checked as a whole (`load`): every problem is reported with its file, row and column and what
to do. The run stores it in the warehouse's `programme` schema (`store`), where dbt, the suites and the reports
read it, and records its settings and the hash of its files in the run history and the reports' footer.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path

from fabriques import contract, territories
from fabriques.contract import TABLES as CONTRACT_TABLES
from fabriques.contract import Table
from fabriques.i18n import LANGUAGES, PROGRAMME_DOCUMENTS
from fabriques.ingest.communes import CommuneResolver, default_resolver
from fabriques.ingest.parsers import normalise_code
from fabriques.settings import PROJECT_DIR, SEEDS_DIR

BUNDLED_PROGRAMME_DIR = PROJECT_DIR / "programmes" / "fabriques-de-territoire"
SETTINGS_FILE = "programme.toml"

TABLES = {
    "indicator_targets.csv": ("indicator_code", "scope_type", "scope_code", "from_year", "comparator", "target_value"),
    "funders.csv": ("funder_id", "funder_name", "funder_type"),
    "code_lists.csv": ("domain", "code", "sort_order", "grouping", "label"),
    "validation_parameters.csv": ("parameter", "value"),
}
"""The CSV files of a programme folder and the columns each must have."""

OPTIONAL_TABLES = {"input_bounds.csv": ("table_name", "column_name", "minimum", "maximum")}
"""Files a programme folder may hold: without input_bounds.csv, the input contract's own bounds apply."""
OPTIONAL_COLUMNS = {
    "indicator_targets.csv": ("source",),
    "input_bounds.csv": ("rationale",),
    "code_lists.csv": ("short_label",),
    "validation_parameters.csv": ("unit", "rationale"),
}
"""Columns a file may have (stored empty when it has not)."""

COMPARATORS = (">=", "<=", "=", ">", "<")
GROUPINGS = ("own", "state", "cofunding", "other", "people", "organisations", "priority_area", "rural_area")


class ProgrammeError(Exception):
    """A programme folder that cannot be used: every problem found, one per line."""

    def __init__(self, folder: Path, problems: list[str]):
        self.folder, self.problems = folder, problems
        super().__init__(
            f"the programme folder {folder} cannot be used ({len(problems)} problem{'s' * (len(problems) > 1)}):\n  "
            + "\n  ".join(problems)
        )


@dataclass
class Programme:
    folder: Path
    settings: dict
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    """file name -> its rows, as read."""
    sha256: str = ""
    """Hash of the folder's files (names and contents)."""
    territories: list[dict[str, str]] | None = None
    """The rows of the folder's territory file ([territories] file); None for the bundled French geography."""

    @property
    def grant_codes(self) -> list[str]:
        """The grant codes as the ingestion stores a grant's `programme` (`TL-2025` -> `tl_2025`)."""
        return sorted({normalise_code(code) for code in self.settings["grants"]["programme_codes"]})

    def name(self, lang: str) -> str:
        names = self.settings["programme"]["name"]
        return names.get(lang) or next(iter(names.values()))

    @property
    def disclosure_threshold(self) -> int:
        return int(self.settings["publication"]["disclosure_threshold"])

    def parameters(self) -> list[tuple[str, str]]:
        """The settings as (parameter, value) rows: those the dbt models read under their parameter names, then
        the others under their section-qualified names (`publication.evaluator_name`)."""
        programme, grants = self.settings["programme"], self.settings["grants"]
        rows = [
            ("grant_min_eur", grants["min_eur"]),
            ("grant_max_eur", grants["max_eur"]),
            ("state_envelope_eur", grants["envelope_eur"]),
            ("grant_duration_years", grants["duration_years"]),
            ("programme_start_year", programme["start_year"]),
            ("country", programme["country"]),
            ("country_name", programme["country_name"]),
            ("report_languages", ",".join(programme["report_languages"])),
            *((f"name_{lang}", text) for lang, text in programme["name"].items()),
            *((f"publication.{key}", value) for key, value in self.settings["publication"].items()),
            ("territories.file", self.territory_file or ""),
            *((f"transfer.{key}", value) for key, value in self.settings.get("transfer", {}).items()),
            ("folder_sha256", self.sha256),
        ]
        return [(name, str(value)) for name, value in rows]

    @property
    def territory_file(self) -> str | None:
        """The name of the folder's territory file, or None when the programme uses the bundled French geography."""
        return self.settings.get("territories", {}).get("file")

    def territory_resolver(self) -> CommuneResolver:
        """What the ingestion checks a commune code against: the territory file's codes, or the INSEE COG."""
        return self._territory_resolver

    @cached_property
    def _territory_resolver(self) -> CommuneResolver:
        if self.territories is None:
            return default_resolver()
        return territories.resolver(self.territories)

    def input_table(self, name: str) -> Table:
        """The input contract's table `name` with the programme's bounds (input_bounds.csv) on its numbers: what
        the ingestion, `fabriques check` and the templates' validations all apply."""
        return self._input_tables[name]

    @cached_property
    def _input_tables(self) -> dict[str, Table]:
        bounds = {(row["table_name"], row["column_name"]): row for row in self.tables.get("input_bounds.csv", [])}
        tables = {}
        for table in CONTRACT_TABLES:
            columns = tuple(
                replace(
                    column,
                    minimum=_bound(bounds[table.name, column.name]["minimum"], column.minimum),
                    maximum=_bound(bounds[table.name, column.name]["maximum"], column.maximum),
                )
                if (table.name, column.name) in bounds
                else column
                for column in table.columns
            )
            tables[table.name] = replace(table, columns=columns)
        return tables

    def code_lists(self) -> dict[str, frozenset[str]]:
        """Allowed codes per domain: the programme's code lists and the warehouse's own (seeds/code_lists.csv)."""
        return self._code_lists

    @cached_property
    def _code_lists(self) -> dict[str, frozenset[str]]:
        domains: dict[str, set[str]] = {}
        for row in [*self.tables["code_lists.csv"], *_read_csv(SEEDS_DIR / "code_lists.csv")]:
            domains.setdefault(row["domain"], set()).add(row["code"])
        return {domain: frozenset(codes) for domain, codes in domains.items()}

    def code_grouping(self, domain: str) -> dict[str, str]:
        """The `grouping` of each code of a domain (e.g. beneficiary category -> people/organisations)."""
        return {r["code"]: r["grouping"] for r in self.tables["code_lists.csv"] if r["domain"] == domain}

    def summary(self) -> dict:
        """What the run history records of the programme."""
        return {"folder": str(self.folder), "sha256": self.sha256, "settings": self.settings}


def load(folder: Path | None = None) -> Programme:
    """Read and check a programme folder (the bundled one when None)."""
    folder = Path(folder or BUNDLED_PROGRAMME_DIR).resolve()
    problems: list[str] = []
    if not folder.is_dir():
        raise ProgrammeError(folder, ["the folder does not exist: write one with `fabriques programme init DIR`"])
    settings = _read_settings(folder / SETTINGS_FILE, problems)
    tables = {}
    for name, columns in TABLES.items():
        tables[name] = _read_table(folder / name, columns, problems)
    for name, columns in OPTIONAL_TABLES.items():
        if (folder / name).exists():
            tables[name] = _read_table(folder / name, columns, problems)
    territory_rows = None
    if not problems:
        _check_settings(folder / SETTINGS_FILE, settings, problems)
        _check_tables(folder, tables, problems)
    if not problems and settings.get("territories", {}).get("file"):
        territory_rows = territories.read(folder / settings["territories"]["file"], problems)
    if problems:
        raise ProgrammeError(folder, problems)
    return Programme(folder, settings, tables, folder_sha256(folder), territory_rows)


def init(target: Path) -> Path:
    """Write the bundled programme as editable files in `target` (which must not exist or be empty)."""
    if target.exists() and any(target.iterdir()):
        raise ProgrammeError(target, ["the folder is not empty: name a new folder, or remove this one first"])
    shutil.copytree(BUNDLED_PROGRAMME_DIR, target, dirs_exist_ok=True)
    return target


def folder_sha256(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def store(con, programme: Programme) -> None:
    """Replace the warehouse's `programme` schema with this programme's settings and tables."""
    con.execute("create schema if not exists programme")
    con.execute("create or replace table programme.parameters (parameter varchar not null, value varchar)")
    con.executemany("insert into programme.parameters values (?, ?)", programme.parameters())
    con.execute("create or replace table programme.grant_codes (programme_code varchar not null)")
    con.executemany("insert into programme.grant_codes values (?)", [(code,) for code in programme.grant_codes])
    columns = [*territories.COLUMNS, *territories.OPTIONAL_COLUMNS]
    con.execute(f"create or replace table programme.territories ({', '.join(f'{c} varchar' for c in columns)})")
    if programme.territories:
        con.executemany(
            f"insert into programme.territories values ({', '.join('?' for _ in columns)})",
            territories.stored_rows(programme.territories),
        )
    for name, rows in programme.tables.items():
        table = name.removesuffix(".csv")
        columns = [*(TABLES | OPTIONAL_TABLES)[name], *OPTIONAL_COLUMNS.get(name, ())]
        con.execute(f"create or replace table programme.{table} ({', '.join(f'{c} varchar' for c in columns)})")
        con.executemany(
            f"insert into programme.{table} values ({', '.join('?' for _ in columns)})",
            [[row.get(c) or None for c in columns] for row in rows],
        )


_in_force: ContextVar[Programme | None] = ContextVar("programme_in_force", default=None)


def current() -> Programme:
    """The programme the running command reads (the bundled one unless `in_force` says otherwise)."""
    programme = _in_force.get()
    if programme is None:
        programme = _bundled()
    return programme


@contextmanager
def in_force(programme: Programme) -> Iterator[Programme]:
    token = _in_force.set(programme)
    try:
        yield programme
    finally:
        _in_force.reset(token)


@cache
def _bundled() -> Programme:
    return load(BUNDLED_PROGRAMME_DIR)


# ---- reading and checking ---------------------------------------------------------------------------------------

SETTINGS = {
    "programme": {"name": dict, "country": str, "country_name": str, "report_languages": list, "start_year": int},
    "grants": {
        "programme_codes": list,
        "duration_years": int,
        "min_eur": (int, float),
        "max_eur": (int, float),
        "envelope_eur": (int, float),
    },
    "publication": {
        "disclosure_threshold": int,
        "evaluator_name": str,
        "evaluator_contact": str,
        "resubmission_deadline": str,
    },
}
"""Every setting of programme.toml, by section, with its type (README.md of the bundled folder describes them)."""

OPTIONAL_SETTINGS = {
    "territories": {"file": str},
    "publication": {"data_licence_name": str, "data_licence_title": str, "data_licence_path": str},
    "transfer": {
        "partner_name": str,
        "partner_price_level_index": (int, float),
        "reference_price_level_index": (int, float),
        "price_level_source": str,
    },
}
"""Settings a programme.toml may leave out: without [territories] file, the bundled French geography; without
[transfer], the transfer guide's worked example is at the programme's own price level."""


def _read_settings(path: Path, problems: list[str]) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        problems.append(f"{path.name}: missing; copy it from `fabriques programme init DIR`")
    except tomllib.TOMLDecodeError as error:
        problems.append(f"{path.name}: not valid TOML ({error}); correct the line it names")
    return {}


def _check_settings(path: Path, settings: dict, problems: list[str]) -> None:
    for section, keys in SETTINGS.items():
        for key, kind in keys.items():
            value = settings.get(section, {}).get(key)
            if value is None:
                problems.append(f"{path.name}: [{section}] {key} is missing; add it (README.md describes it)")
            elif not isinstance(value, kind) or isinstance(value, bool):
                problems.append(f"{path.name}: [{section}] {key} = {value!r} is not a {_kind_name(kind)}")
    for section, keys in OPTIONAL_SETTINGS.items():
        for key, kind in keys.items():
            value = settings.get(section, {}).get(key)
            if value is not None and (not isinstance(value, kind) or not value):
                problems.append(f"{path.name}: [{section}] {key} = {value!r} is not a {_kind_name(kind)}")
    transfer = settings.get("transfer", {})
    if transfer and set(transfer) != set(OPTIONAL_SETTINGS["transfer"]):
        problems.append(
            f"{path.name}: [transfer] needs all of {', '.join(OPTIONAL_SETTINGS['transfer'])} (the partner's and "
            "the programme country's price level indices, from the same Eurostat table, and its source)"
        )
    elif transfer and min(transfer["partner_price_level_index"], transfer["reference_price_level_index"]) <= 0:
        problems.append(f"{path.name}: [transfer] price level indices must be positive")
    if any(p.startswith(path.name) for p in problems):
        return
    programme, grants, publication = settings["programme"], settings["grants"], settings["publication"]
    complete = [lang for lang, (_locale, documents) in LANGUAGES.items() if set(PROGRAMME_DOCUMENTS) <= set(documents)]
    unknown = [lang for lang in programme["report_languages"] if lang not in complete]
    if unknown or not programme["report_languages"]:
        problems.append(
            f"{path.name}: [programme] report_languages {programme['report_languages']!r}: each must be one of "
            f"{', '.join(complete)}, the languages whose catalogues (reports/locales/<lang>/) translate the annual "
            "report, the scorecard and the site sheets"
        )
    missing_names = [lang for lang in programme["report_languages"] if not programme["name"].get(lang)]
    if missing_names:
        problems.append(f"{path.name}: [programme] name has no text for {', '.join(missing_names)}; add it")
    if not grants["programme_codes"] or not all(isinstance(c, str) and c for c in grants["programme_codes"]):
        problems.append(f"{path.name}: [grants] programme_codes must list at least one code (text)")
    if grants["min_eur"] > grants["max_eur"]:
        problems.append(f"{path.name}: [grants] min_eur {grants['min_eur']} is above max_eur {grants['max_eur']}")
    if not 1900 <= programme["start_year"] <= 2100:
        problems.append(f"{path.name}: [programme] start_year {programme['start_year']} is not a year")
    if publication["disclosure_threshold"] < 1:
        problems.append(f"{path.name}: [publication] disclosure_threshold must be 1 or more")
    try:
        dt.date.fromisoformat(f"2001-{publication['resubmission_deadline']}")
    except ValueError:
        problems.append(
            f"{path.name}: [publication] resubmission_deadline {publication['resubmission_deadline']!r} is not "
            "a month and day (MM-DD, e.g. 03-31)"
        )


def _read_table(path: Path, columns: tuple[str, ...], problems: list[str]) -> list[dict[str, str]]:
    if not path.is_file():
        problems.append(f"{path.name}: missing; copy it from `fabriques programme init DIR`")
        return []
    try:
        rows = _read_csv(path)
        header = list(rows[0]) if rows else _header(path)
    except UnicodeDecodeError:
        problems.append(f"{path.name}: not UTF-8 text; save it as CSV UTF-8")
        return []
    absent = [c for c in columns if c not in header]
    if absent:
        problems.append(f"{path.name}: row 1 (header): column {', '.join(absent)} missing; add it")
    return rows


def _check_tables(folder: Path, tables: dict[str, list[dict[str, str]]], problems: list[str]) -> None:
    indicators = {r["indicator_code"] for r in _read_csv(SEEDS_DIR / "indicator_catalogue.csv")}
    warehouse_lists = _read_csv(SEEDS_DIR / "code_lists.csv")
    scope_types = {r["code"] for r in warehouse_lists if r["domain"] == "scope_type"}
    codes = tables["code_lists.csv"]
    seen: set[tuple[str, str]] = set()
    for number, row in _numbered(codes):
        where = f"code_lists.csv: row {number}"
        if not row["domain"] or not row["code"]:
            problems.append(f"{where}, column domain/code: empty; give both")
        if not (row["label"] or "").strip():
            problems.append(f"{where}, column label: the code {row['code']!r} has no label; write its English label")
        if not _is_int(row["sort_order"]):
            problems.append(f"{where}, column sort_order: {row['sort_order']!r} is not a whole number")
        if row["grouping"] and row["grouping"] not in GROUPINGS:
            problems.append(f"{where}, column grouping: {row['grouping']!r} is not one of {', '.join(GROUPINGS)}")
        if row["code"] and normalise_code(row["code"]) != row["code"]:
            problems.append(
                f"{where}, column code: {row['code']!r} must be written as the data's codes are read: "
                f"{normalise_code(row['code'])!r}"
            )
        if (row["domain"], row["code"]) in seen:
            problems.append(f"{where}: the code {row['code']!r} of {row['domain']!r} is listed twice; keep one")
        seen.add((row["domain"], row["code"]))
    needed = {c.domain for t in CONTRACT_TABLES for c in t.columns if c.domain} | {"funder_type"}
    present = {r["domain"] for r in codes} | {r["domain"] for r in warehouse_lists}
    for domain in sorted(needed - present):
        problems.append(f"code_lists.csv: the list {domain!r} that the input contract uses has no code; add its codes")
    for number, row in _numbered(tables["indicator_targets.csv"]):
        where = f"indicator_targets.csv: row {number}"
        if row["indicator_code"] not in indicators:
            problems.append(
                f"{where}, column indicator_code: {row['indicator_code']!r} is not an indicator of "
                "seeds/indicator_catalogue.csv"
            )
        if row["scope_type"] not in scope_types:
            problems.append(
                f"{where}, column scope_type: {row['scope_type']!r} is not one of {', '.join(sorted(scope_types))}"
            )
        if row["comparator"] not in COMPARATORS:
            problems.append(f"{where}, column comparator: {row['comparator']!r} is not one of >=, <=, =, >, <")
        if not _is_int(row["from_year"]):
            problems.append(f"{where}, column from_year: {row['from_year']!r} is not a year")
        if not _is_number(row["target_value"]):
            problems.append(
                f"{where}, column target_value: {row['target_value']!r} is not a number (use a . "
                "for decimals, no thousands separator)"
            )
    funder_types = {r["code"] for r in codes if r["domain"] == "funder_type"}
    funder_ids: set[str] = set()
    for number, row in _numbered(tables["funders.csv"]):
        where = f"funders.csv: row {number}"
        if not row["funder_id"]:
            problems.append(f"{where}, column funder_id: empty; give the funder's SIRET or identifier")
        elif row["funder_id"] in funder_ids:
            problems.append(f"{where}, column funder_id: {row['funder_id']!r} is listed twice; keep one")
        funder_ids.add(row["funder_id"])
        if row["funder_type"] not in funder_types:
            problems.append(
                f"{where}, column funder_type: {row['funder_type']!r} is not a code of the list "
                "funder_type of code_lists.csv"
            )
    bundled = {r["parameter"] for r in _read_csv(BUNDLED_PROGRAMME_DIR / "validation_parameters.csv")}
    given = {}
    for number, row in _numbered(tables["validation_parameters.csv"]):
        given[row["parameter"]] = row["value"]
        if not _is_number(row["value"]):
            problems.append(f"validation_parameters.csv: row {number}, column value: {row['value']!r} is not a number")
    for parameter in sorted(bundled - set(given)):
        problems.append(f"validation_parameters.csv: the bound {parameter!r} is missing; add its row")
    _check_input_bounds(tables.get("input_bounds.csv", []), problems)


NUMBER_KINDS = (contract.INTEGER, contract.DECIMAL, contract.MONEY)


def _check_input_bounds(rows: list[dict[str, str]], problems: list[str]) -> None:
    """Each row names a number column of the input contract once, with a minimum or a maximum (or both)."""
    numbers = {(t.name, c.name) for t in CONTRACT_TABLES for c in t.columns if c.kind in NUMBER_KINDS}
    seen: set[tuple[str, str]] = set()
    for number, row in _numbered(rows):
        where = f"input_bounds.csv: row {number}"
        key = (row["table_name"], row["column_name"])
        if key not in numbers:
            problems.append(
                f"{where}, columns table_name/column_name: {'.'.join(key)!r} is not a number column of the input "
                "contract (docs/REPORTING_PACK.md lists them)"
            )
        if key in seen:
            problems.append(f"{where}: {'.'.join(key)!r} is listed twice; keep one row")
        seen.add(key)
        given = [row[side] for side in ("minimum", "maximum") if row[side]]
        for side in ("minimum", "maximum"):
            if row[side] and not _is_number(row[side]):
                problems.append(f"{where}, column {side}: {row[side]!r} is not a number (use a . for decimals)")
        if not given:
            problems.append(f"{where}: give a minimum, a maximum or both (an empty side keeps the contract's bound)")
        elif len(given) == 2 and all(map(_is_number, given)) and float(given[0]) > float(given[1]):
            problems.append(f"{where}: the minimum {given[0]} is above the maximum {given[1]}")


def _bound(text: str, contract_bound: float | None) -> float | None:
    """A bound of input_bounds.csv: empty keeps the contract's; a whole number stays whole (`366`, not `366.0`)."""
    text = (text or "").strip()
    if not text:
        return contract_bound
    number = float(text)
    return int(number) if number.is_integer() else number


def _numbered(rows: list[dict[str, str]]):
    """Rows with their line number in the file (the header is row 1)."""
    return ((index + 2, {k: (v or "").strip() for k, v in row.items()}) for index, row in enumerate(rows))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _is_int(text: str) -> bool:
    return text.strip().lstrip("-").isdigit()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def _kind_name(kind) -> str:
    names = {dict: "table", str: "text", list: "list", int: "whole number"}
    return names.get(kind, "number")
