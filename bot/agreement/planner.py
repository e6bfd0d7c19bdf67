"""The yearly cycle: reminders before each cycle event, and before the agreement's last day.

Cycle events go to the people with the event's responsible role; the end of the agreement
(90, 30 and 7 days before) to the Brå coordinator and the community police officer, who take
a new agreement to the municipal executive board and the Police Authority. Reminders fall on
a working morning: a date on a day off moves to the working day before.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.agreement.names import AGREEMENT_END_KIND, CYCLE_KIND
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.planning import PlanWindow
from bot.scheduler.workdays import local_moment, working_day_on_or_before
from storage.models import Agreement, CycleEvent, Person


def occurrences(event: CycleEvent, agreement: Agreement, years: range) -> list[date]:
    """The event's dates in the given years that fall within the agreement's validity."""
    found = []
    for year in years:
        day = min(event.day, 28) if event.month == 2 else event.day
        moment = date(year, event.month, day)
        if agreement.valid_from <= moment <= agreement.valid_to:
            found.append(moment)
    return found


async def people_with_roles(window: PlanWindow, roles: set[str]) -> list[Person]:
    people = (await window.session.scalars(select(Person).where(Person.active))).all()
    return [p for p in people if roles & set(p.roles or [])]


async def plan(window: PlanWindow) -> None:
    agreements = (
        await window.session.scalars(
            select(Agreement).options(selectinload(Agreement.cycle_events))
        )
    ).all()
    today = window.today()
    years = range(today.year, today.year + 2)
    settings = window.settings
    for agreement in agreements:
        for event in agreement.cycle_events:
            if not event.responsible_role:
                continue
            people = await people_with_roles(window, {event.responsible_role})
            for day in occurrences(event, agreement, years):
                for offset in settings.cycle_offsets_days:
                    await _remind(window, CYCLE_KIND, people, day, offset, agreement, event.key)
        end_people = await people_with_roles(window, set(settings.agreement_end_roles))
        for offset in settings.agreement_end_offsets_days:
            await _remind(
                window, AGREEMENT_END_KIND, end_people, agreement.valid_to, offset, agreement
            )


async def _remind(
    window: PlanWindow,
    kind: str,
    people: list[Person],
    day: date,
    offset: int,
    agreement: Agreement,
    event_key: str | None = None,
) -> None:
    send_on = working_day_on_or_before(day - timedelta(days=offset))
    due = local_moment(send_on, window.settings.morning, window.tz)
    if not window.covers(due):
        return
    payload = {"agreement": agreement.key, "date": day.isoformat(), "event": event_key}
    what = f"{event_key}:{day.isoformat()}" if event_key else day.isoformat()
    for person in people:
        await schedule(
            window.session,
            kind,
            due,
            payload,
            (Target.PERSON, person.id),
            f"{kind}:{agreement.key}:{what}:{offset}:{person.id}",
            window.now,
        )
