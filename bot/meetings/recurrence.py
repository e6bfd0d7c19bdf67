"""Meeting rhythms as staff write them (`varannan tisdag 13:30 till 2027-06-30`) → an RRULE.

`python-dateutil`'s rrule does the recurring; this module only reads the Swedish and English
phrases into its parameters. A series needs an end (a date or a number of meetings), so a
rhythm never runs on silently past the agreement it serves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule, weekday

from bot.common.text import fold
from bot.common.when import WhenProblem, localise, normalise, parse_local_date

MAX_OCCURRENCES = 200

_WEEKDAYS: dict[str, weekday] = {}
for _names, _day in (
    (("mandag", "monday"), MO),
    (("tisdag", "tuesday"), TU),
    (("onsdag", "wednesday"), WE),
    (("torsdag", "thursday"), TH),
    (("fredag", "friday"), FR),
    (("lordag", "saturday"), SA),
    (("sondag", "sunday"), SU),
):
    for _name in _names:
        _WEEKDAYS[_name] = _day

_ORDINALS = {
    "forsta": 1, "first": 1, "andra": 2, "second": 2, "tredje": 3, "third": 3,
    "fjarde": 4, "fourth": 4, "sista": -1, "last": -1,
}  # fmt: skip
_INTERVALS = {"varannan": 2, "vartannat": 2, "every other": 2, "var tredje": 3, "every third": 3}
_STARTERS = re.compile(
    r"^(varje|varannan|vartannat|var tredje|every|monthly|weekly|manadsvis|veckovis|"
    r"forsta|andra|tredje|fjarde|sista|first|second|third|fourth|last)\b"
)
_TIME = re.compile(r"\b(\d{2}):(\d{2})\b")
_COUNT = re.compile(r"\b(\d{1,3})\s*(ganger|ggr|tillfallen|moten|times|meetings|occurrences)\b")
_UNTIL = re.compile(r"\b(?:till och med|t\.o\.m\.?|till|until|through|to)\s+(.+)$")
_FROM = re.compile(
    r"\b(?:fran och med|fr\.o\.m\.?|fran|from|starting)\s+(.+?)(?=\s+(?:till|until|to)\b|$)"
)


@dataclass(frozen=True)
class Series:
    """A read rhythm: its RRULE text and every occurrence as aware UTC moments."""

    rule: str
    local_start: datetime
    occurrences: list[datetime]
    # The end day as read, and the words it was read from (a year may have been guessed).
    until: date | None = None
    until_text: str | None = None


def looks_like_series(text: str) -> bool:
    return _STARTERS.match(fold(text)) is not None


def parse_series(text: str, now: datetime, tz: ZoneInfo) -> Series | WhenProblem:
    """Read a rhythm with its time and end; refuse what is unclear rather than guess."""
    example = {"text": text.strip()[:60]}
    folded = fold(normalise(text[:300]))
    time = _TIME.search(folded)
    if time is None:
        return WhenProblem("series.no_time", example)
    hour, minute = int(time.group(1)), int(time.group(2))
    if hour > 23 or minute > 59:
        return WhenProblem("series.no_time", example)
    count_match = _COUNT.search(folded)
    until_match = _UNTIL.search(folded)
    count = int(count_match.group(1)) if count_match else None
    until: datetime | None = None
    until_text: str | None = None
    if until_match is not None:
        until_text = _COUNT.sub("", until_match.group(1)).strip()
        until_day = parse_local_date(until_text, now, tz)
        if until_day is None:
            return WhenProblem("series.bad_end", example)
        until = until_day.replace(hour=23, minute=59)
    if count is None and until is None:
        return WhenProblem("series.no_end", example)
    local_now = now.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)
    start = local_now
    from_match = _FROM.search(folded)
    if from_match is not None:
        start_day = parse_local_date(from_match.group(1), now, tz)
        if start_day is None:
            return WhenProblem("series.unreadable", example)
        start = max(start, start_day.replace(hour=0, minute=0))
    head = folded.split(" till ")[0].split(" until ")[0]
    interval = next((n for word, n in _INTERVALS.items() if word in head), 1)
    day = next(
        (d for name, d in _WEEKDAYS.items() if re.search(rf"\b{name}(ar|en|s)?\b", head)), None
    )
    monthly = re.search(r"\b(manad|manaden|manadsvis|month|monthly)\b", head) is not None
    ordinal = next((n for word, n in _ORDINALS.items() if re.search(rf"\b{word}\b", head)), None)
    by: dict[str, Any] = {}
    if day is not None:
        by["byweekday"] = day(ordinal or 1) if monthly else day
    elif monthly:
        # "den 15 varje månad" / "the 15th of every month": a day of the month.
        bare = _FROM.sub("", _COUNT.sub("", _TIME.sub("", head)))
        day_of_month = re.search(r"\b(3[01]|[12]\d|[1-9])\b", bare)
        if day_of_month is None:
            return WhenProblem("series.unreadable", example)
        by["bymonthday"] = int(day_of_month.group(1))
    else:
        return WhenProblem("series.unreadable", example)
    freq: Literal[1, 2] = MONTHLY if monthly else WEEKLY
    dtstart = start.replace(hour=hour, minute=minute)
    if dtstart < local_now:
        dtstart += timedelta(days=1)
    # Start on the first matching day, so "every other Tuesday" means the next Tuesday.
    dtstart = rrule(freq, dtstart=dtstart, count=1, **by)[0]
    rule = rrule(
        freq,
        interval=interval,
        dtstart=dtstart,
        until=until,
        count=None if until is not None else count,
        **by,
    )
    local_times: list[datetime] = []
    for occurrence in rule:
        if occurrence < local_now:
            continue
        local_times.append(occurrence)
        if count is not None and until is not None and len(local_times) >= count:
            break
        if len(local_times) > MAX_OCCURRENCES:
            return WhenProblem("series.too_many", {"limit": MAX_OCCURRENCES})
    if not local_times:
        return WhenProblem("series.empty", example)
    moments: list[datetime] = []
    for local in local_times:
        moment = localise(local, tz)
        if isinstance(moment, WhenProblem):
            return moment
        moments.append(moment)
    text_rule = str(rule).split("\n")[-1].removeprefix("RRULE:")
    return Series(
        text_rule,
        local_times[0],
        moments,
        until.date() if until is not None else None,
        until_text if until is not None else None,
    )
