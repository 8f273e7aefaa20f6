"""Rules across rows of a campaign (contract section 3): duplicate keys, references to parents, caps.

Each function takes the rows that passed so far and returns (kept rows, quarantined findings); tables are
checked parents first, so a row whose parent was quarantined is quarantined in turn.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from operator import attrgetter

from fabriques import programme
from fabriques.contract import Table, canonical_id
from fabriques.i18n import N_
from fabriques.ingest.reasons import Finding, Words
from fabriques.ingest.rows import Row

AMOUNT_TOLERANCE_EUR = 0.005
PARENT_QUARANTINED = Words(N_("itself quarantined"))


def split_duplicates(table: Table, rows: list[Row]) -> tuple[list[Row], list[Finding]]:
    """Exact copies load once (the others are `duplicate_row`); rows sharing a key with different values are
    all quarantined (`duplicate_key_conflict`): nobody can tell which is right, and they are never summed."""
    key_columns = table.key or table.column_names
    keys = comparable_keys(rows, key_columns)
    counts = Counter(keys)
    if len(counts) == len(keys):  # no key twice: every row is kept
        return sorted(rows, key=SOURCE_ORDER), []
    kept, groups = [], defaultdict(list)
    for key, row in zip(keys, rows, strict=False):
        if counts[key] == 1:
            kept.append(row)
        else:
            groups[key].append(row)
    findings = []
    for key, group in groups.items():
        contents = set(comparable_keys(group, table.column_names))
        if len(contents) == 1:
            first = group[0]
            kept.append(first)
            findings += [
                row.finding(
                    table.name, key_columns[0], "duplicate_row", key[0], f"{first.source_file}:{first.source_row}"
                )
                for row in group[1:]
            ]
        else:
            key_text = ", ".join(f"{c}={v}" for c, v in zip(key_columns, key, strict=False))
            findings += [
                row.finding(table.name, key_columns[0], "duplicate_key_conflict", key[0], key_text) for row in group
            ]
    kept.sort(key=SOURCE_ORDER)
    return kept, findings


SOURCE_ORDER = attrgetter("source_file", "source_row")


def comparable_keys(rows: list[Row], columns: tuple[str, ...]) -> list[tuple]:
    """Per row, the values of `columns` as compared (text as identifiers are: contract.canonical_id)."""
    per_column = []
    for column in columns:
        values = [row.values.get(column) for row in rows]
        per_column.append([canonical_id(v) if type(v) is str else v for v in values])
    return list(zip(*per_column, strict=False))


def split_unknown_parents(
    table_name: str, rows: list[Row], column: str, known: set[str], quarantined_parents: set[str], reason: str
) -> tuple[list[Row], list[Finding]]:
    """Rows whose `column` names no loaded parent (unknown, or itself quarantined) are quarantined; `known` and
    `quarantined_parents` hold canonical identifiers (contract.canonical_id)."""
    kept, findings = [], []
    for row in rows:
        value = row.values[column]
        if canonical_id(value) in known:
            kept.append(row)
        else:
            detail = PARENT_QUARANTINED if canonical_id(value) in quarantined_parents else ""
            findings.append(row.finding(table_name, column, reason, value, detail))
    return kept, findings


def split_payments_over_grant(payments: list[Row], grant_amounts: dict[str, float]) -> tuple[list[Row], list[Finding]]:
    """`grant_amounts` by canonical reference. In date order, a payment that takes the sum paid on its grant beyond
    the grant's amount is quarantined."""
    kept, findings = [], []
    paid: dict[str, float] = defaultdict(float)
    for row in sorted(payments, key=lambda r: (r.values["payment_date"], r.source_file, r.source_row)):
        reference, amount = canonical_id(row.values["referenceDecision"]), row.values["amount_eur"]
        ceiling = grant_amounts[reference]
        if paid[reference] + amount > ceiling + AMOUNT_TOLERANCE_EUR:
            findings.append(
                row.finding(
                    "payments",
                    "amount_eur",
                    "payment_exceeds_grant",
                    amount,
                    f"{paid[reference]:.2f} + {amount:.2f} > {ceiling:.2f}",
                )
            )
        else:
            paid[reference] += amount
            kept.append(row)
    kept.sort(key=SOURCE_ORDER)
    return kept, findings


def split_beneficiaries_over_total(
    rows: list[Row], people_totals: dict[tuple[str, int], int]
) -> tuple[list[Row], list[Finding]]:
    """A count of people in a category may not exceed the site's people_total for the year (organisations count
    bodies, not people). Without a loaded site_year row there is nothing to compare with: the row loads."""
    grouping = programme.current().code_grouping("beneficiary_category")
    kept, findings = [], []
    for row in rows:
        total = people_totals.get((canonical_id(row.values["site_id"]), row.values["year"]))
        people = row.values["people"]
        if grouping.get(row.values["category"]) == "people" and total is not None and people > total:
            findings.append(
                row.finding("beneficiaries", "people", "exceeds_people_total", people, f"people_total = {total}")
            )
        else:
            kept.append(row)
    return kept, findings
