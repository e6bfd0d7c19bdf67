"""Home tab section: how long the agreement has left, so the revision is not forgotten."""

from __future__ import annotations

from bot.agreement.in_force import agreement_in_force
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
    days = (agreement.valid_to - today).days
    if days < 0:
        line = t("home.agreement_expired", date=t.date(agreement.valid_to))
    else:
        line = t("home.agreement_days_left", days=days, date=t.date(agreement.valid_to))
    return [Section(t("home.agreement"), [line])]
