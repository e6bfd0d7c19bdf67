"""Days named relative to today, as Swedes mean them, written out as a plain date.

`dateparser` reads `nästa fredag` as the coming Friday and knows neither `vecka 3` nor
`om två veckor`; this module rewrites such phrases into `11 december 2026` before it reads the
rest (the time, a written date). The meanings, on a Thursday:

- `fredag`, `på fredag`, `kommande fredag` → tomorrow (the first Friday after today);
- `nästa fredag` → the Friday of next week (the ISO week after this one);
- `i morgon`, `i övermorgon`, `i dag`; `om två veckor`, `om 3 dagar`, `in two weeks`;
- `nästa vecka` / `next week` → Monday of next week; `vecka 3` → Monday of ISO week 3 (this
  year, or the next when it has passed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from bot.common.text import fold

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]

_WEEKDAYS = {
    "måndag": 0, "monday": 0, "tisdag": 1, "tuesday": 1, "onsdag": 2, "wednesday": 2,
    "torsdag": 3, "thursday": 3, "fredag": 4, "friday": 4, "lördag": 5, "saturday": 5,
    "söndag": 6, "sunday": 6,
}  # fmt: skip
_NUMBERS = {
    "en": 1, "ett": 1, "a": 1, "an": 1, "one": 1, "två": 2, "two": 2, "tre": 3, "three": 3,
    "fyra": 4, "four": 4, "fem": 5, "five": 5, "sex": 6, "six": 6, "sju": 7, "seven": 7,
    "åtta": 8, "eight": 8, "nio": 9, "nine": 9, "tio": 10, "ten": 10,
}  # fmt: skip
# The same words without their diacritics too (`nasta mandag`): series read folded text.
_WEEKDAYS |= {fold(name): day for name, day in _WEEKDAYS.items()}
_NUMBERS |= {fold(word): n for word, n in _NUMBERS.items()}
_DAY_NAMES = "|".join(_WEEKDAYS)
_AMOUNT = r"(\d{1,3}|" + "|".join(_NUMBERS) + r")"

_EXPLICIT_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}|\b\d{1,2}\s+(?:" + "|".join(MONTHS) + r"|jan|feb|mar|apr|maj|jun|jul|"
    r"aug|sep|okt|oct|nov|dec)"
)
_DAY_OFFSETS = (
    (
        re.compile(r"\b(?:(?:i\s*)?(?:övermorgon|overmorgon)|(?:the\s+)?day after tomorrow)\b"),
        2,
    ),
    (re.compile(r"\b(?:i\s*morgon|imorgon|tomorrow)\b"), 1),
    (re.compile(r"\b(?:i\s*dag|idag|today)\b"), 0),
    (re.compile(r"\b(?:i\s*går|igår|i\s*gar|igar|yesterday)\b"), -1),
)
_UNITS = r"(dagar|dag|days?|veckor|vecka|weeks?|månader|månad|manader|manad|months?)"
_IN_AMOUNT = re.compile(r"\b(?:om|in)\s+" + _AMOUNT + r"\s+" + _UNITS + r"\b")
_NEXT_WEEK = re.compile(r"\b(?:nästa|nasta|next)\s+(?:vecka|week)\b")
_NEXT_MONTH = re.compile(r"\b(?:nästa|nasta|next)\s+(?:månad|manad|month)\b")
_WEEK_NUMBER = re.compile(
    r"\b(?:vecka|week|v\.?)\s*(\d{1,2})(?![\d:.])(?:\s+((?:19|20)\d{2})(?![\d:]))?"
)
_NEXT_WEEKDAY = re.compile(r"\b(?:nästa|nasta)\s+(" + _DAY_NAMES + r")(?:en)?\b")
_WEEKDAY = re.compile(
    r"\b(?:på\s+|pa\s+|kommande\s+|on\s+|this\s+|coming\s+|next\s+)?(" + _DAY_NAMES + r")(?:en)?\b"
)
_WEEKDAY_WITH_DATE = re.compile(
    r"\b(?:nästa\s+|nasta\s+|på\s+|pa\s+|on\s+)?(?:" + _DAY_NAMES + r")(?:en)?\b,?\s*"
)


def written(day: date) -> str:
    """A day in the one form dateparser never misreads: `11 december 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _amount(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _after(unit: str, amount: int) -> relativedelta:
    if unit.startswith(("dag", "day")):
        return relativedelta(days=amount)
    if unit.startswith(("veck", "week")):
        return relativedelta(weeks=amount)
    return relativedelta(months=amount)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def coming(today: date, weekday: int, *, past: bool = False) -> date:
    """The first such weekday after today (or, looking back, the last one before it)."""
    if past:
        return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def week_monday(week: int, year: int | None, today: date) -> date | None:
    """Monday of an ISO week: of the year given, else this year's unless it has passed."""
    for candidate in (year,) if year else (today.year, today.year + 1):
        try:
            monday = date.fromisocalendar(candidate, week, 1)
        except ValueError:
            return None
        if year or monday + timedelta(days=6) >= today:
            return monday
    return None


def resolve_relative_days(text: str, today: date, *, past: bool = False) -> str | None:
    """The normalised text with relative days written out; None for a week that does not exist."""
    for pattern, offset in _DAY_OFFSETS:
        text = pattern.sub(written(today + timedelta(days=offset)), text)
    text = _IN_AMOUNT.sub(lambda m: written(today + _after(m.group(2), _amount(m.group(1)))), text)
    text = _NEXT_WEEK.sub(lambda _m: written(monday_of(today) + timedelta(days=7)), text)
    text = _NEXT_MONTH.sub(lambda _m: written(today.replace(day=1) + relativedelta(months=1)), text)
    bad_week = False

    def week(match: re.Match[str]) -> str:
        nonlocal bad_week
        year = int(match.group(2)) if match.group(2) else None
        monday = week_monday(int(match.group(1)), year, today)
        if monday is None:
            bad_week = True
            return match.group(0)
        return written(monday)

    text = _WEEK_NUMBER.sub(week, text)
    if bad_week:
        return None
    if _EXPLICIT_DATE.search(text):
        # `fredag 11 december`: the written date says it all; the weekday is a courtesy.
        return _WEEKDAY_WITH_DATE.sub("", text).strip()
    text = _NEXT_WEEKDAY.sub(_with(lambda d: monday_of(today) + timedelta(days=7 + d)), text)
    return _WEEKDAY.sub(_with(lambda d: coming(today, d, past=past)), text)


def _with(pick: Callable[[int], date]) -> Callable[[re.Match[str]], str]:
    return lambda match: written(pick(_WEEKDAYS[match.group(1)]))
