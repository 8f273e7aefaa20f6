"""Numbers in the reports: the fast formatter writes exactly what Babel writes, in every shipped language."""

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from fabriques.i18n import LANGUAGES as PUBLISHED_LANGUAGES
from fabriques.i18n import babel_locale
from fabriques.reports.formatting import format_eur, format_number

LANGUAGES = sorted(PUBLISHED_LANGUAGES)
numbers = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.5, 1.5, 2.5, -0.5, 0.125, 0.145, 0.165, 1e-9, -1e-9, -0.0, 999.995]),
)


@given(value=numbers, lang=st.sampled_from(LANGUAGES), decimals=st.integers(min_value=0, max_value=3))
def test_every_number_is_written_as_babel_writes_it(value, lang, decimals):
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    assert format_number(value, lang, decimals) == format_decimal(value, format=pattern, locale=babel_locale(lang))


@pytest.mark.parametrize(
    ("lang", "expected"), [("fr", "45\u202f000\u202f000\u00a0€"), ("en", "€45,000,000"), ("ro", "45.000.000\u00a0€")]
)
def test_the_programme_envelope_in_each_language(lang, expected):
    assert format_eur(45_000_000, lang) == expected
