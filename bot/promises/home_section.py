"""Home tab section: my open commitments of the citizen promises, the overdue ones said so."""

from __future__ import annotations

from sqlalchemy import select

from bot.agreement.in_force import load_agreements
from bot.core.context import Context
from bot.core.reply import Section
from bot.promises.commitments import overdue
from bot.promises.render import line, overdue_line
from bot.promises.words import CLOSED
from storage.models import Organization
from storage.models_lifecycle import Commitment


async def my_commitments(context: Context) -> list[Section]:
    """The asker's open commitments, overdue first; nothing when they own none."""
    t, person = context.t, context.require_person()
    mine = [
        item
        for item in (
            await context.session.scalars(
                select(Commitment).where(Commitment.owner_id == person.id).order_by(Commitment.id)
            )
        )
        .unique()
        .all()
        if item.status not in CLOSED
    ]
    if not mine:
        return []
    orgs = {o.key: o for o in (await context.session.scalars(select(Organization))).all()}
    agreements = {a.id: a for a in await load_agreements(context.session)}
    tz = context.settings.tz
    today = context.now().astimezone(tz).date()
    late = {}
    for item in mine:
        found = overdue(item, agreements[item.agreement_id], today, tz)
        if found is not None:
            late[item.id] = overdue_line(t, found)
    lines = [late[i.id] for i in mine if i.id in late]
    lines += [line(t, i, orgs) for i in mine if i.id not in late]
    return [Section(t("home.my_commitments"), lines)]
