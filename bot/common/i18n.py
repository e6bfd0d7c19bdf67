"""Message catalogs: every user-facing string is looked up here, Swedish first, English second.

The catalogs are gettext `.po` files (read with Babel) keyed by symbolic message ids, so a
translator edits ordinary PO files and a missing translation is caught by a test, not a user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

# Babel is imported where it is used: the first message read loads the catalogs, the first
# date shown the formatting; starting the server needs neither.

Language = Literal["sv", "en"]
DEFAULT_LANGUAGE: Language = "sv"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


@cache
def catalog(language: Language) -> dict[str, str]:
    """The messages of one language, read once per process from every `.po` file of it.

    One file per feature (`locale/sv/core.po`, `locale/sv/drafts.po`, …) keeps the catalogs
    small and lets features be added without editing a shared file.
    """
    from babel.messages.pofile import read_po

    messages: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / language).glob("*.po")):
        with path.open("rb") as handle:
            parsed = read_po(handle, locale=language)
        for message in parsed:
            if message.id and message.string:
                messages[str(message.id)] = str(message.string)
    return messages


def language_from_locale(locale: str | None) -> Language | None:
    """Map a platform locale such as `en-US` or `sv_SE` to one of ours, or None if neither."""
    if not locale:
        return None
    head = locale.replace("_", "-").split("-")[0].strip().lower()
    if head in ("sv", "en"):
        return head  # type: ignore[return-value]
    return None


def choose_language(*preferences: str | None) -> Language:
    """The first preference that names a language we speak, else Swedish.

    Every path picks a language in the same order — the person's stored choice, the platform's
    locale, the configured default — by passing them here in that order.
    """
    for preference in preferences:
        language = language_from_locale(preference)
        if language is not None:
            return language
    return DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Translator:
    """Looks up and formats messages in one language; falls back to Swedish, then to the key."""

    language: Language
    timezone: ZoneInfo

    def __call__(self, key: str, **values: Any) -> str:
        text = catalog(self.language).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
        return text.format(**values) if values else text

    def count(self, key: str, count: int, **values: Any) -> str:
        """A message about `count` things in the right grammatical number: `key.one` or
        `key.other` by the language's CLDR plural rule ("1 möte", "3 möten"), else `key`."""
        from babel import Locale

        form = Locale.parse(self.language).plural_form(count)
        for candidate in (f"{key}.{form}", f"{key}.other", key):
            if catalog(self.language).get(candidate) or catalog(DEFAULT_LANGUAGE).get(candidate):
                return self(candidate, count=count, **values)
        return self(key, count=count, **values)

    def datetime(self, moment: datetime) -> str:
        """`torsdag 3 december 2026 kl. 09.00` / `Thursday 3 December 2026 at 09:00`."""
        from babel.dates import format_datetime

        local = moment.astimezone(self.timezone)
        pattern = self("format.datetime")
        return format_datetime(local, pattern, locale=self.language, tzinfo=self.timezone)

    def date(self, day: date, *, weekday: bool = False) -> str:
        """`3 december 2026`, or `torsdag 3 december 2026` with the weekday."""
        from babel.dates import format_date

        pattern = self("format.weekday_date" if weekday else "format.date")
        return format_date(day, pattern, locale=self.language)
