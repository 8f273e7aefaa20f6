"""Translations: gettext catalogues (.po) under reports/locales/<lang>/LC_MESSAGES/, read with Babel.

Every text is written in English: in the templates, the code, the seeds, the validation suites and the quarantine
reasons; the catalogues translate it when a page or a message is written. A language is one folder of catalogues
and one entry of LANGUAGES.
"""

from __future__ import annotations

import gettext
import io
from functools import cache

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from fabriques.settings import LOCALES_DIR

SOURCE_LANGUAGE = "en"


def N_(message: str) -> str:
    """Marks a message for translation where it is defined; it is translated where it is shown."""
    return message


PROGRAMME_DOCUMENTS = ("annual_report", "scorecard", "site_sheet")
TRANSFER_DOCUMENTS = ("transfer_guide",)
LANGUAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "fr": ("fr_FR", PROGRAMME_DOCUMENTS),
    "en": ("en_GB", PROGRAMME_DOCUMENTS + TRANSFER_DOCUMENTS),
    "ro": ("ro_RO", TRANSFER_DOCUMENTS),
}
"""Each language the documents are published in: its Babel locale (numbers, dates) and the documents written in
it. The index pages list French first, then English, then the others."""


def languages_of(document: str, report_languages: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The languages `document` (annual_report, scorecard, site_sheet, transfer_guide) is written in; a programme's
    documents (PROGRAMME_DOCUMENTS) only in its `report_languages` when given, the transfer guide always in the
    partners' languages."""
    languages = tuple(lang for lang, (_locale, documents) in LANGUAGES.items() if document in documents)
    if report_languages is not None and document in PROGRAMME_DOCUMENTS:
        languages = tuple(lang for lang in languages if lang in report_languages)
    return languages


def babel_locale(lang: str) -> str:
    return LANGUAGES[lang][0]


def language_name(lang: str) -> str:
    """The language's name in that language (`Français`, `English`, `Română`), for the language links."""
    name = Locale.parse(babel_locale(lang)).get_language_name(babel_locale(lang))
    return name[:1].upper() + name[1:]


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """All catalogues of a language merged into one; the source language needs none."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    folder = LOCALES_DIR / lang / "LC_MESSAGES"
    merged: Translations | None = None
    for po_file in sorted(folder.glob("*.po")):
        with open(po_file, "rb") as handle:
            catalog = read_po(handle, locale=lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        loaded = Translations(buffer)
        if merged is None:
            merged = loaded
        else:
            merged.merge(loaded)
    if merged is None:
        raise FileNotFoundError(f"no catalogue for language {lang!r} in {folder}")
    return merged


def available_languages() -> list[str]:
    """The source language and every language with a catalogue folder."""
    return sorted({SOURCE_LANGUAGE, *(p.name for p in LOCALES_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())})


def gettext_for(lang: str):
    return translations(lang).gettext


def ngettext_for(lang: str):
    return translations(lang).ngettext
