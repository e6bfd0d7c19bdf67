"""Home tab section: how long the agreement has left, so the revision is not forgotten; once it
has run out with nothing registered, that it has, and what is missing."""

from __future__ import annotations

from bot.agreement.in_force import agreement_in_force
from bot.agreement.status import run_out_note
from bot.core.context import Context
from bot.core.reply import Section


async def agreement_days_left(context: Context) -> list[Section]:
    """How long the agreement has left, so the revision is not forgotten."""
    t = context.t
    today = context.now().astimezone(context.settings.tz).date()
    current, successor = await agreement_in_force(context.session, today)
    agreement = current or successor
    if agreement is None:
        return []
    note = await run_out_note(context.session, t, agreement, successor if current else None, today)
    days = (agreement.ends_on - today).days
    if note is not None:
        line = note
    elif days < 0:
        line = t("home.agreement_expired", date=t.date(agreement.ends_on))
    else:
        line = t("home.agreement_days_left", days=days, date=t.date(agreement.ends_on))
    return [Section(t("home.agreement"), [line])]
