"""Stable reason codes of quarantine and flags, with the message a site manager reads (French and English).

The codes are part of the published contract (`quarantine.csv`): never rename one, add new ones.
"""
from __future__ import annotations

from dataclasses import dataclass

from fabriques.privacy import redact

REASONS: dict[str, tuple[str, str]] = {
    # whole files
    "unreadable_file": (
        "Fichier illisible : {detail}. Renvoyez-le en CSV ou XLSX.",
        "File cannot be read: {detail}. Send it again as CSV or XLSX.",
    ),
    "unsupported_format": (
        "Format de fichier non pris en charge ({detail}) : seuls CSV et XLSX sont lus.",
        "Unsupported file format ({detail}): only CSV and XLSX are read.",
    ),
    "unknown_table": (
        "Le nom « {detail} » ne correspond à aucune table attendue (registry, grants, payments, site_year, "
        "activities, beneficiaries, finances, network).",
        "The name '{detail}' matches no expected table (registry, grants, payments, site_year, activities, "
        "beneficiaries, finances, network).",
    ),
    "file_too_large": ("Fichier trop volumineux ({detail}).", "File too large ({detail})."),
    "outside_campaign": (
        "Le fichier pointe hors du dossier de la campagne ({detail}) : il n'est pas lu.",
        "The file points outside the campaign folder ({detail}): it is not read.",
    ),
    "not_a_file": (
        "Ce chemin n'est pas un fichier ordinaire ({detail}) : il n'est pas lu.",
        "This path is not a regular file ({detail}): it is not read.",
    ),
    "no_header": (
        "Aucune colonne attendue n'est reconnue dans la première ligne.",
        "No expected column is recognised in the first row.",
    ),
    "duplicate_column": ("En-tête en double : {detail}.", "Duplicated header: {detail}."),
    # rows
    "missing_column": (
        "La colonne obligatoire « {column} » manque dans le fichier.",
        "The required column '{column}' is missing from the file.",
    ),
    "missing_value": (
        "La colonne « {column} » est vide alors qu'elle est obligatoire.",
        "Column '{column}' is empty but required.",
    ),
    "invalid_number": (
        "« {value} » n'est pas un nombre valable dans la colonne « {column} »{detail_suffix}.",
        "'{value}' is not a valid number in column '{column}'{detail_suffix}.",
    ),
    "invalid_date": (
        "« {value} » n'est pas une date valable dans la colonne « {column} » (attendu AAAA-MM-JJ ou JJ/MM/AAAA).",
        "'{value}' is not a valid date in column '{column}' (expected YYYY-MM-DD or DD/MM/YYYY).",
    ),
    "negative_value": (
        "La valeur « {value} » de la colonne « {column} » est négative.",
        "Value '{value}' of column '{column}' is negative.",
    ),
    "out_of_range": (
        "La valeur « {value} » de la colonne « {column} » est hors des bornes admises ({detail}).",
        "Value '{value}' of column '{column}' is outside the allowed range ({detail}).",
    ),
    "invalid_code": (
        "« {value} » n'est pas une valeur admise pour « {column} » (valeurs admises : {detail}).",
        "'{value}' is not an allowed value of '{column}' (allowed: {detail}).",
    ),
    "value_too_long": (
        "Le texte de la colonne « {column} » est trop long ({detail}).",
        "The text of column '{column}' is too long ({detail}).",
    ),
    "unknown_commune": (
        "Le code commune « {value} » ne correspond à aucune commune INSEE connue.",
        "Commune code '{value}' matches no known INSEE commune.",
    ),
    "unknown_site": (
        "Le lieu « {value} » n'est pas dans le registre chargé{detail_suffix}.",
        "Site '{value}' is not in the loaded registry{detail_suffix}.",
    ),
    "unknown_grant": (
        "La subvention « {value} » n'est pas dans les subventions chargées{detail_suffix}.",
        "Grant '{value}' is not among the loaded grants{detail_suffix}.",
    ),
    "duplicate_row": (
        "Ligne en double (copie exacte de la ligne {detail}) : elle n'est comptée qu'une fois.",
        "Duplicate row (exact copy of row {detail}): it is counted once.",
    ),
    "duplicate_key_conflict": (
        "Plusieurs lignes pour la même clé ({detail}) avec des valeurs différentes : aucune n'est retenue, "
        "corrigez et renvoyez une seule ligne.",
        "Several rows share the key ({detail}) with different values: none is kept; correct and send one row.",
    ),
    "exceeds_people_total": (
        "Le nombre de personnes ({value}) dépasse le total des personnes accueillies du lieu ({detail}).",
        "The number of people ({value}) exceeds the site's total people reached ({detail}).",
    ),
    "payment_exceeds_grant": (
        "Ce paiement porte le total versé au-delà du montant de la subvention ({detail}).",
        "This payment takes the total paid beyond the grant amount ({detail}).",
    ),
    # flags (row loaded)
    "invalid_siret": (
        "Le SIRET « {value} » n'est pas valable ({detail}) : chargé vide.",
        "SIRET '{value}' is not valid ({detail}): loaded empty.",
    ),
}


@dataclass(frozen=True)
class Finding:
    """A quarantined row or file (or, for a flag, a loaded row with a finding)."""

    source_file: str
    source_row: int | None
    table_name: str | None
    column_name: str | None
    reason_code: str
    value: str = ""
    detail: str | tuple[str, str] = ""
    """Free detail, or (French, English) when it is words rather than values."""
    original_values: str | None = None
    """JSON text of the row as sent."""

    def message(self, lang: str = "fr") -> str:
        """The message of the reason, with the value and detail as sent (e-mail addresses and phone numbers
        masked)."""
        template = REASONS[self.reason_code][0 if lang == "fr" else 1]
        detail = redact(self.detail if isinstance(self.detail, str) else self.detail[0 if lang == "fr" else 1])
        return template.format(
            column=self.column_name or "",
            value=redact(self.value),
            detail=detail,
            detail_suffix=f" ({detail})" if detail else "",
        )
