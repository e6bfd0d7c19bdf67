"""Nudges for pending co-signatures, for the reminders scheduler to send.

A party that has not approved the current version within the configured working time
(default 24 working hours) is reminded through its signers. Each nudge has a dedupe key, so
scheduling it twice is harmless, and a new version or an approval makes it moot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.i18n import Translator
from bot.common.working_time import add_working_time
from bot.core.reply import Reply, Visibility
from bot.drafts.card import approve_buttons, title_of
from bot.drafts.policy import organisations
from bot.drafts.service import PENDING, SEND_ANYWAY, approvals_by_org, current, draft_ref
from bot.scheduler.reach import reachable
from storage.models import Draft, Organization, Person

NUDGE_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class Waiting:
    draft: Draft
    organisation: Organization
    since: datetime
    due: datetime

    @property
    def dedupe_key(self) -> str:
        return f"draft-nudge:{self.draft.id}:v{self.draft.current_version}:{self.organisation.key}"


def waiting_since(draft: Draft) -> datetime:
    """When the current version was put before the parties (created, or confirmed after a hold)."""
    moments = [current(draft).created_at]
    moments += [
        d.at
        for d in draft.decisions
        if d.decision == SEND_ANYWAY and d.version == draft.current_version
    ]
    return max(moments)


async def pending_parties(
    session: AsyncSession, tz: ZoneInfo, after: timedelta = NUDGE_AFTER
) -> list[Waiting]:
    """Every (draft, party) still to approve, with when its nudge falls due."""
    drafts = (await session.scalars(select(Draft).where(Draft.state == PENDING))).unique().all()
    found: list[Waiting] = []
    for draft in drafts:
        since = waiting_since(draft)
        due = add_working_time(since, after, tz)
        approved = approvals_by_org(draft, draft.current_version)
        for org in await organisations(session, draft.parties):
            if org.id not in approved:
                found.append(Waiting(draft, org, since, due))
    return found


async def signers_of(session: AsyncSession, organisation: Organization) -> list[Person]:
    people = (
        await session.scalars(
            select(Person)
            .where(Person.organization_id == organisation.id, Person.active)
            .order_by(Person.name)
        )
    ).all()
    return [p for p in people if p.has_role("signer")]


def nudge_reply(t: Translator, waiting: Waiting) -> Reply:
    """The direct message to a signer: which draft waits for their organisation, since when."""
    draft = waiting.draft
    return Reply(
        text=t(
            "drafts.nudge",
            id=draft_ref(draft),
            title=title_of(t, draft),
            org=waiting.organisation.short_name,
            since=t.datetime(waiting.since),
        ),
        buttons=list(approve_buttons(t, draft)),
        visibility=Visibility.ONLY_TO_YOU,
    )


async def unreachable_signers(session: AsyncSession, draft: Draft) -> list[Person]:
    """Signers of the draft's parties whom a nudge could not reach yet: no chat with the bot
    on any platform (`bot.scheduler.reach`), so the author can ask them to write once."""
    found = []
    for org in await organisations(session, draft.parties):
        for signer in await signers_of(session, org):
            if not await reachable(session, signer.id):
                found.append(signer)
    return found
