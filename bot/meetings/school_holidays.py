"""Series that skip the school holidays named in the agreement file (term-time forums).

The holidays and which forums meet in term time are the organisations' settings in the
agreement file (`school_holidays`, `term_time`), not database rows: they are read from the
configured file when a series is booked, once per version of the file.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from bot.common.i18n import Translator
from bot.common.text import fold
from bot.core.context import Context
from bot.meetings.notices import public_holiday
from storage.models import Forum

log = logging.getLogger(__name__)

SKIP = re.compile(
    r"(?:^|\s)(?:utom|förutom|ej under|inte under)\s+(?:skol)?lov(?:en)?(?=\s|$)"
    r"|(?:^|\s)(?:except|excluding|skipping)\s+(?:school\s+)?holidays(?=\s|$)",
    re.IGNORECASE,
)
KEEP = re.compile(
    r"(?:^|\s)(?:även|också|inklusive|med)\s+(?:under\s+)?(?:skol)?lov(?:en)?(?=\s|$)"
    r"|(?:^|\s)(?:including|also in|during)\s+(?:school\s+)?holidays(?=\s|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Holiday:
    kind: str
    start: date
    end: date


@dataclass(frozen=True)
class TermCalendar:
    holidays: tuple[Holiday, ...]
    term_time_forums: frozenset[str]

    def holiday_on(self, day: date) -> Holiday | None:
        return next((h for h in self.holidays if h.start <= day <= h.end), None)


def term_time_choice(when: str) -> tuple[bool | None, str]:
    """`utom lov` → skip (True), `även under lov` → keep (False), else None; and the rest."""
    if SKIP.search(when):
        return True, SKIP.sub(" ", when).strip()
    if KEEP.search(when):
        return False, KEEP.sub(" ", when).strip()
    return None, when


@lru_cache(maxsize=4)
def _calendar(path: Path, _version: int) -> TermCalendar:
    from bot.agreement.file import AgreementFileError, load_agreement_file

    try:
        spec = load_agreement_file(path)
    except AgreementFileError:
        log.warning("school holidays: the agreement file does not load; none are skipped")
        return TermCalendar((), frozenset())
    holidays = tuple(Holiday(h.kind, h.start, h.end) for h in spec.school_holidays)
    return TermCalendar(holidays, frozenset(f.key for f in spec.forums if f.term_time))


def term_calendar(path: Path) -> TermCalendar:
    """The file's holidays and term-time forums, read again when the file changes."""
    try:
        version = path.stat().st_mtime_ns
    except OSError:
        return TermCalendar((), frozenset())
    return _calendar(path, version)


def meets_in_term_time(context: Context, forum: Forum) -> bool:
    """A forum (or a group of one) the file says meets in term time."""
    root = forum.key.split(".")[0]
    return root in term_calendar(context.settings.agreement).term_time_forums


def skip_school_holidays(
    context: Context, moments: list[datetime]
) -> tuple[list[datetime], list[tuple[datetime, str]]]:
    """The moments outside the school holidays, and those skipped with the holiday's kind."""
    calendar = term_calendar(context.settings.agreement)
    tz = context.settings.tz
    kept: list[datetime] = []
    skipped: list[tuple[datetime, str]] = []
    for moment in moments:
        holiday = calendar.holiday_on(moment.astimezone(tz).date())
        if holiday is None:
            kept.append(moment)
        else:
            skipped.append((moment, holiday.kind))
    return kept, skipped


def holiday_name(t: Translator, kind: str) -> str:
    return t("dates.school_holiday." + fold(kind))


def series_notices(
    context: Context, kept: list[datetime], skipped: list[tuple[datetime, str]]
) -> list[str]:
    """Which dates were skipped for school holidays, and which kept ones are public holidays."""
    t = context.t
    tz = context.settings.tz
    lines = []
    if skipped:
        listed = ", ".join(
            f"{t.date(m.astimezone(tz).date(), weekday=True)} ({holiday_name(t, kind)})"
            for m, kind in skipped
        )
        lines.append(t("dates.series_skipped", count=len(skipped), dates=listed))
    on_holidays = []
    for moment in kept:
        day = moment.astimezone(tz).date()
        name = public_holiday(day, t.language)
        if name is not None:
            on_holidays.append(f"{t.date(day, weekday=True)} ({name})")
    if on_holidays:
        lines.append(
            t("dates.series_on_holidays", count=len(on_holidays), dates=", ".join(on_holidays))
        )
    return lines
