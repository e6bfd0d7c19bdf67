"""Plan the status requests before each tertial report and the nudges after it.

For each cycle point that asks for status (`status_request` in the agreement file), the owners
of the year's open commitments are asked REQUEST_LEAD_DAYS before the point (on a working
morning) and nudged on the first working morning after it if nothing was updated. A commitment
with its own date is nudged the working morning after that date. Points after the agreement's
end are planned while no successor is registered, under the agreement that ran out.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.agreement.cycle import covers
from bot.agreement.in_force import load_agreements, on_year, successor_of
from bot.followup.reminders import held_moment
from bot.promises.commitments import asked_on, of_years
from bot.promises.names import PROMISE_OVERDUE_KIND, STATUS_REQUEST_KIND
from bot.promises.words import CLOSED
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.planning import PlanWindow
from bot.scheduler.workdays import local_moment, working_day_on_or_after
from storage.models_lifecycle import Commitment

REQUEST = STATUS_REQUEST_KIND
NUDGE = PROMISE_OVERDUE_KIND


def _morning(window: PlanWindow, day: date) -> datetime:
    moment = local_moment(day, window.settings.morning, window.tz)
    return held_moment(moment, window.tz, window.settings)


async def plan(window: PlanWindow) -> None:
    agreements = await load_agreements(window.session)
    today = window.today()
    years = range(today.year - 1, today.year + 2)
    wanted: dict[int, list[tuple[str, date]]] = {}
    for agreement in agreements:
        successor = successor_of(agreements, agreement)
        for event in agreement.cycle_events:
            if event.status_request not in ("this_year", "last_year"):
                continue
            for year in years:
                day = on_year(event, year)
                if not covers(agreement, day, successor):
                    continue
                promise_year = year if event.status_request == "this_year" else year - 1
                wanted.setdefault(promise_year, []).append((event.key, day))
    items = await of_years(window.session, sorted({*wanted, today.year - 1, today.year}))
    for item in items:
        if item.owner_id is None or item.status in CLOSED:
            continue
        for key, day in wanted.get(item.document.year, []):
            await _ask(window, item, key, day)
        if item.due is not None:
            await _nudge(window, item, "due", item.due, working_day_on_or_after(item.due + _DAY))


_DAY = timedelta(days=1)


async def _ask(window: PlanWindow, item: Commitment, key: str, day: date) -> None:
    assert item.owner_id is not None
    due = _morning(window, asked_on(day))
    if window.covers(due):
        await schedule(
            window.session,
            REQUEST,
            due,
            {"commitment": item.id, "event": key, "date": day.isoformat()},
            (Target.PERSON, item.owner_id),
            f"{REQUEST}:{item.id}:{key}:{day.isoformat()}",
            window.now,
        )
    await _nudge(window, item, key, day, working_day_on_or_after(day + _DAY))


async def _nudge(window: PlanWindow, item: Commitment, why: str, day: date, send: date) -> None:
    assert item.owner_id is not None
    due = _morning(window, send)
    if not window.covers(due):
        return
    await schedule(
        window.session,
        NUDGE,
        due,
        {"commitment": item.id, "reason": why, "date": day.isoformat()},
        (Target.PERSON, item.owner_id),
        f"{NUDGE}:{item.id}:{why}:{day.isoformat()}",
        window.now,
    )
