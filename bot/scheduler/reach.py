"""Whether the bot can reach a person directly, and what waits until it can.

A reminder for someone the bot has no conversation with (a police guest who never wrote to the
bot, someone who only uses the terminal) must not vanish: its creator is told at once how to fix
it, and at send time the job waits, listed as "kan inte nå dig ännu", until a conversation
appears (`wake_waiting`, called where identities are linked) or the terminal shows it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.i18n import Translator
from bot.scheduler.jobs import Status, Target
from storage.models import Identity, Job, Person

# `last_error` of a job that waits for a conversation; `påminnelser` and `samverkan jobs` read it.
UNREACHABLE = "unreachable: no conversation with the person yet"
# How often a waiting job looks again, besides being woken when an identity is linked.
RETRY_UNREACHABLE = timedelta(minutes=15)
# Platforms on which the bot opens a 1:1 chat by itself from the account id alone (Slack's
# `conversations.open`); elsewhere (Teams) it needs the reference of a chat the person began.
OPENS_DIRECT_CHAT = frozenset({"slack"})


async def reachable(session: AsyncSession, person_id: int) -> bool:
    """A stored 1:1 conversation, or an account where the bot may open one itself.

    Read in Python: a JSON column stores an absent reference as JSON `null`, not SQL NULL."""
    identities = await session.scalars(select(Identity).where(Identity.person_id == person_id))
    return any(i.direct_conversation or i.platform in OPENS_DIRECT_CHAT for i in identities)


async def reach_warning(
    session: AsyncSession, t: Translator, person: Person, asker: Person | None
) -> str | None:
    """The line the creator of a reminder, action item or nudge sees when `person` is out of
    reach, saying how to fix it; None when the bot can reach them."""
    if await reachable(session, person.id):
        return None
    if asker is not None and asker.id == person.id:
        return t("people.unreachable.self")
    return t("people.unreachable.other", name=person.name, first=person.name.split()[0])


def is_waiting(job: Job) -> bool:
    return job.last_error == UNREACHABLE


async def wake_waiting(session: AsyncSession, person_id: int) -> None:
    """A conversation appeared: the person's waiting jobs are tried in the next round."""
    await session.execute(
        update(Job)
        .where(
            Job.target_kind == Target.PERSON.value,
            Job.target_id == person_id,
            Job.status == Status.PENDING.value,
            Job.last_error == UNREACHABLE,
        )
        .values(claimed_until=None)
    )


def wait_for_conversation(job: Job, now: datetime) -> None:
    """Keep the job pending, marked as waiting, and look again later."""
    job.status = Status.PENDING.value
    job.claimed_by = None
    job.claimed_until = now + RETRY_UNREACHABLE
    job.last_error = UNREACHABLE
