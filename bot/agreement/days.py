"""A day as staff type it in the agreement's commands: `2026-12-15`, `15/12`, `15 december`."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.common.when import parse_local_date


def read_day(text: str, now: datetime, tz: ZoneInfo, *, past: bool = False) -> date | None:
    """The day meant, or None; an ISO date is taken as written, anything else read forgivingly
    (`past`: a day without a year is the last one, as for a decision already taken)."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    naive = parse_local_date(text, now, tz, past=past)
    return naive.date() if naive is not None else None
