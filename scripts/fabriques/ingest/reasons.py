"""Stable reason codes of quarantine and flags, with the message a site manager reads: written in English, translated
by the catalogues (`reasons.po`) into each language a message is written in.

The codes are part of the published contract (`quarantine.csv`): never rename one, add new ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from fabriques.i18n import N_, gettext_for
from fabriques.privacy import redact


class Words(str):
    """A detail made of words (not a value as sent): translated with the message."""


REASONS: dict[str, str] = {
    "unreadable_file": N_(
        "File cannot be read: {detail}. Save it again from your spreadsheet (CSV UTF-8 or XLSX) and send it again."
    ),
    "unsupported_format": N_(
        "Unsupported file format ({detail}): save it as CSV, XLSX, XLS, ODS or Unicode text (TXT), or put it in a "
        "ZIP archive, and send it again."
    ),
    "unknown_table": N_(
        "The name '{detail}' matches no expected table and no header row is recognised in it: name the file after "
        "its table (registry, grants, payments, site_year, activities, beneficiaries, finances, network) or give it "
        "the template's headers."
    ),
    "file_too_large": N_("File too large ({detail}): split it into several files and send them again."),
    "outside_campaign": N_(
        "The file points outside the campaign folder ({detail}): it is not read; copy the file itself into the folder."
    ),
    "not_a_file": N_(
        "This path is not a regular file ({detail}): it is not read; copy the file itself into the folder."
    ),
    "no_header": N_(
        "No expected column is recognised in the first {detail} non-empty rows: add the template's header row "
        "(site_id, year…) above the data and send the file again."
    ),
    "duplicate_column": N_(
        "Duplicated header: {detail}; delete or rename one of the two columns and send the file again."
    ),
    "missing_column": N_(
        "The required column '{column}' is missing from the file: add it (see the template) and send the file again."
    ),
    "missing_value": N_("Column '{column}' is empty but required: fill it in and send the row again."),
    "formula_without_value": N_(
        "The cell of column '{column}' holds a formula ({detail}) saved without its value: open the file in your "
        "spreadsheet and save it, then send it again."
    ),
    "total_row": N_(
        "Total row ('{value}' in column '{column}'): it is not a site and is not counted; nothing to do, or remove "
        "it from the file."
    ),
    "invalid_number": N_(
        "'{value}' is not a valid number in column '{column}'{detail_suffix}: write a number (for example 1500 or "
        "1,500.50) and send the row again."
    ),
    "invalid_date": N_(
        "'{value}' is not a valid date in column '{column}': write it DD/MM/YYYY (day first) or YYYY-MM-DD and send "
        "the row again."
    ),
    "negative_value": N_("Value '{value}' of column '{column}' is negative: correct it and send the row again."),
    "out_of_range": N_(
        "Value '{value}' of column '{column}' is outside the allowed range ({detail}): correct it and send the row "
        "again."
    ),
    "invalid_code": N_(
        "'{value}' is not an allowed value of '{column}': choose one of {detail} and send the row again."
    ),
    "value_too_long": N_("The text of column '{column}' is too long ({detail}): shorten it and send the row again."),
    "unknown_commune": N_(
        "Commune code '{value}' matches no known INSEE commune: give the commune's 5-character INSEE code (not its "
        "postcode) and send the row again."
    ),
    "unknown_territory": N_(
        "Commune code '{value}' matches no local unit of the programme's territory file: give the unit's code as "
        "that file lists it and send the row again."
    ),
    "unknown_site": N_(
        "Site '{value}' is not in the loaded registry{detail_suffix}: check its identifier (site_id) against the "
        "registry, or first correct the registry row."
    ),
    "unknown_grant": N_(
        "Grant '{value}' is not among the loaded grants{detail_suffix}: check its reference (referenceDecision), or "
        "first correct the grant's row."
    ),
    "duplicate_row": N_("Duplicate row (exact copy of row {detail}): it is counted once; nothing to do."),
    "duplicate_key_conflict": N_(
        "Several rows share the key ({detail}) with different values: none is kept; correct and send one row."
    ),
    "exceeds_people_total": N_(
        "The number of people ({value}) exceeds the site's total people reached ({detail}): correct one of them and "
        "send the rows again."
    ),
    "payment_exceeds_grant": N_(
        "This payment takes the total paid beyond the grant amount ({detail}): check the payment's amount and the "
        "grant's, then send the row again."
    ),
    "invalid_siret": N_("SIRET '{value}' is not valid ({detail}): loaded empty; give the SIRET's 14 digits."),
}
"""Reason code -> its message in English, with `{value}`, `{detail}`, `{column}` or `{detail_suffix}` to fill; the
catalogues (reports/locales/<lang>/LC_MESSAGES/reasons.po) translate it when the message is written."""


@dataclass(frozen=True)
class Finding:
    """A quarantined row or file (or, for a flag, a loaded row with a finding)."""

    source_file: str
    source_row: int | None
    table_name: str | None
    column_name: str | None
    reason_code: str
    value: str = ""
    detail: str = ""
    """Free detail: a value as sent, or `Words` to translate."""
    original_values: str | None = None
    """JSON text of the row as sent."""

    def message(self, lang: str = "fr") -> str:
        """The message of the reason, with the value and detail as sent (e-mail addresses and phone numbers
        masked)."""
        return reason_message(self.reason_code, self.column_name, self.message_arguments(), lang)

    def message_arguments(self) -> str:
        """What the message says besides its reason and column, as JSON: kept with the row, so that a page can
        write the message in its own language."""
        words = isinstance(self.detail, Words)
        return json.dumps(
            {"value": self.value, "detail": str(self.detail), "detail_is_words": words}, ensure_ascii=False
        )


def reason_message(reason_code: str, column: str | None, arguments: str, lang: str) -> str:
    """The message of a quarantine or flag reason in `lang`, from its arguments (Finding.message_arguments)."""
    translate = gettext_for(lang)
    values = json.loads(arguments)
    detail = values["detail"]
    detail = redact(translate(detail) if values["detail_is_words"] and detail else detail)
    return translate(REASONS[reason_code]).format(
        column=column or "",
        value=redact(values["value"]),
        detail=detail,
        detail_suffix=f" ({detail})" if detail else "",
    )
