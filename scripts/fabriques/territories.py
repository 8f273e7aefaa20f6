"""A programme's own territories: the CSV file a programme folder may name (`[territories] file`) instead of the
bundled French geography (INSEE COG, QPV, density grid, NUTS), so that a partner loads its own local administrative
units (Eurostat LAU codes, for instance).

`read` checks the file and reports every problem with its row and column; `resolver` turns its codes and former
codes into the resolver the ingestion checks communes with; the run stores its rows in `programme.territories`,
where `dim_territory` reads them.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from fabriques.ingest.communes import CommuneResolver
from fabriques.ingest.parsers import cell_text

COLUMNS = ("code", "name", "region_code", "region_name", "nuts3_code", "degurba")
"""The columns a territory file must have."""

OPTIONAL_COLUMNS = ("parent_code", "parent_name", "priority_area", "population", "former_codes")
"""The columns it may have (stored empty when it has not)."""

NUTS3 = re.compile(r"[A-Z]{2}[A-Z0-9]{3}")
DEGURBA_CLASSES = ("1", "2", "3")
TRUE, FALSE = ("1", "true", "yes", "oui", "y"), ("0", "false", "no", "non", "n", "")


def normalise_code(text: str) -> str:
    """A territory code as the file and the data are compared: upper case, without spaces."""
    return re.sub(r"\s", "", text or "").upper()


def read(path: Path, problems: list[str]) -> list[dict[str, str]]:
    """The rows of a territory file, checked; each problem is appended to `problems` with its row and column."""
    name = path.name
    if not path.is_file():
        problems.append(f"{name}: missing; programme.toml [territories] file names it, put it beside programme.toml")
        return []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except UnicodeDecodeError:
        problems.append(f"{name}: not UTF-8 text; save it as CSV UTF-8")
        return []
    absent = [c for c in COLUMNS if c not in header]
    if absent:
        problems.append(f"{name}: row 1 (header): column {', '.join(absent)} missing; add it (README.md lists them)")
        return []
    if not rows:
        problems.append(f"{name}: no territory; list one row per local unit")
    codes: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        for column in OPTIONAL_COLUMNS:
            row.setdefault(column, "")
        row["code"] = normalise_code(row["code"])
        where = f"{name}: row {number}"
        for column in ("code", "name", "region_code", "region_name"):
            if not row[column]:
                problems.append(f"{where}, column {column}: empty; give it")
        if row["code"] in codes:
            first = codes[row["code"]]
            problems.append(f"{where}, column code: {row['code']!r} is listed twice (row {first}); keep one")
        codes.setdefault(row["code"], number)
        if not NUTS3.fullmatch(row["nuts3_code"]):
            problems.append(
                f"{where}, column nuts3_code: {row['nuts3_code']!r} is not a NUTS 3 code (two letters and three "
                "letters or digits, e.g. RO113)"
            )
        if row["degurba"] not in DEGURBA_CLASSES:
            problems.append(
                f"{where}, column degurba: {row['degurba']!r} is not a DEGURBA class: 1 (cities), 2 (towns and "
                "suburbs) or 3 (rural areas)"
            )
        if row["priority_area"].lower() not in TRUE + FALSE:
            problems.append(f"{where}, column priority_area: {row['priority_area']!r} is not yes or no (1 or 0)")
        if row["population"] and not row["population"].isdigit():
            problems.append(f"{where}, column population: {row['population']!r} is not a whole number")
        if row["parent_code"] and not row["parent_name"]:
            problems.append(f"{where}, column parent_name: empty while parent_code is {row['parent_code']!r}")
    former: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        for code in (normalise_code(c) for c in row["former_codes"].split()):
            where = f"{name}: row {number}, column former_codes"
            if code in codes:
                problems.append(f"{where}: {code!r} is a current code (row {codes[code]}); a code is current or former")
            elif code in former:
                problems.append(f"{where}: {code!r} is already the former code of row {former[code]}; keep one")
            former.setdefault(code, number)
    return rows


def stored_rows(rows: list[dict[str, str]]) -> list[tuple]:
    """The rows as `programme.territories` holds them (text; the priority-area flag as true/false)."""
    return [
        (
            *(row[c] or None for c in COLUMNS),
            row["parent_code"] or None,
            row["parent_name"] or None,
            None if row["priority_area"] == "" else str(row["priority_area"].lower() in TRUE).lower(),
            row["population"] or None,
            " ".join(normalise_code(c) for c in row["former_codes"].split()) or None,
        )
        for row in rows
    ]


def resolver(rows: list[dict[str, str]]) -> CommuneResolver:
    """Codes resolve to themselves, former codes to the current code of their row. A code sent as a number that
    lost its leading zeros (`1234` for `01234`) is matched too."""
    current = {row["code"]: row["code"] for row in rows}
    successors = {normalise_code(c): row["code"] for row in rows for c in row["former_codes"].split()}
    return TerritoryResolver(current, successors)


class TerritoryResolver(CommuneResolver):
    """Resolves the codes of a programme's territory file (any format of code)."""

    unknown_reason = "unknown_territory"

    def __init__(self, current: dict[str, str], successors: dict[str, str]):
        super().__init__(current, successors)
        self._digit_widths = sorted({len(c) for c in [*current, *successors] if c.isdigit()})

    def normalise(self, value: object) -> str:
        return normalise_code(cell_text(value))

    def resolve(self, code: str) -> str | None:
        resolved = super().resolve(code)
        if resolved is None and code.isdigit():
            for width in self._digit_widths:
                if width > len(code) and (resolved := super().resolve(code.zfill(width))):
                    return resolved
        return resolved
