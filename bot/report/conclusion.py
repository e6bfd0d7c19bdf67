"""Brå's conclusion of a year's follow-up: revise the agreement or not, and why; audited."""

from __future__ import annotations

from bot.agreement.in_force import agreement_in_force
from bot.core.context import Context
from storage.models import Person
from storage.models_report import FollowupConclusion

ROLE = "bra_coordinator"


def may_conclude(person: Person) -> bool:
    return person.is_admin or person.has_role(ROLE)


async def record(context: Context, year: int, revise: bool, motivation: str) -> FollowupConclusion:
    person = context.require_person()
    today = context.now().astimezone(context.settings.tz).date()
    current, upcoming = await agreement_in_force(context.session, today)
    agreement = current or upcoming
    row = FollowupConclusion(
        agreement_id=agreement.id if agreement else None,
        year=year,
        revise=revise,
        motivation=motivation,
        decided_by_id=person.id,
        platform=context.request.user.platform,
        at=context.now(),
    )
    context.session.add(row)
    await context.session.flush()
    context.audit(
        "followup.conclusion",
        "followup_conclusion",
        row.id,
        after={"year": year, "revise": revise, "motivation": motivation},
    )
    return row
