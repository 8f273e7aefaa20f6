"""Translations: gettext catalogues (.po) under reports/locales/<lang>/LC_MESSAGES/, read with Babel.

Messages are written in English in the templates and the code; a language is one folder of catalogues.
"""

from __future__ import annotations

import gettext
import io
from functools import cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from fabriques.settings import LOCALES_DIR

SOURCE_LANGUAGE = "en"
REPORT_LANGUAGES = ("fr", "en")
"""Languages of the annual report, the scorecard and the site sheets."""
TRANSFER_LANGUAGES = ("en", "ro")
"""Languages of the transfer guide for European partners."""
LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ro": "Română"}
"""Each language's name in that language, for the language links of the pages."""
BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB", "ro": "ro_RO"}


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
