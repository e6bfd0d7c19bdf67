"""Phone numbers in one stored form (E.164, `+46701234567`), shown as Swedes write them.

Staff type `070-123 45 67`, `0701234567` or `+46 70 123 45 67`; all are the same number, so it
is stored once, the same way, and shown `070-123 45 67` (a foreign number internationally).
The `phonenumbers` library (Google's numbering plan data) is imported on first use: serving
a question needs it only when a phone number is shown.
"""

from __future__ import annotations

from functools import lru_cache

REGION = "SE"
SHOWN = 4096  # numbers whose shown form is remembered (a directory's worth)


def normalise_phone(text: str) -> str | None:
    """The E.164 form of a number as typed (Swedish unless it starts with + or 00); None when
    it cannot be a phone number."""
    import phonenumbers

    cleaned = text.strip()
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def show_phone(stored: str | None) -> str | None:
    """`+46701234567` → `070-123 45 67`; a foreign number as `+45 20 12 34 56`; anything
    that does not read as a number is shown as it was stored."""
    if not stored:
        return stored
    return _shown(stored)


@lru_cache(maxsize=SHOWN)
def _shown(stored: str) -> str:
    """Parsing a number is a tenth of a millisecond; a contact list shows the same ones often."""
    import phonenumbers

    try:
        number = phonenumbers.parse(stored, REGION)
    except phonenumbers.NumberParseException:
        return stored
    if number.country_code == phonenumbers.country_code_for_region(REGION):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
