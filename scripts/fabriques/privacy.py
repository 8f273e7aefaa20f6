"""Personal data never reaches a published output: e-mail addresses and phone numbers found in free text
(a site may write them in a name, a purpose or a place) are masked before anything is written."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\d{2,3}[ .\-]?(?:\(0\)[ .\-]?)?[1-9]|0[1-9])(?:[ .\-]?\d{2}){4}(?![\w])")
"""French numbers (0X XX XX XX XX, dots, dashes or none) and international ones (+33 6 …, 0033 …)."""
EMAIL_MASK = "[e-mail masqué]"
PHONE_MASK = "[téléphone masqué]"


def redact(text: str) -> str:
    if "@" in text:
        text = EMAIL.sub(EMAIL_MASK, text)
    if sum(ch.isdigit() for ch in text) >= 9:
        text = PHONE.sub(PHONE_MASK, text)
    return text
