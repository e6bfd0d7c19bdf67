"""Report periods as staff write them, codes or plain words, and said back in words.

`2026`, `helåret 2026`, `2026-H2`, `andra halvåret 2026`, `hösten 2026` (July–December),
`våren 2027` (January–June), `2026-T1`, `första tertialet 2026` (January–April),
`2026-09..2026-11`; English too (`second half 2026`, `autumn 2026`, `first tertial 2026`).
An answer never shows the code: `period_words` says it as a sentence would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from bot.common.i18n import Translator
from bot.common.text import fold

Kind = Literal["year", "half", "tertial", "spring", "autumn", "months"]

_ORDINALS = {"forsta": 1, "first": 1, "andra": 2, "second": 2, "tredje": 3, "third": 3}
_YEAR = re.compile(r"^(?:(?:helaret|hela aret|aret|whole year|full year|all of)\s+)?(\d{4})$")
_HALF_CODE = re.compile(r"^(\d{4})-h([12])$")
_TERTIAL_CODE = re.compile(r"^(\d{4})-t([123])$")
_MONTHS = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")
_ORDINAL = r"(forsta|andra|tredje|first|second|third)"
_HALF = re.compile(rf"^{_ORDINAL}\s+(?:halvaret|halvar|half)(?:\s+of)?\s+(\d{{4}})$")
_TERTIAL = re.compile(rf"^{_ORDINAL}\s+(?:tertialet|tertial)(?:\s+of)?\s+(\d{{4}})$")
_AUTUMN = re.compile(r"^(?:hosten|host|autumn|fall)(?:\s+of)?\s+(\d{4})$")
_SPRING = re.compile(r"^(?:varen|var|spring)(?:\s+of)?\s+(\d{4})$")
# Words that make a text look like a period, so that an unreadable one is reported as such.
PERIOD_WORDS = frozenset(
    {"helaret", "aret", "halvaret", "halvar", "half", "tertialet", "tertial", "hosten",
     "varen", "autumn", "fall", "spring", "year", *_ORDINALS}
)  # fmt: skip


@dataclass(frozen=True)
class Period:
    """A half-open span of local calendar days, and what kind of span it is (for its words)."""

    start: date
    end: date  # exclusive
    kind: Kind = "months"
    number: int = 0

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        start = datetime(self.start.year, self.start.month, self.start.day, tzinfo=tz)
        end = datetime(self.end.year, self.end.month, self.end.day, tzinfo=tz)
        return start, end


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _months(year: int, first: int, count: int, kind: Kind, number: int) -> Period:
    return Period(_month_start(year, first), _month_start(year, first + count), kind, number)


def parse_period(text: str) -> Period | None:
    """The period meant, or None when the text is no period we read."""
    folded = fold(text).removeprefix("the ")
    if match := _YEAR.match(folded):
        return _months(int(match.group(1)), 1, 12, "year", 0)
    if (match := _HALF_CODE.match(folded)) or (match := _HALF.match(folded)):
        year, half = _year_and_number(match)
        return _months(year, 1 + (half - 1) * 6, 6, "half", half) if half <= 2 else None
    if (match := _TERTIAL_CODE.match(folded)) or (match := _TERTIAL.match(folded)):
        year, part = _year_and_number(match)
        return _months(year, 1 + (part - 1) * 4, 4, "tertial", part)
    if match := _AUTUMN.match(folded):
        return _months(int(match.group(1)), 7, 6, "autumn", 0)
    if match := _SPRING.match(folded):
        return _months(int(match.group(1)), 1, 6, "spring", 0)
    if match := _MONTHS.match(folded):
        y1, m1, y2, m2 = (int(g) for g in match.groups())
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12) or (y2, m2) < (y1, m1):
            return None
        return Period(_month_start(y1, m1), _month_start(y2, m2 + 1))
    return None


def _year_and_number(match: re.Match[str]) -> tuple[int, int]:
    first, second = match.group(1), match.group(2)
    if first.isdigit():
        return int(first), int(second)
    return int(second), _ORDINALS[first]


def looks_like_period(words: list[str]) -> bool:
    return any(re.search(r"\d{4}", w) or fold(w) in PERIOD_WORDS for w in words)


def period_words(t: Translator, period: Period) -> str:
    """`andra halvåret 2026`, `hösten 2026`, `september 2026 – november 2026`."""
    year = period.start.year
    if period.kind == "year":
        return t("dates.period.year", year=year)
    if period.kind in ("half", "tertial"):
        return t(f"dates.period.{period.kind}_{period.number}", year=year)
    if period.kind in ("spring", "autumn"):
        return t(f"dates.period.{period.kind}", year=year)
    from babel.dates import format_date

    last = _month_start(period.end.year, period.end.month - 1)
    return t(
        "dates.period.months",
        start=format_date(period.start, "LLLL y", locale=t.language),
        end=format_date(last, "LLLL y", locale=t.language),
    )
