"""The personnummer rule where free text enters: refused in closed forums, held elsewhere.

`bot.common.privacy` decides whether a text looks like it holds a personnummer; this module
decides what follows. In a forum flagged *no free text about individuals* (or a group of one)
such a text is refused outright: the command's transaction is rolled back, so nothing is
stored, and the core records in the audit log only that a text was refused (who, when, which
forum, which field), never the text. Elsewhere the caller holds the text until its author
confirms it ("Skicka ändå"), and that confirmation is audited by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.privacy import forbids_personal_text, looks_like_personnummer
from bot.core.context import CommandError, Context
from storage.audit import Actor, record
from storage.models import Channel, ChannelBinding, Forum

# The audit action of a refusal; its row names the forum and the field, never the text.
REFUSED_ACTION = "privacy.refused"
_REFUSED_KEY = "personal_text.refused"


class PersonalTextRefused(CommandError):
    """A personnummer-like text in a closed forum: refused, and audited after the rollback."""

    def __init__(self, forum: Forum, field: str) -> None:
        super().__init__(_REFUSED_KEY, forum=forum.name)
        self.forum_key = forum.key
        self.field = field


def personal_field(fields: Mapping[str, str | None]) -> str | None:
    """The name of the first field whose text looks like it holds a personnummer."""
    return next(
        (name for name, text in fields.items() if text and looks_like_personnummer(text)), None
    )


async def closed_forum(session: AsyncSession, forums: Iterable[Forum | None]) -> Forum | None:
    """The first forum that allows no free text about individuals, itself or through its parent."""
    for forum in forums:
        if forum is None:
            continue
        parent = await session.get(Forum, forum.parent_id) if forum.parent_id else None
        if forbids_personal_text(forum, parent):
            return forum
    return None


async def forums_of_request(context: Context) -> list[Forum]:
    """The forums the asker's channel is bound to (none for a direct chat or an unbound one)."""
    ref = context.request.channel
    query = (
        select(Forum)
        .join(ChannelBinding, ChannelBinding.forum_id == Forum.id)
        .join(Channel, Channel.id == ChannelBinding.channel_id)
        .where(
            Channel.platform == ref.platform,
            Channel.workspace == ref.workspace,
            Channel.channel_id == ref.channel_id,
        )
    )
    return list((await context.session.scalars(query)).unique().all())


async def check(
    context: Context, fields: Mapping[str, str | None], forums: Iterable[Forum | None] = ()
) -> bool:
    """Whether a field looks like it holds a personnummer, so that the caller holds it.

    The forums named, and those of the asker's channel, are checked: in a closed one this
    raises `PersonalTextRefused` instead (no hold, no "Skicka ändå").
    """
    field = personal_field(fields)
    if field is None:
        return False
    closed = await closed_forum(context.session, [*forums, *await forums_of_request(context)])
    if closed is not None:
        raise PersonalTextRefused(closed, field)
    return True


async def refuse_if_closed(
    context: Context, fields: Mapping[str, str | None], forums: Iterable[Forum | None] = ()
) -> None:
    """For a confirmation ("Skicka ändå") that may have been altered on its way back: a text
    the closed forum refuses is refused again, whatever the button said."""
    await check(context, fields, forums)


def record_refusal(
    session: AsyncSession, actor: Actor, at: datetime, refusal: PersonalTextRefused
) -> None:
    """The audit row of a refusal: who, when, which forum and which field; never the text."""
    record(
        session,
        actor=actor,
        at=at,
        action=REFUSED_ACTION,
        entity_type="forum",
        entity_id=refusal.forum_key,
        after={"field": refusal.field},
    )
