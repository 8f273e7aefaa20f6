"""Every language shipped under reports/locales translates every message of the reports published in it, and a
language is only catalogues: adding one is adding a folder."""

import pytest

from catalogues import catalogue_misses, catalogues_of, shipped_languages
from fabriques.i18n import LANGUAGES, SOURCE_LANGUAGE
from fabriques.settings import LOCALES_DIR


def test_every_report_language_but_the_source_one_is_shipped():
    assert set(LANGUAGES) - {SOURCE_LANGUAGE} <= set(shipped_languages())


@pytest.mark.parametrize("lang", shipped_languages())
def test_every_message_has_a_translation_in_every_shipped_language(lang):
    for catalogue in catalogues_of(lang):
        assert (LOCALES_DIR / lang / "LC_MESSAGES" / catalogue).is_file(), f"{lang}: no {catalogue}"
        assert catalogue_misses(lang, catalogue) == [], f"{lang}/{catalogue}"
