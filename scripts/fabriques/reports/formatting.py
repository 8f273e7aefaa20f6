"""Numbers as each language writes them: `45 000 000 €` in French, `€45,000,000` in English."""
from __future__ import annotations

from babel.numbers import format_decimal

from fabriques.reports.i18n import BABEL_LOCALES

CURRENCY_PATTERNS = {"fr": "{sign}{number}\u00a0€", "en": "{sign}€{number}", "ro": "{sign}{number}\u00a0€"}
NOT_AVAILABLE = {"fr": "n.d.", "en": "n/a", "ro": "n.d."}


def format_number(value: float | None, lang: str, decimals: int = 0) -> str:
    if value is None:
        return NOT_AVAILABLE[lang]
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=BABEL_LOCALES[lang])


def format_eur(value: float | None, lang: str) -> str:
    """Whole euros with the `€` sign where the language puts it (Babel writes `EUR` in some locales)."""
    if value is None:
        return NOT_AVAILABLE[lang]
    sign = "-" if value < 0 and round(value) != 0 else ""
    return CURRENCY_PATTERNS[lang].format(sign=sign, number=format_number(abs(value), lang))


def format_value(value: float | None, unit: str, lang: str) -> str:
    """An indicator value in its unit (`EUR`, `%`, `ratio`, counts)."""
    if value is None:
        return NOT_AVAILABLE[lang]
    if unit == "EUR":
        return format_eur(value, lang)
    if unit == "%":
        return format_number(value, lang, 1) + "\u00a0%"
    if unit == "ratio":
        return format_number(value, lang, 2)
    if unit in ("FTE", "hours"):
        return format_number(value, lang, 1)
    return format_number(value, lang)


def suppress_small_count(value: float | None, lang: str, threshold: int) -> str:
    """A count of people below the disclosure threshold is shown as `< threshold` on site-level outputs."""
    if value is not None and 0 < value < threshold:
        return f"<\u00a0{threshold}"
    return format_number(value, lang)
