"""Turn one cell as sent (text from a CSV, or a typed XLSX cell) into a checked Python value.

Each parser returns the value or raises `BadValue` with a stable reason code. Empty cells are handled by the
caller (missing_value or NULL), so parsers only see non-empty cells.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from fabriques.contract import MAX_NUMBER_DIGITS, MAX_TEXT_LENGTH


class BadValue(ValueError):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_THOUSANDS = {",": re.compile(r"[+-]?\d{1,3}(,\d{3})+"), ".": re.compile(r"[+-]?\d{1,3}(\.\d{3})+")}
_MIDNIGHT = r"(?:[ T]00:00(?::00(?:\.0+)?)?)?"
_YEAR_FIRST_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _MIDNIGHT)
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})" + _MIDNIGHT)
_DATE_SERIAL = re.compile(r"\d{5}(?:[.,]0+)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_DATE_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))
"""A date serial (days since Excel's epoch) is read as a date only in this range: other numbers are no date of
the programme."""
TOO_LARGE = f"< 10^{MAX_NUMBER_DIGITS}"


def cell_text(value: object) -> str:
    """The text of a cell as a person reads it (an XLSX number 3310.0 reads 3310)."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_number(value: object) -> float | int:
    """`150000`, `150000.00`, `150 000`, `150 000,00`, `150.000,00`, with or without `€`."""
    if isinstance(value, bool):
        raise BadValue("invalid_number")
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            raise BadValue("invalid_number")
        if abs(value) >= 10**MAX_NUMBER_DIGITS:
            raise BadValue("out_of_range", TOO_LARGE)
        return value
    text = _SPACES.sub("", str(value).replace("€", "").replace("EUR", "").replace("eur", ""))
    if not text:
        raise BadValue("invalid_number")
    has_comma, has_dot = "," in text, "." in text
    if has_comma and has_dot:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        thousands_sep = "." if decimal_sep == "," else ","
        text = text.replace(thousands_sep, "").replace(decimal_sep, ".")
    elif has_comma or has_dot:
        sep = "," if has_comma else "."
        if text.count(sep) > 1 and _THOUSANDS[sep].fullmatch(text):
            text = text.replace(sep, "")
        else:
            text = text.replace(",", ".")
    if not _PLAIN_NUMBER.fullmatch(text):
        raise BadValue("invalid_number")
    if len(text.split(".")[0].lstrip("+-").lstrip("0")) > MAX_NUMBER_DIGITS:  # before int(): no huge integer
        raise BadValue("out_of_range", TOO_LARGE)
    return int(text) if "." not in text else float(text)


def parse_integer(value: object) -> int:
    number = parse_number(value)
    if isinstance(number, float):
        if not number.is_integer():
            raise BadValue("invalid_number", "not a whole number")
        number = int(number)
    return number


def parse_decimal(value: object) -> float:
    return float(parse_number(value))


def parse_money(value: object) -> float:
    return round(float(parse_number(value)), 2)


def parse_date(value: object) -> dt.date:
    """A date as typed: `2021-03-30`, `2021/03/30`, `30/03/2021`, `30.03.2021`, `30-03-2021`, `30/3/2021` (day
    first, always: the programme's convention), a workbook date cell, or a date serial (a workbook number, or its
    text in a CSV) within SERIAL_DATE_RANGE."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return date_from_serial(value)
    text = str(value).strip()
    try:
        if match := _YEAR_FIRST_DATE.fullmatch(text):
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if match := _DAY_FIRST_DATE.fullmatch(text):
            day, _separator, month, year = match.groups()
            return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise BadValue("invalid_date") from None
    if _DATE_SERIAL.fullmatch(text):
        return date_from_serial(float(text.replace(",", ".")))
    raise BadValue("invalid_date")


def date_from_serial(number: float) -> dt.date:
    if float(number).is_integer() and number == number:
        date = _EXCEL_EPOCH + dt.timedelta(days=int(number)) if 0 < number < 2_958_466 else None
        if date is not None and SERIAL_DATE_RANGE[0] <= date <= SERIAL_DATE_RANGE[1]:
            return date
    raise BadValue("invalid_date")


def normalise_code(value: object) -> str:
    """`Digital Inclusion`, ` digital-inclusion ` -> `digital_inclusion`; accents dropped."""
    return _normalise_code_text(cell_text(value))


@lru_cache(maxsize=4096)
def _normalise_code_text(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", strip_accents(text).casefold().strip())


def parse_text(value: object) -> str:
    text = cell_text(value)
    if len(text) > MAX_TEXT_LENGTH:
        raise BadValue("value_too_long", f"{len(text)} characters")
    return text


def normalise_commune_code(value: object) -> str:
    """An INSEE commune code as 5 characters: `3310` (lost its leading zero) -> `03310`, `2a004` -> `2A004`."""
    text = cell_text(value).upper().replace(" ", "")
    if text.isdigit() and len(text) == 4:
        text = text.zfill(5)
    if not re.fullmatch(r"\d{5}|2[AB]\d{3}", text):
        raise BadValue("unknown_commune", "not a 5-character INSEE code")
    return text


def parse_siret(value: object) -> str:
    """14 digits passing the Luhn check (La Poste's establishments use their own rule)."""
    text = re.sub(r"[\s\u00a0\u202f.]", "", cell_text(value))
    if not re.fullmatch(r"\d{14}", text):
        raise BadValue("invalid_siret", "not 14 digits")
    if text.startswith("356000000"):
        if sum(int(d) for d in text) % 5 != 0:
            raise BadValue("invalid_siret", "check digit")
    elif not luhn_ok(text):
        raise BadValue("invalid_siret", "Luhn check fails")
    return text


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
