"""The messages each translation catalogue must hold: those of its templates and modules (extracted with Babel),
and for the transfer guide the texts it shows from the seeds and the EU catalogue (their English is the message)."""

from __future__ import annotations

import csv
import json

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from fabriques.i18n import languages_of
from fabriques.programme import BUNDLED_PROGRAMME_DIR
from fabriques.settings import LOCALES_DIR, PROJECT_DIR, REFERENCE_DIR, SEEDS_DIR

CATALOGUE_SOURCES = {
    "common.po": [
        "reports/templates/base.html",
        "reports/templates/index.html",
        "reports/templates/_macros.html",
        "scripts/fabriques/reports/pages.py",
        "scripts/fabriques/reports/formatting.py",
    ],
    "annual.po": [
        "reports/templates/annual_report.html",
        "scripts/fabriques/reports/annual.py",
        "scripts/fabriques/reports/annual_evaluation.py",
        "scripts/fabriques/reports/annual_data.py",
        "scripts/fabriques/reports/annual_charts.py",
    ],
    "scorecard.po": [
        "reports/templates/scorecard.html",
        "scripts/fabriques/reports/scorecard.py",
        "scripts/fabriques/reports/scorecard_export.py",
    ],
    "site_sheet.po": [
        "reports/templates/site_sheet.html",
        "scripts/fabriques/reports/site_sheets.py",
        "scripts/fabriques/fixes.py",
    ],
    "submission.po": [
        "scripts/fabriques/contract.py",
        "scripts/fabriques/submission/check_report.py",
        "scripts/fabriques/submission/template.py",
    ],
    "validation.po": ["reports/templates/data_quality.html", "scripts/fabriques/reports/data_quality.py"],
    "labels.po": [],
    "reasons.po": ["scripts/fabriques/ingest/reasons.py", "scripts/fabriques/ingest/table_rules.py"],
    "transfer.po": [
        "reports/templates/transfer_guide.html",
        "scripts/fabriques/reports/transfer_guide.py",
        "scripts/fabriques/transfer/present.py",
    ],
}
TRANSFER_LABEL_DOMAINS = (
    "degurba",
    "territory_target",
    "activity_type",
    "funder_type",
    "legal_form",
    "beneficiary_category",
    "finance_line",
)


def catalogues_of(lang: str) -> list[str]:
    """The catalogues a language needs: the common one, and those of the reports published in it."""
    needed = ["common.po"]
    if lang in languages_of("annual_report"):
        needed += ["annual.po", "scorecard.po", "site_sheet.po", "reasons.po", "validation.po", "labels.po"]
        needed.append("submission.po")
    if lang in languages_of("transfer_guide"):
        needed.append("transfer.po")
    return needed


def shipped_languages() -> list[str]:
    return sorted(p.name for p in LOCALES_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())


def source_messages(catalogue: str) -> list[str]:
    messages = []
    for source in CATALOGUE_SOURCES[catalogue]:
        is_template = source.endswith(".html")
        for _line, message, _comments, _context in extract_from_file(
            "jinja2.ext:babel_extract" if is_template else "python",
            str(PROJECT_DIR / source),
            keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)},
            options={"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"} if is_template else {},
        ):
            messages.append(message)
    if catalogue == "transfer.po":
        messages += transfer_data_messages()
    if catalogue == "labels.po":
        messages += [row["label"] for row in _code_lists()]
        messages += [row["short_label"] for row in _code_lists() if row.get("short_label")]
        messages += [row[c] for row in _read_csv(SEEDS_DIR / "indicator_catalogue.csv") for c in ("name", "definition")]
    if catalogue == "validation.po":
        messages += [
            expectation["meta"]["description"]
            for path in sorted((PROJECT_DIR / "expectations").glob("*.json"))
            for expectation in json.loads(path.read_text(encoding="utf-8"))["expectations"]
        ]
    return messages


def _code_lists() -> list[dict]:
    """The bundled programme's code lists and the warehouse's own."""
    return [*_read_csv(BUNDLED_PROGRAMME_DIR / "code_lists.csv"), *_read_csv(SEEDS_DIR / "code_lists.csv")]


def transfer_data_messages() -> list[str]:
    """Texts of the seeds and of the EU catalogue that the transfer guide shows through its catalogue."""
    mapping = _read_csv(SEEDS_DIR / "eu_indicator_mapping.csv")
    mapped_eu = {row["eu_indicator_code"] for row in mapping if row["eu_indicator_code"]}
    mapped_programme = {row["programme_indicator_code"] for row in mapping}
    messages = [row["label"] for row in _code_lists() if row["domain"] in TRANSFER_LABEL_DOMAINS]
    messages += [
        row["name"]
        for row in _read_csv(SEEDS_DIR / "indicator_catalogue.csv")
        if row["indicator_code"] in mapped_programme
    ]
    for row in _read_csv(REFERENCE_DIR / "eu_cohesion_2021_2027_common_indicators_rco_rcr.csv"):
        if row["code"] in mapped_eu:
            messages += [row["name"], row["measurement_unit"]]
    messages += [row["note"] for row in mapping]
    return messages


def catalogue_misses(lang: str, catalogue: str) -> list[str]:
    """Messages of the catalogue's sources that it does not translate into `lang` (plurals need every form)."""
    with open(LOCALES_DIR / lang / "LC_MESSAGES" / catalogue, "rb") as handle:
        translated = {m.id: m.string for m in read_po(handle, locale=lang) if m.id}
    missing = []
    for message in source_messages(catalogue):
        string = translated.get(message)
        if not string or (isinstance(string, tuple) and not all(string)):
            missing.append(message)
    return sorted(set(map(str, missing)))


def _read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
