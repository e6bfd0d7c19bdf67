"""A series' rhythm in words ("varannan tisdag kl. 13.30 till och med 30 juni 2027"), never the
RRULE it is stored as. The one place that turns a stored rule into a sentence, in both languages.
"""

from __future__ import annotations

import re
from datetime import date, time

from bot.common.i18n import Translator

_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_BYDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


def _parts(rule: str) -> dict[str, str]:
    fields = (item.split("=", 1) for item in rule.removeprefix("RRULE:").split(";") if "=" in item)
    return {key.upper(): value for key, value in fields}


def weekday_name(t: Translator, weekday: int) -> str:
    from babel.dates import get_day_names

    return str(get_day_names("wide", locale=t.language)[weekday])


def _every(t: Translator, interval: int, what: str) -> str:
    if interval in (1, 2, 3):
        return t(f"dates.rhythm.every_{interval}", what=what)
    return t("dates.rhythm.every_n", n=interval, what=what)


def rhythm_words(t: Translator, rule: str, at: time | None = None) -> str:
    """The rule as staff would say it (`at`: its time of day, when the rule does not say it);
    a rule of another shape is shown as it is stored."""
    from babel.dates import format_time

    parts = _parts(rule)
    interval = int(parts.get("INTERVAL", "1") or 1)
    byday = _BYDAY.match(parts.get("BYDAY", ""))
    if parts.get("FREQ") == "WEEKLY" and byday:
        head = _every(t, interval, weekday_name(t, _DAYS[byday.group(2)]))
    elif parts.get("FREQ") == "MONTHLY" and byday:
        ordinal = int(byday.group(1) or 1)
        key = "dates.rhythm.last" if ordinal < 0 else f"dates.rhythm.nth_{min(ordinal, 4)}"
        day = weekday_name(t, _DAYS[byday.group(2)])
        head = t("dates.rhythm.monthly_weekday", ordinal=t(key), day=day)
    elif parts.get("FREQ") == "MONTHLY" and parts.get("BYMONTHDAY", "").isdigit():
        head = t("dates.rhythm.monthly_day", day=int(parts["BYMONTHDAY"]))
    else:
        return rule
    if parts.get("BYHOUR", "").isdigit():
        at = time(int(parts["BYHOUR"]), int(parts.get("BYMINUTE", "0") or 0))
    if at is not None:
        head += " " + t(
            "dates.rhythm.at", time=format_time(at, t("dates.format.time"), locale=t.language)
        )
    until = parts.get("UNTIL", "")
    if re.match(r"^\d{8}", until):
        day_until = date(int(until[:4]), int(until[4:6]), int(until[6:8]))
        head += " " + t("dates.rhythm.until", date=t.date(day_until))
    elif parts.get("COUNT", "").isdigit():
        head += t("dates.rhythm.count", count=int(parts["COUNT"]))
    return head
