"""Who may read a forum's meetings, action items and reminders: the one rule every output uses.

A forum is *restricted* when it, or the forum its group belongs to, is need-to-know (its
meetings or its contacts) or allows no free text about individuals. A restricted forum's items
reach only its members (admins too, in their own direct messages) and the channels bound to
it. Everyone else — a general channel, the digest channel, an ICS feed, an export meant for
all — is `EVERYONE`, which sees no restricted item. Every output of a forum's items (digest
sections, lists and lookups, calendars, exports, scheduled sends, answers in a channel) asks
`ForumTree.shows(forum_id, audience)`; nothing repeats the rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.bindings import PURPOSE_FORUM
from bot.core.reply import Visibility
from bot.core.request import ChannelRef
from storage.models import Channel, Forum, ForumMember


class FlaggedForum(Protocol):
    """What the rule reads of a forum: a stored `Forum`, a cached `ForumView` or a row."""

    @property
    def id(self) -> int: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def no_personal_text(self) -> bool: ...
    @property
    def meetings_need_to_know(self) -> bool: ...
    @property
    def contacts_need_to_know(self) -> bool: ...


class Admin(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def is_admin(self) -> bool: ...


@dataclass(frozen=True)
class Audience:
    """Who will read an output: the forums they belong to (a person's memberships, or the
    forums a channel is bound to), and whether they are an admin reading privately."""

    forum_ids: frozenset[int] = frozenset()
    admin: bool = False


# A general channel, the digest channel, a calendar feed, an export for all.
EVERYONE = Audience()


@dataclass(frozen=True)
class _Row:
    id: int
    parent_id: int | None
    no_personal_text: bool
    meetings_need_to_know: bool
    contacts_need_to_know: bool


@dataclass(frozen=True)
class _Node:
    parent_id: int | None
    flagged: bool
    children: tuple[int, ...]


def _flagged(forum: FlaggedForum) -> bool:
    return bool(
        forum.no_personal_text or forum.meetings_need_to_know or forum.contacts_need_to_know
    )


class ForumTree:
    """Every forum's own flags and place (forum or group), enough to answer the rule in memory."""

    def __init__(self, forums: Iterable[FlaggedForum]) -> None:
        rows = list(forums)
        children: dict[int, list[int]] = {}
        for forum in rows:
            if forum.parent_id is not None:
                children.setdefault(forum.parent_id, []).append(forum.id)
        self._nodes = {
            f.id: _Node(f.parent_id, _flagged(f), tuple(children.get(f.id, ()))) for f in rows
        }

    def restricted(self, forum_id: int | None) -> bool:
        """Need-to-know or no free text, by its own flags or its parent forum's.

        A forum the tree does not know is treated as restricted: nothing leaks by mistake.
        """
        if forum_id is None:
            return False
        node = self._nodes.get(forum_id)
        if node is None:
            return True
        parent = self._nodes.get(node.parent_id) if node.parent_id is not None else None
        return node.flagged or (parent is not None and parent.flagged)

    def belongs(self, forum_id: int, forum_ids: frozenset[int] | set[int]) -> bool:
        """Member of the forum, of the forum its group belongs to, or of one of its groups."""
        node = self._nodes.get(forum_id)
        if node is None:
            return forum_id in forum_ids
        return (
            forum_id in forum_ids
            or node.parent_id in forum_ids
            or any(child in forum_ids for child in node.children)
        )

    def shows(self, forum_id: int | None, audience: Audience) -> bool:
        """May this audience see an item (meeting, action item, series) of this forum?"""
        if not self.restricted(forum_id):
            return True
        assert forum_id is not None  # an item without a forum is never restricted
        return audience.admin or self.belongs(forum_id, audience.forum_ids)


async def load_tree(session: AsyncSession) -> ForumTree:
    """The forums' flags in one query (a small table), for outputs without a forum index."""
    rows = await session.execute(
        select(
            Forum.id,
            Forum.parent_id,
            Forum.no_personal_text,
            Forum.meetings_need_to_know,
            Forum.contacts_need_to_know,
        )
    )
    return ForumTree(_Row(*row) for row in rows.all())


def person_audience(person: Admin | None, forum_ids: Iterable[int]) -> Audience:
    """A person reading privately (a direct message, the Home tab, an only-to-you answer)."""
    if person is None:
        return EVERYONE
    return Audience(frozenset(forum_ids), admin=person.is_admin)


async def audience_of_person(session: AsyncSession, person: Admin | None) -> Audience:
    if person is None:
        return EVERYONE
    rows = await session.scalars(
        select(ForumMember.forum_id).where(ForumMember.person_id == person.id)
    )
    return person_audience(person, rows.all())


def channel_audience(channel: Channel | None) -> Audience:
    """A channel reads as the forums it is bound to; admins in it do not widen it."""
    if channel is None:
        return EVERYONE
    bound = {
        b.forum_id
        for b in channel.bindings
        if b.purpose == PURPOSE_FORUM and b.forum_id is not None
    }
    return Audience(frozenset(bound))


async def recipient_sees(
    session: AsyncSession,
    forum_id: int | None,
    *,
    person: Admin | None = None,
    channel: Channel | None = None,
) -> bool:
    """For a scheduled send: may its recipient (a channel, else a person) see the forum's
    items now? Checked when it is sent, since a binding or membership may have changed."""
    tree = await load_tree(session)
    if not tree.restricted(forum_id):
        return True
    if channel is not None:
        audience = channel_audience(channel)
    else:
        audience = await audience_of_person(session, person)
    return tree.shows(forum_id, audience)


async def visibility_in(session: AsyncSession, ref: ChannelRef, forum_id: int | None) -> Visibility:
    """How an answer about a forum's item may be shown where it was asked: in the channel when
    its audience may see the forum's items (or it is the asker's own direct chat), otherwise
    only to the asker."""
    tree = await load_tree(session)
    if ref.is_direct or not tree.restricted(forum_id):
        return Visibility.CHANNEL
    channel = await session.scalar(
        select(Channel).where(
            Channel.platform == ref.platform,
            Channel.workspace == ref.workspace,
            Channel.channel_id == ref.channel_id,
        )
    )
    shown = channel is not None and tree.shows(forum_id, channel_audience(channel))
    return Visibility.CHANNEL if shown else Visibility.ONLY_TO_YOU
