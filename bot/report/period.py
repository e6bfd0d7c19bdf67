"""Which span a report covers: the periods `representation` reads, a span of years, or the
whole agreement period; and the default year (the previous one while its follow-up is made)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.common.periods import Period, parse_period
from bot.common.text import fold
from storage.models import Agreement

_YEARS = re.compile(r"^(\d{4})\s*(?:\.\.|–|-)\s*(\d{4})$")
AGREEMENT_WORDS = ("överenskommelsen", "overenskommelsen", "överenskommelse", "agreement")
# The follow-up of a year is made in January and February: then "the year" is the last one.
FOLLOW_UP_MONTHS = (1, 2)
FIRST_YEAR = 1990


@dataclass(frozen=True)
class ReportPeriod:
    """A period and the calendar years it touches (one for a year, a tertial or a half)."""

    period: Period
    years: tuple[int, ...]
    label: str  # a code that reads back as the same period: `2026`, `2026-H2`, `2023–2026`

    @property
    def multi_year(self) -> bool:
        return len(self.years) > 1


def _code(period: Period) -> str:
    year = period.start.year
    if period.kind == "year":
        return str(year)
    if period.kind == "half":
        return f"{year}-H{period.number}"
    if period.kind == "tertial":
        return f"{year}-T{period.number}"
    if period.kind == "spring":
        return f"{year}-H1"
    if period.kind == "autumn":
        return f"{year}-H2"
    last = period.end - timedelta(days=1)
    return f"{period.start:%Y-%m}..{last:%Y-%m}"


def _of(period: Period, label: str | None = None) -> ReportPeriod:
    last = period.end - timedelta(days=1)
    years = tuple(range(period.start.year, last.year + 1))
    return ReportPeriod(period, years, label or _code(period))


def default_period(today: date) -> ReportPeriod:
    year = today.year - 1 if today.month in FOLLOW_UP_MONTHS else today.year
    period = parse_period(str(year))
    assert period is not None
    return _of(period)


def parse_report_period(text: str, agreement: Agreement | None) -> ReportPeriod | None:
    """`2026`, `2026-T2`, `2026-H1`, `2026-09..2026-11`, `2023..2026` or `överenskommelsen`
    (the agreement's own period, as agreed: an extension is not part of the four years)."""
    text = text.strip()
    if fold(text) in {fold(word) for word in AGREEMENT_WORDS}:
        if agreement is None:
            return None
        start, end = agreement.valid_from, agreement.valid_to
        label = f"{start.year}–{end.year}" if start.year != end.year else str(start.year)
        return _of(Period(start, end + timedelta(days=1)), label)
    if match := _YEARS.match(text):
        first, last = int(match.group(1)), int(match.group(2))
        if last < first or first < FIRST_YEAR:
            return None
        return _of(Period(date(first, 1, 1), date(last + 1, 1, 1)), f"{first}–{last}")
    period = parse_period(text)
    return _of(period) if period is not None else None
