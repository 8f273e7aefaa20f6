"""Stable reason codes of quarantine and flags, with the message a site manager reads (French and English).

The codes are part of the published contract (`quarantine.csv`): never rename one, add new ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from fabriques.privacy import redact

REASONS: dict[str, tuple[str, str]] = {
    # whole files
    "unreadable_file": (
        "Fichier illisible : {detail}. Enregistrez-le à nouveau depuis votre tableur (CSV UTF-8 ou XLSX) et "
        "renvoyez-le.",
        "File cannot be read: {detail}. Save it again from your spreadsheet (CSV UTF-8 or XLSX) and send it again.",
    ),
    "unsupported_format": (
        "Format de fichier non pris en charge ({detail}) : enregistrez-le en CSV, XLSX, XLS, ODS ou texte "
        "Unicode (TXT), ou joignez-le dans une archive ZIP, puis renvoyez-le.",
        "Unsupported file format ({detail}): save it as CSV, XLSX, XLS, ODS or Unicode text (TXT), or put it in "
        "a ZIP archive, and send it again.",
    ),
    "unknown_table": (
        "Le nom « {detail} » ne correspond à aucune table attendue et aucune ligne d'en-tête n'y est reconnue : "
        "nommez le fichier d'après sa table (registry, grants, payments, site_year, activities, beneficiaries, "
        "finances, network) ou mettez-y les en-têtes du modèle.",
        "The name '{detail}' matches no expected table and no header row is recognised in it: name the file "
        "after its table (registry, grants, payments, site_year, activities, beneficiaries, finances, network) "
        "or give it the template's headers.",
    ),
    "file_too_large": (
        "Fichier trop volumineux ({detail}) : découpez-le en plusieurs fichiers et renvoyez-les.",
        "File too large ({detail}): split it into several files and send them again.",
    ),
    "outside_campaign": (
        "Le fichier pointe hors du dossier de la campagne ({detail}) : il n'est pas lu ; copiez le fichier "
        "lui-même dans le dossier.",
        "The file points outside the campaign folder ({detail}): it is not read; copy the file itself into the folder.",
    ),
    "not_a_file": (
        "Ce chemin n'est pas un fichier ordinaire ({detail}) : il n'est pas lu ; copiez le fichier lui-même "
        "dans le dossier.",
        "This path is not a regular file ({detail}): it is not read; copy the file itself into the folder.",
    ),
    "no_header": (
        "Aucune colonne attendue n'est reconnue dans les {detail} premières lignes non vides : ajoutez la ligne "
        "d'en-tête du modèle (site_id, year…) au-dessus des données et renvoyez le fichier.",
        "No expected column is recognised in the first {detail} non-empty rows: add the template's header row "
        "(site_id, year…) above the data and send the file again.",
    ),
    "duplicate_column": (
        "En-tête en double : {detail} ; supprimez ou renommez l'une des deux colonnes et renvoyez le fichier.",
        "Duplicated header: {detail}; delete or rename one of the two columns and send the file again.",
    ),
    # rows
    "missing_column": (
        "La colonne obligatoire « {column} » manque dans le fichier : ajoutez-la (voir le modèle) et renvoyez "
        "le fichier.",
        "The required column '{column}' is missing from the file: add it (see the template) and send the file again.",
    ),
    "missing_value": (
        "La colonne « {column} » est vide alors qu'elle est obligatoire : complétez-la et renvoyez la ligne.",
        "Column '{column}' is empty but required: fill it in and send the row again.",
    ),
    "formula_without_value": (
        "La cellule de la colonne « {column} » contient une formule ({detail}) enregistrée sans sa valeur : "
        "ouvrez le fichier dans votre tableur, enregistrez-le, puis renvoyez-le.",
        "The cell of column '{column}' holds a formula ({detail}) saved without its value: open the file in your "
        "spreadsheet and save it, then send it again.",
    ),
    "total_row": (
        "Ligne de total (« {value} » dans la colonne « {column} ») : elle n'est pas un lieu et n'est pas "
        "comptée ; rien à faire, ou retirez-la du fichier.",
        "Total row ('{value}' in column '{column}'): it is not a site and is not counted; nothing to do, or "
        "remove it from the file.",
    ),
    "invalid_number": (
        "« {value} » n'est pas un nombre valable dans la colonne « {column} »{detail_suffix} : écrivez un "
        "nombre (par exemple 1500 ou 1 500,50) et renvoyez la ligne.",
        "'{value}' is not a valid number in column '{column}'{detail_suffix}: write a number (for example 1500 "
        "or 1,500.50) and send the row again.",
    ),
    "invalid_date": (
        "« {value} » n'est pas une date valable dans la colonne « {column} » : écrivez-la JJ/MM/AAAA (jour en "
        "premier) ou AAAA-MM-JJ et renvoyez la ligne.",
        "'{value}' is not a valid date in column '{column}': write it DD/MM/YYYY (day first) or YYYY-MM-DD and "
        "send the row again.",
    ),
    "negative_value": (
        "La valeur « {value} » de la colonne « {column} » est négative : corrigez-la et renvoyez la ligne.",
        "Value '{value}' of column '{column}' is negative: correct it and send the row again.",
    ),
    "out_of_range": (
        "La valeur « {value} » de la colonne « {column} » est hors des bornes admises ({detail}) : corrigez-la "
        "et renvoyez la ligne.",
        "Value '{value}' of column '{column}' is outside the allowed range ({detail}): correct it and send the "
        "row again.",
    ),
    "invalid_code": (
        "« {value} » n'est pas une valeur admise pour « {column} » : choisissez l'une de {detail} et renvoyez "
        "la ligne.",
        "'{value}' is not an allowed value of '{column}': choose one of {detail} and send the row again.",
    ),
    "value_too_long": (
        "Le texte de la colonne « {column} » est trop long ({detail}) : raccourcissez-le et renvoyez la ligne.",
        "The text of column '{column}' is too long ({detail}): shorten it and send the row again.",
    ),
    "unknown_commune": (
        "Le code commune « {value} » ne correspond à aucune commune INSEE connue : indiquez le code INSEE à "
        "5 caractères de la commune (et non son code postal) et renvoyez la ligne.",
        "Commune code '{value}' matches no known INSEE commune: give the commune's 5-character INSEE code (not "
        "its postcode) and send the row again.",
    ),
    "unknown_site": (
        "Le lieu « {value} » n'est pas dans le registre chargé{detail_suffix} : vérifiez son identifiant "
        "(site_id) dans le registre, ou corrigez d'abord la ligne du registre.",
        "Site '{value}' is not in the loaded registry{detail_suffix}: check its identifier (site_id) against "
        "the registry, or first correct the registry row.",
    ),
    "unknown_grant": (
        "La subvention « {value} » n'est pas dans les subventions chargées{detail_suffix} : vérifiez sa "
        "référence (referenceDecision), ou corrigez d'abord la ligne de la subvention.",
        "Grant '{value}' is not among the loaded grants{detail_suffix}: check its reference "
        "(referenceDecision), or first correct the grant's row.",
    ),
    "duplicate_row": (
        "Ligne en double (copie exacte de la ligne {detail}) : elle n'est comptée qu'une fois ; rien à faire.",
        "Duplicate row (exact copy of row {detail}): it is counted once; nothing to do.",
    ),
    "duplicate_key_conflict": (
        "Plusieurs lignes pour la même clé ({detail}) avec des valeurs différentes : aucune n'est retenue, "
        "corrigez et renvoyez une seule ligne.",
        "Several rows share the key ({detail}) with different values: none is kept; correct and send one row.",
    ),
    "exceeds_people_total": (
        "Le nombre de personnes ({value}) dépasse le total des personnes accueillies du lieu ({detail}) : "
        "corrigez l'un des deux et renvoyez les lignes.",
        "The number of people ({value}) exceeds the site's total people reached ({detail}): correct one of them "
        "and send the rows again.",
    ),
    "payment_exceeds_grant": (
        "Ce paiement porte le total versé au-delà du montant de la subvention ({detail}) : vérifiez le montant "
        "du paiement et celui de la subvention, puis renvoyez la ligne.",
        "This payment takes the total paid beyond the grant amount ({detail}): check the payment's amount and "
        "the grant's, then send the row again.",
    ),
    # flags (row loaded)
    "invalid_siret": (
        "Le SIRET « {value} » n'est pas valable ({detail}) : chargé vide ; indiquez les 14 chiffres du SIRET.",
        "SIRET '{value}' is not valid ({detail}): loaded empty; give the SIRET's 14 digits.",
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
