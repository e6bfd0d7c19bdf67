"""`årshjul [år]` / `cycle [year]`: the year's cycle points with date, who is responsible and a
state (kommande, klar, försenad), what the agreement itself says apart from the local plan;
`årshjul klar <punkt> [kommentar]` / `cycle done …` ticks one off (its responsible role or an
admin). The decisions on a new agreement are ticked off by `förnyelse beslut …`.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from bot.agreement.cycle import AGREEMENT, DECISIONS, find_event, load_state, year_to_tick
from bot.agreement.cycle_view import point_line, quote_line
from bot.agreement.in_force import load_agreements, on_year, successor_of
from bot.agreement.names import CYCLE_DONE_ROUTE
from bot.common.privacy import looks_like_personnummer
from bot.common.text import fold, split_first
from bot.core.context import CommandError, Context
from bot.core.registry import ButtonRoute, Command, Param
from bot.core.reply import Reply, Section, Visibility
from bot.promises.scope import agreement_on, local_today
from storage.models import Agreement, Person
from storage.models_lifecycle import CycleCheck

_DONE = ("klar", "klart", "done")
_YEAR = re.compile(r"^20\d\d$")
MAX_COMMENT = 500


async def _people(context: Context) -> list[Person]:
    return list((await context.session.scalars(select(Person).where(Person.active))).all())


async def _agreement_for(context: Context, year: int) -> tuple[Agreement, Agreement | None]:
    agreements = await load_agreements(context.session)
    today = local_today(context.now(), context.settings.tz)
    agreement = agreement_on(agreements, today if year == today.year else date(year, 7, 1))
    if agreement is None:
        raise CommandError("agreement.none")
    return agreement, successor_of(agreements, agreement)


async def run(context: Context, args: dict[str, str]) -> Reply:
    raw = args.get("what", "").strip()
    head, rest = split_first(raw)
    if fold(head) in _DONE:
        return await _tick(context, rest)
    today = local_today(context.now(), context.settings.tz)
    if raw and not _YEAR.match(raw):
        raise CommandError("cycle.error.usage")
    year = int(raw) if raw else today.year
    agreement, successor = await _agreement_for(context, year)
    state = await load_state(context.session, agreement, successor)
    found = state.points(year, today)
    if not found:
        raise CommandError("cycle.error.no_points", year=year)
    t, people = context.t, await _people(context)
    own: list[str] = []
    for point in (p for p in found if p.source == AGREEMENT):
        own.append(point_line(t, point, people))
        quote = quote_line(t, point)
        if quote:
            own.append(quote)
    local = [point_line(t, p, people) for p in found if p.source != AGREEMENT]
    sections = [Section(t("cycle.from_agreement"), own), Section(t("cycle.local_plan"), local)]
    return Reply(
        heading=t("cycle.heading_year", year=year, title=agreement.title),
        sections=[s for s in sections if s.items],
        context=t("cycle.footer"),
        visibility=Visibility.ONLY_TO_YOU,
    )


async def _tick(context: Context, rest: str) -> Reply:
    person = context.require_person()
    today = local_today(context.now(), context.settings.tz)
    agreement, successor = await _agreement_for(context, today.year)
    words, comment = _split_comment(agreement, rest)
    if fold(words) in (fold(DECISIONS), "beslut"):
        raise CommandError("cycle.error.decisions_by_renewal")
    event = find_event(agreement, words)
    if event is None:
        raise CommandError("cycle.error.unknown_point", point=words[:60])
    return await tick(context, person, agreement, successor, event.key, comment, None)


def _split_comment(agreement: Agreement, rest: str) -> tuple[str, str | None]:
    """The longest run of leading words that names a point; the rest is the comment."""
    words = rest.split()
    for count in range(len(words), 0, -1):
        if find_event(agreement, " ".join(words[:count])) is not None:
            return " ".join(words[:count]), " ".join(words[count:]) or None
    return rest, None


async def tick(
    context: Context,
    person: Person,
    agreement: Agreement,
    successor: Agreement | None,
    key: str,
    comment: str | None,
    year: int | None,
) -> Reply:
    t = context.t
    event = next((e for e in agreement.cycle_events if e.key == key), None)
    if event is None:
        raise CommandError("cycle.error.unknown_point", point=key[:60])
    if not (
        person.is_admin or (event.responsible_role and person.has_role(event.responsible_role))
    ):
        role = t(f"role.person.{event.responsible_role}") if event.responsible_role else "–"
        raise CommandError("cycle.error.not_responsible", role=role)
    if comment and len(comment) > MAX_COMMENT:
        raise CommandError("promises.error.too_long", limit=MAX_COMMENT)
    if comment and looks_like_personnummer(comment):
        raise CommandError("promises.error.personnummer")
    today = local_today(context.now(), context.settings.tz)
    state = await load_state(context.session, agreement, successor)
    year = year if year is not None else year_to_tick(state, event, today)
    earlier = state.checks.get((event.key, year)) if year is not None else None
    if year is None or earlier is not None:
        name = event.name_en if t.language == "en" else event.name_sv
        raise CommandError("cycle.error.already_done", name=name)
    check = CycleCheck(
        agreement_id=agreement.id,
        point=event.key,
        year=year,
        done_on=today,
        done_by_id=person.id,
        comment=comment,
        at=context.now(),
    )
    context.session.add(check)
    await context.session.flush()
    context.audit(
        "cycle.done",
        "cycle_check",
        f"{agreement.key}/{event.key}/{year}",
        None,
        {"done_on": today.isoformat(), "comment": comment},
    )
    name = event.name_en if t.language == "en" else event.name_sv
    return Reply(
        text=t("cycle.ticked", name=name, date=t.date(on_year(event, year)), year=year),
        visibility=Visibility.ONLY_TO_YOU,
    )


async def press_done(context: Context, payload: dict[str, object]) -> Reply:
    """The button on an overdue reminder: tick that point of that year off."""
    person = context.require_person()
    agreements = await load_agreements(context.session)
    agreement = next((a for a in agreements if a.key == payload.get("agreement")), None)
    if agreement is None:
        raise CommandError("error.unknown_action")
    try:
        year = int(str(payload["year"]))
    except (KeyError, ValueError):
        raise CommandError("error.unknown_action") from None
    successor = successor_of(agreements, agreement)
    return await tick(context, person, agreement, successor, str(payload.get("point")), None, year)


COMMAND = Command(
    key="cycle",
    names_sv=("årshjul", "årshjulet"),
    names_en=("cycle", "yearly cycle"),
    handler=run,
    params=(Param("what", required=False, greedy=True),),
)
ROUTES = [ButtonRoute(CYCLE_DONE_ROUTE, press_done)]
