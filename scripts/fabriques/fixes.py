"""What a site is to fix in a row set aside, on its site sheet and in `fabriques check` before it sends: each row as
it was sent, the column and the value at fault, the reason in the site's language and what to write instead.

The rows come from marts.fct_site_quarantined_rows with their original values (JSON, headers as sent); the headers
are read back to the contract's columns as the ingestion reads them (`ingest.headers.map_header`). Rows of a key
conflict are shown together: each says which columns differ and what the other rows hold. Allowed codes are given
with their labels in the sheet's language (the programme's code lists).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from fabriques.contract import TABLES, canonical_id
from fabriques.i18n import N_, gettext_for
from fabriques.ingest.headers import HeaderProblem, map_header
from fabriques.ingest.reasons import reason_message
from fabriques.privacy import redact

TABLES_BY_NAME = {table.name: table for table in TABLES}
NUMBER_IN_TEXT = re.compile(r"-?\d+(?:[.,]\d+)?")

REMEDIES = {
    "invalid_number": N_("A number only, without text or signs, for example %(example)s"),
    "invalid_date": N_("A date written DD/MM/YYYY (day first), for example 03/02/2020"),
    "negative_value": N_("A number of 0 or more"),
    "out_of_range": N_("A value from %(detail)s"),
    "invalid_code": N_("One of: %(codes)s"),
    "missing_value": N_("A value: this column is required"),
    "unknown_commune": N_("The commune's 5-character INSEE code (not its postcode)"),
    "unknown_territory": N_("The unit's code as the programme's territory file lists it"),
    "unknown_site": N_("The site's identifier as the registry gives it"),
    "unknown_site_itself_quarantined": N_("Nothing in this row: correct the site's registry row first"),
    "unknown_grant": N_("The grant's reference (referenceDecision) as the grants file gives it"),
    "duplicate_key_conflict": N_("One row only for this key, with the right values"),
    "exceeds_people_total": N_("At most the site's total people reached (%(detail)s), or a corrected total"),
    "formula_without_value": N_("The value itself: save the file from your spreadsheet so that it keeps the values"),
    "value_too_long": N_("A shorter text"),
    "payment_exceeds_grant": N_("The amount actually paid"),
    "duplicate_row": N_("Nothing: the copy is counted once"),
    "total_row": N_("Nothing: the total row is not counted"),
}
"""Reason code -> what the site writes instead (English msgids of site_sheet.po); a reason not listed (a whole
file that could not be read) is answered by its message."""
NOTHING_TO_SEND = frozenset({"duplicate_row", "total_row"})
"""Reasons of a row that needs nothing from the site: an exact copy counted once, a total row."""


def fix_rows(rows: list[dict], code_labels: dict[str, dict[str, str]], lang: str) -> list[dict]:
    """The sheet's view of the site's rows set aside, in `lang`; `code_labels` gives, per code list domain, each
    code's English label."""
    conflicts = _conflict_groups(rows)
    views = []
    for row in rows:
        sent = _sent_values(row)
        column = row["column_name"]
        view = {
            "campaign": row["campaign_name"],
            "file": row["source_file"],
            "row": row["source_row"],
            "table": row["table_name"],
            "reason_code": row["reason_code"],
            "message": message_in(row, lang),
            "to_send": row["reason_code"] not in NOTHING_TO_SEND,
            "sent": [
                (header, name, redact("" if value is None else str(value))) for header, (name, value) in sent.items()
            ],
        }
        group = conflicts.get(_conflict_key(row))
        if row["reason_code"] == "duplicate_key_conflict" and group:
            view |= _conflict_view(row, group, lang)
        else:
            value = _value_of(sent, column)
            view |= {
                "column": column,
                "value": redact(value) if value is not None else None,
                "remedy": remedy(row, value, code_labels, lang),
            }
        views.append(view)
    return views


def remedy(row: dict, value: str | None, code_labels: dict[str, dict[str, str]], lang: str) -> str:
    """What to write instead of the value at fault, in `lang`."""
    _ = gettext_for(lang)
    reason = row["reason_code"]
    arguments = json.loads(row["message_arguments"]) if row["message_arguments"] else {"detail": ""}
    if reason == "unknown_site" and arguments.get("detail_is_words") and arguments.get("detail"):
        reason = "unknown_site_itself_quarantined"
    if reason not in REMEDIES:
        return message_in(row, lang)
    fill = {"detail": redact(str(arguments.get("detail") or "")), "example": _example_number(value)}
    if reason == "invalid_code":
        domain = _domain(row["table_name"], row["column_name"])
        labels = code_labels.get(domain or "", {})
        codes = [code.strip() for code in str(arguments.get("detail") or "").split(",") if code.strip()]
        fill["codes"] = ", ".join(f"{code} ({_(labels[code])})" if code in labels else code for code in codes)
    return _(REMEDIES[reason]) % fill


def message_in(row: dict, lang: str) -> str:
    """The reason's message in `lang`, from its arguments (or the message written when it was loaded)."""
    if row["message_arguments"]:
        return reason_message(row["reason_code"], row["column_name"], row["message_arguments"], lang)
    return row["message"] if lang == "fr" else (row["message_en"] or row["message"])


def registry_values(original_values: str | None) -> dict[str, str]:
    """A registry row as sent, by contract column (site_name, commune_insee, label_date…)."""
    sent = _sent_values({"table_name": "registry", "original_values": original_values})
    return {column: str(value) for column, value in sent.values() if column}


def _conflict_view(row: dict, group: list[dict], lang: str) -> dict:
    """A row of a key conflict: the columns whose values differ within the group, this row's values and the
    others' (file and row)."""
    _ = gettext_for(lang)
    mine = {column: value for column, value in _sent_values(row).values() if column}
    others = [
        (other, {column: value for column, value in _sent_values(other).values() if column})
        for other in group
        if other is not row
    ]
    differing = sorted(
        {c for _other, values in others for c in set(mine) | set(values) if _same(mine.get(c)) != _same(values.get(c))}
    )
    elsewhere = "; ".join(
        _("row %(row)s of %(file)s: %(values)s")
        % {
            "row": other["source_row"],
            "file": other["source_file"],
            "values": ", ".join(f"{c} = {redact(str(values.get(c, '')))}" for c in differing),
        }
        for other, values in others
    )
    return {
        "column": ", ".join(differing),
        "value": ", ".join(redact(str(mine.get(c, ""))) for c in differing),
        "remedy": gettext_for(lang)(REMEDIES["duplicate_key_conflict"])
        + " ("
        + _("the other rows say: %(others)s") % {"others": elsewhere}
        + ")",
    }


def _conflict_groups(rows: list[dict]) -> dict[tuple, list[dict]]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        if row["reason_code"] == "duplicate_key_conflict":
            groups[_conflict_key(row)].append(row)
    return groups


def _conflict_key(row: dict) -> tuple:
    detail = json.loads(row["message_arguments"]).get("detail") if row["message_arguments"] else row["message"]
    return (row["campaign_name"], row["table_name"], detail)


def _sent_values(row: dict) -> dict[str, tuple[str | None, object]]:
    """Header as sent -> (contract column it stands for, or None; value as sent)."""
    if not row.get("original_values"):
        return {}
    values = json.loads(row["original_values"])
    table = TABLES_BY_NAME.get(row.get("table_name") or "")
    columns: dict[int, str] = {}
    if table is not None:
        try:
            columns = {position: name for name, position in map_header(table, list(values)).items()}
        except HeaderProblem:
            columns = {}
    return {header: (columns.get(position), value) for position, (header, value) in enumerate(values.items())}


def _value_of(sent: dict[str, tuple[str | None, object]], column: str | None) -> str | None:
    for _header, (name, value) in sent.items():
        if column is not None and name == column:
            return "" if value is None else str(value)
    return None


def _domain(table_name: str | None, column_name: str | None) -> str | None:
    table = TABLES_BY_NAME.get(table_name or "")
    if table is None or column_name not in table.column_names:
        return None
    return table.column(column_name).domain


def _example_number(value: str | None) -> str:
    """The number a value holds among other characters (`3` in `3?`), else a plain example."""
    found = NUMBER_IN_TEXT.findall(value or "")
    return found[0] if len(found) == 1 else "1500"


def _same(value: object) -> object:
    return canonical_id(value) if isinstance(value, str) else value
