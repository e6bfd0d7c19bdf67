"""The yearly cycle: reminders before each cycle point, after an overdue one, and before the
agreement's last day.

Cycle points go to the people with the point's responsible role: before the date (the offsets
of SAMVERKAN_JOBS_CYCLE_OFFSETS_DAYS) and, while it is not ticked off, on the first working
morning after it and weekly after that (OVERDUE_NUDGES times). They go on after the agreement's
end for as long as no successor is registered, under the agreement that ran out; a successor
takes over with its own copy of the plan. The end of the agreement (90, 30 and 7 days before
it, or an extension's end) goes to the Brå coordinator and the community police officer, who
take a new agreement to the municipal executive board and the Police Authority. Reminders fall
on a working morning: a date on a day off moves to the working day before (after, for nudges).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.agreement.cycle import covers, load_checks
from bot.agreement.in_force import load_agreements, on_year, successor_of
from bot.agreement.names import AGREEMENT_END_KIND, CYCLE_KIND, CYCLE_OVERDUE_KIND
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.planning import PlanWindow
from bot.scheduler.workdays import local_moment, working_day_on_or_after, working_day_on_or_before
from storage.models import Agreement, CycleEvent, Person

OVERDUE_NUDGES = 4


def occurrences(
    event: CycleEvent, agreement: Agreement, years: range, successor: Agreement | None
) -> list[date]:
    """The event's dates in the given years that belong to the agreement's cycle."""
    return [day for year in years if covers(agreement, day := on_year(event, year), successor)]


async def people_with_roles(window: PlanWindow, roles: set[str]) -> list[Person]:
    people = (await window.session.scalars(select(Person).where(Person.active))).all()
    return [p for p in people if roles & set(p.roles or [])]


async def plan(window: PlanWindow) -> None:
    agreements = await load_agreements(window.session)
    today = window.today()
    years = range(today.year - 1, today.year + 2)
    settings = window.settings
    checks = await load_checks(window.session, [a.id for a in agreements])
    for agreement in agreements:
        successor = successor_of(agreements, agreement)
        for event in agreement.cycle_events:
            if not event.responsible_role:
                continue
            people = await people_with_roles(window, {event.responsible_role})
            for day in occurrences(event, agreement, years, successor):
                if (event.key, day.year) in checks[agreement.id]:
                    continue
                for offset in settings.cycle_offsets_days:
                    send_on = working_day_on_or_before(day - timedelta(days=offset))
                    await _remind(
                        window, CYCLE_KIND, people, day, send_on, offset, agreement, event
                    )
                for nudge in range(OVERDUE_NUDGES):
                    send_on = working_day_on_or_after(day + timedelta(days=1 + 7 * nudge))
                    await _remind(
                        window, CYCLE_OVERDUE_KIND, people, day, send_on, nudge, agreement, event
                    )
        if successor is not None:
            continue  # the next agreement is registered: nothing to remind of at this end
        end_people = await people_with_roles(window, set(settings.agreement_end_roles))
        end = agreement.ends_on
        for offset in settings.agreement_end_offsets_days:
            send_on = working_day_on_or_before(end - timedelta(days=offset))
            await _remind(window, AGREEMENT_END_KIND, end_people, end, send_on, offset, agreement)


async def _remind(
    window: PlanWindow,
    kind: str,
    people: list[Person],
    day: date,
    send_on: date,
    offset: int,
    agreement: Agreement,
    event: CycleEvent | None = None,
) -> None:
    due = local_moment(send_on, window.settings.morning, window.tz)
    if not window.covers(due):
        return
    key = event.key if event else None
    payload = {"agreement": agreement.key, "date": day.isoformat(), "event": key}
    what = f"{key}:{day.isoformat()}" if key else day.isoformat()
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
