"""Dates and times as staff write them, Swedish and English, read into an aware UTC moment.

`dateparser` does the reading; a small normaliser in front turns the Swedish forms it does not
read (`kl 13`, `9.00`, `3/12`, `i övermorgon`, `nästa tisdag`) into forms it does. Wall-clock
times are in the configured zone (Europe/Stockholm): a time that does not exist (the spring
gap) or happens twice (the autumn overlap) is refused with an explanation, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.common.relative_days import MONTHS, resolve_relative_days

MAX_LENGTH = 200
EARLIEST_YEAR = 2000
YEARS_AHEAD = 10


_CLOCK_WORD = re.compile(r"\b(?:klockan|kl\.?)\s*(\d{1,2})(?:[.:](\d{2}))?(?!\d)")
_AT_HOUR = re.compile(r"\bat\s+(\d{1,2})(?:[.:](\d{2}))?(?!\d|\s*(?:am|pm)\b|[.:/]\d)")
_TWELVE_HOUR = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm)\b")
_DOT_TIME = re.compile(r"(?<![\d./-])(\d{1,2})\.(\d{2})(?![\d.])")
_SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|\d{1,2}\s*(?:am|pm)\b|\b(?:noon|midnight)\b")
_SPACES = re.compile(r"\s+")
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_NAMES_MONTH_OR_WEEK = re.compile(
    r"\b(?:jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec)[a-zé]*\b"
    r"|\b(?:vecka|v\.?|week)\s*\d{1,2}(?![\d:.])"
)
_WORDS = (
    (re.compile(r"^(?:senast|by|no later than)\s+"), ""),
    (re.compile(r"\bden\s+(?=\d)"), ""),
    (re.compile(r"\btill\s+kl"), "kl"),
    (re.compile(r"\bthe\s+(?=\d)"), ""),
    (re.compile(r"(\d)(?:st|nd|rd|th)\b"), r"\1"),
    (re.compile(r"(\d)(?::e|:a)\b"), r"\1"),
)


@dataclass(frozen=True)
class ParsedWhen:
    """An understood moment, in UTC."""

    moment: datetime


@dataclass(frozen=True)
class WhenProblem:
    """Why a text could not be read: a catalog key and its values, shown to the user."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


def normalise(text: str) -> str:
    """Rewrite Swedish (and a few English) forms into what dateparser reads; never raises."""
    cleaned = _SPACES.sub(" ", text.casefold()).strip().rstrip(".,;!")
    for pattern, replacement in _WORDS:
        cleaned = pattern.sub(replacement, cleaned)
    cleaned = _CLOCK_WORD.sub(_clock, cleaned)
    cleaned = _AT_HOUR.sub(_clock, cleaned)
    cleaned = _DOT_TIME.sub(_dot_time, cleaned)
    cleaned = _SLASH_DATE.sub(_slash_date, cleaned)
    cleaned = _TWELVE_HOUR.sub(_twelve_hour, cleaned)
    return _SPACES.sub(" ", cleaned).strip()


def _clock(match: re.Match[str]) -> str:
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return match.group(0)
    return f"{hour:02d}:{minute:02d}"


def _twelve_hour(match: re.Match[str]) -> str:
    """`2pm` → `14:00`, so every later step sees one form of time."""
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if not 1 <= hour <= 12 or minute > 59:
        return match.group(0)
    hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
    return f"{hour:02d}:{minute:02d}"


def _dot_time(match: re.Match[str]) -> str:
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return match.group(0)
    return f"{hour:02d}:{minute:02d}"


def _slash_date(match: re.Match[str]) -> str:
    """`3/12` is the 3rd of December in Sweden (day first), written out so nothing can flip."""
    day, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group(0)
    year = match.group(3)
    if year and len(year) == 2:
        year = f"20{year}"
    return f"{day} {MONTHS[month - 1]}" + (f" {year}" if year else "")


def has_time(normalised: str) -> bool:
    return _HAS_TIME.search(normalised) is not None


def year_guessed(text: str) -> bool:
    """Whether the text names a day of a month (or a week) but no year, so the year is ours."""
    normalised = normalise(text[:MAX_LENGTH])
    return bool(_NAMES_MONTH_OR_WEEK.search(normalised)) and not _HAS_YEAR.search(normalised)


def parse_local_date(text: str, now: datetime, tz: ZoneInfo, past: bool = False) -> datetime | None:
    """A day (and maybe time) as naive local wall-clock time, or None when unreadable."""
    normalised = normalise(text[:MAX_LENGTH])
    if not normalised:
        return None
    today = now.astimezone(tz).date()
    resolved = resolve_relative_days(normalised, today, past=past)
    if resolved is None:
        return None
    settings: Any = {
        "PREFER_DATES_FROM": "past" if past else "future",
        "RELATIVE_BASE": now.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0),
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    # Imported on first use: dateparser and its language data are heavy to load and most
    # requests (and every start-up) read no dates.
    import dateparser

    try:
        found = dateparser.parse(resolved, languages=["sv", "en"], settings=settings)
    except Exception:  # the library can trip over odd input; for us that is "unreadable"
        return None
    if found is None or found.tzinfo is not None:
        return None
    if not EARLIEST_YEAR <= found.year <= now.year + YEARS_AHEAD:
        return None
    moment: datetime = found.replace(second=0, microsecond=0)
    return moment


def localise(naive: datetime, tz: ZoneInfo) -> datetime | WhenProblem:
    """Wall-clock time → aware UTC, refusing times the clock skips or shows twice."""
    early = naive.replace(tzinfo=tz, fold=0)
    late = naive.replace(tzinfo=tz, fold=1)
    if early.utcoffset() != late.utcoffset():
        round_trip = early.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        shown = naive.strftime("%Y-%m-%d %H:%M")
        if round_trip != naive:
            return WhenProblem("when.nonexistent", {"time": shown})
        return WhenProblem("when.ambiguous", {"time": shown})
    return early.astimezone(UTC)


def _instant(text: str) -> datetime | None:
    """An ISO 8601 time with an explicit offset (what a form's date-time picker sends) names
    one instant: taken as it is, never re-read as local time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        return None
    return moment.astimezone(UTC)


def parse_when(
    text: str, now: datetime, tz: ZoneInfo, past: bool = False
) -> ParsedWhen | WhenProblem:
    """Read a meeting time. `past` prefers the most recent match (recording afterwards)."""
    if not text.strip() or len(text) > MAX_LENGTH:
        return WhenProblem("when.unreadable", {"text": text.strip()[:60]})
    instant = _instant(text.strip())
    if instant is not None:
        if not EARLIEST_YEAR <= instant.year <= now.year + YEARS_AHEAD:
            return WhenProblem("when.unreadable", {"text": text.strip()[:60]})
        return ParsedWhen(instant.replace(second=0, microsecond=0))
    if not has_time(normalise(text)):
        return WhenProblem("when.no_time", {"text": text.strip()[:60]})
    naive = parse_local_date(text, now, tz, past=past)
    if naive is None:
        return WhenProblem("when.unreadable", {"text": text.strip()[:60]})
    moment = localise(naive, tz)
    if isinstance(moment, WhenProblem):
        return moment
    return ParsedWhen(moment)
