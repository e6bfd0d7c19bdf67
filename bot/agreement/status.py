"""What to say about the agreement's standing: the renewal steps still missing, and, once it
has run out with nothing registered, that plainly — never that it is still in force."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.agreement.cycle import load_renewal
from bot.agreement.in_force import has_run_out
from bot.agreement.renewal import missing, steps
from bot.common.i18n import Translator
from storage.models import Agreement


async def missing_steps(
    session: AsyncSession, t: Translator, agreement: Agreement, successor: Agreement | None
) -> str:
    """`Brå:s förslag, beslut i kommunstyrelsen, …`: the steps not done, in order."""
    renewal = await load_renewal(session, agreement)
    names = [t(f"renewal.step_short.{step.key}") for step in missing(steps(renewal, successor))]
    return ", ".join(names)


async def run_out_note(
    session: AsyncSession,
    t: Translator,
    agreement: Agreement,
    successor: Agreement | None,
    today: date,
) -> str | None:
    """The plain statement that the agreement has run out and what is missing, or None."""
    if not has_run_out(agreement, successor, today):
        return None
    return t(
        "agreement.run_out",
        title=agreement.title,
        date=t.date(agreement.ends_on),
        missing=await missing_steps(session, t, agreement, successor),
    )
