"""Digest section: the next dates of the yearly cycle and the agreement's days left."""

from __future__ import annotations

from bot.agreement.in_force import agreement_in_force, next_occurrence
from bot.core.reply import Section
from bot.digest.build import DigestContext, DigestSection

NEXT_EVENTS = 3


async def build(context: DigestContext) -> Section | None:
    t, today = context.t, context.today
    current, successor = await agreement_in_force(context.session, today)
    if current is None:
        return None
    items: list[str] = []
    days_left = (current.valid_to - today).days
    if days_left >= 0:
        key = "digest.cycle.days_left" if successor else "digest.cycle.days_left_no_successor"
        items.append(t(key, title=current.title, days=days_left, date=t.date(current.valid_to)))
    upcoming = sorted(
        ((next_occurrence(event, today), event) for event in current.cycle_events),
        key=lambda pair: pair[0],
    )
    for day, event in upcoming[: None if context.full else NEXT_EVENTS]:
        name = event.name_en if t.language == "en" else event.name_sv
        items.append(t("digest.cycle.event", date=t.date(day), name=name))
    return Section(t("digest.cycle.title"), items) if items else None


SECTION = DigestSection(order=50, build=build)
