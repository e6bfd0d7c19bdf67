"""The agreement's rules for joint messages: its parties, who may approve, default targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.agreement.in_force import agreement_in_force
from storage.models import Agreement, Organization

DEFAULT_TARGETS = ["facebook", "instagram"]


@dataclass(frozen=True)
class DraftPolicy:
    parties: list[Organization]
    author_may_approve: bool
    default_targets: list[str]


async def current_agreement(session: AsyncSession, today: date) -> Agreement | None:
    """The agreement in force today, else the latest that was, else the first to come."""
    current, successor = await agreement_in_force(session, today)
    return current or successor


async def draft_policy(session: AsyncSession, today: date) -> DraftPolicy:
    """The current agreement's rules for drafts, as `samverkan seed` stored them."""
    agreement = await current_agreement(session, today)
    orgs = {o.key: o for o in (await session.scalars(select(Organization))).all()}
    party_keys = agreement.parties if agreement is not None else sorted(orgs)
    parties = [orgs[k] for k in party_keys if k in orgs]
    return DraftPolicy(
        parties=parties,
        author_may_approve=agreement.author_may_approve if agreement is not None else True,
        default_targets=(
            list(agreement.draft_targets)
            if agreement is not None and agreement.draft_targets
            else DEFAULT_TARGETS
        ),
    )


async def organisations(session: AsyncSession, keys: list[str]) -> list[Organization]:
    """The organisations of the given keys, in that order."""
    rows = {o.key: o for o in (await session.scalars(select(Organization))).all()}
    return [rows[k] for k in keys if k in rows]
