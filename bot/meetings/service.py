"""Forum meetings: who may see and schedule them, the meeting card, and where it is posted.

Meetings of restricted forums (need-to-know or no free text: inspections, the exit programme,
Spindel) are shown only to the forum's members and admins, and their cards go only to the
forum's own bound channel; every list and lookup here applies the one rule of
`bot.channels.audience`, so a command cannot forget it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.audience import Audience, ForumTree, person_audience
from bot.channels.bindings import PURPOSE_FORUM, channels_bound_to
from bot.channels.cards import posted_copies
from bot.common.config import Settings
from bot.common.i18n import Translator
from bot.common.ids import IdKind, parse_typed_id
from bot.common.privacy import forbids_personal_text
from bot.core.context import CommandError, Context, Outgoing
from bot.core.reply import Button, ButtonStyle, FieldItem, Reply, Section, Visibility
from bot.directory.forums import (
    ForumIndex,
    forum_name,
    load_forum_index,
    memberships_of,
)
from bot.drafts.publish import channel_translator
from bot.meetings.names import ATTEND_ROUTE, ATTENDANCE_FORM_ROUTE, RSVP_ROUTE
from storage.models import (
    Attendance,
    Forum,
    ForumMember,
    Meeting,
    Organization,
    Rsvp,
)

ATTENDANCE_OPENS = timedelta(minutes=30)
ENTITY = "meeting"
SCHEDULED = "scheduled"
CANCELLED = "cancelled"
KEEPERS = ("chair", "secretary")


def root_of(forum: Forum, index: ForumIndex[Forum]) -> Forum:
    """The top-level forum of a group, or the forum itself."""
    if forum.parent_id is None:
        return forum
    return index.by_id(forum.parent_id) or forum


def expected_orgs(forum: Forum, index: ForumIndex[Forum]) -> list[str]:
    """The organisations expected at a meeting; a group inherits its forum's."""
    return list(forum.expected_orgs or root_of(forum, index).expected_orgs or [])


def no_personal_text(forum: Forum, index: ForumIndex[Forum]) -> bool:
    return forbids_personal_text(forum, root_of(forum, index))


def with_groups(forum: Forum) -> list[int]:
    """A forum's id and its groups' ids: a forum's meetings include its groups' meetings."""
    return [forum.id, *(group.id for group in forum.groups)]


@dataclass
class Viewer:
    """The asker's view of the forums: loaded once, then every check is in memory."""

    context: Context
    index: ForumIndex[Forum]
    forum_ids: set[int]
    tree: ForumTree

    @classmethod
    async def load(cls, context: Context) -> Viewer:
        index = await load_forum_index(context.session)
        forum_ids = await memberships_of(context.session, context.person)
        return cls(context, index, forum_ids, ForumTree(index.forums))

    @property
    def audience(self) -> Audience:
        """The asker reading privately (every meeting answer is only to them)."""
        return person_audience(self.context.person, self.forum_ids)

    def sees(self, forum: Forum) -> bool:
        """The audience rule, applied to the meeting's forum (and so to the forum above it)."""
        return self.tree.shows(forum.id, self.audience)

    def belongs(self, forum: Forum) -> bool:
        """Member of the forum, its parent or one of its groups, or an admin."""
        return self.audience.admin or self.tree.belongs(forum.id, self.forum_ids)

    def forum_asked_for(self, wanted: str) -> Forum:
        """The forum a typed name means, if the asker may see its meetings; otherwise a
        refusal that lists the forums (unknown name) or says it is for members only."""
        forum = self.index.match(wanted)
        if forum is None:
            raise CommandError("meeting.unknown_forum", forums=self.forum_list())
        if not self.sees(forum):
            language = self.context.language
            raise CommandError("meetings.not_member", forum=forum_name(forum, language))
        return forum

    def forum_list(self) -> str:
        """Every forum and group name, for an unknown forum."""
        language = self.context.language
        lines = []
        for forum in self.index.top_level():
            groups = ", ".join(forum_name(g, language) for g in forum.groups)
            name = f"{forum_name(forum, language)} (`{forum.key}`)"
            lines.append(f"{name}: {groups}" if groups else name)
        return "\n".join(f"• {line}" for line in lines)


async def visible_meeting(viewer: Viewer, token: str) -> Meeting:
    """The meeting a typed id names, if the asker may see it; otherwise one refusal for both.

    A need-to-know meeting and a missing one get the same answer, so an outsider cannot learn
    that it exists.
    """
    typed = parse_typed_id(token or "", IdKind.MEETING)
    if typed is None:
        raise CommandError("meeting.bad_id", text=(token or "")[:20])
    meeting = await viewer.context.session.get(Meeting, typed.number)
    if meeting is None or not viewer.sees(meeting.forum):
        raise CommandError("meeting.not_found", id=str(typed))
    return meeting


def meeting_id(meeting: Meeting) -> str:
    return f"{IdKind.MEETING.value}{meeting.id}"


async def upcoming(
    session: AsyncSession, forum_ids: Iterable[int] | None, now: datetime, limit: int = 50
) -> list[Meeting]:
    query = (
        select(Meeting)
        .where(Meeting.status == SCHEDULED, Meeting.starts_at >= now)
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    )
    if forum_ids is not None:
        query = query.where(Meeting.forum_id.in_(list(forum_ids)))
    return list((await session.scalars(query)).unique().all())


async def next_meeting(session: AsyncSession, forum_id: int, now: datetime) -> Meeting | None:
    """The forum's (or its groups') next scheduled meeting; for the `forum` command's line.

    The caller applies visibility (`Viewer.sees`) as for any meeting.
    """
    group_ids = select(Forum.id).where(Forum.parent_id == forum_id)
    query = (
        select(Meeting)
        .where(
            Meeting.status == SCHEDULED,
            Meeting.starts_at >= now,
            (Meeting.forum_id == forum_id) | Meeting.forum_id.in_(group_ids),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(1)
    )
    return await session.scalar(query)


async def next_meetings(session: AsyncSession, now: datetime) -> dict[int, Meeting]:
    """Each forum row's next scheduled meeting, in one query (for the `forum` overview)."""
    first = (
        select(Meeting.forum_id, func.min(Meeting.starts_at).label("first"))
        .where(Meeting.status == SCHEDULED, Meeting.starts_at >= now)
        .group_by(Meeting.forum_id)
        .subquery()
    )
    query = (
        select(Meeting)
        .join(
            first,
            (Meeting.forum_id == first.c.forum_id) & (Meeting.starts_at == first.c.first),
        )
        .where(Meeting.status == SCHEDULED)
        .order_by(Meeting.id)
    )
    found: dict[int, Meeting] = {}
    for meeting in (await session.scalars(query)).unique().all():
        found.setdefault(meeting.forum_id, meeting)
    return found


async def reminder_recipients(session: AsyncSession, meeting_pk: int) -> list[int]:
    """Person ids who answered "Jag kommer": they get the reminder an hour before."""
    rows = await session.scalars(
        select(Rsvp.person_id).where(Rsvp.meeting_id == meeting_pk, Rsvp.coming)
    )
    return sorted(rows.all())


async def attendance_by_meeting(
    session: AsyncSession, meeting_ids: list[int]
) -> dict[int, list[Attendance]]:
    if not meeting_ids:
        return {}
    rows = await session.scalars(select(Attendance).where(Attendance.meeting_id.in_(meeting_ids)))
    found: dict[int, list[Attendance]] = defaultdict(list)
    for row in rows.unique().all():
        found[row.meeting_id].append(row)
    return found


async def organisations(session: AsyncSession) -> dict[int, Organization]:
    return {o.id: o for o in (await session.scalars(select(Organization))).all()}


async def rsvp_counts(session: AsyncSession, meeting: Meeting) -> tuple[int, int]:
    rows = (await session.scalars(select(Rsvp).where(Rsvp.meeting_id == meeting.id))).all()
    return sum(1 for r in rows if r.coming), sum(1 for r in rows if not r.coming)


async def keeper_of(session: AsyncSession, person_id: int, forum: Forum) -> bool:
    """Chair or secretary of the meeting's forum or of the forum the group belongs to."""
    forum_ids = [forum.id] + ([forum.parent_id] if forum.parent_id else [])
    role = await session.scalar(
        select(ForumMember.role).where(
            ForumMember.person_id == person_id,
            ForumMember.forum_id.in_(forum_ids),
            ForumMember.role.in_(KEEPERS),
        )
    )
    return role is not None


def feed_key(secret: str, forum_key: str) -> str:
    """The per-forum calendar key: derived, so no key is ever stored."""
    digest = hmac.new(secret.encode(), f"calendar:{forum_key}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def feed_url(settings: Settings, forum: Forum) -> str | None:
    if not settings.calendar_secret:
        return None
    key = feed_key(settings.calendar_secret, forum.key)
    base = settings.public_url.rstrip("/")
    return f"{base}/calendar/{quote(forum.key)}.ics?key={key}"


@dataclass
class CardData:
    meeting: Meeting
    index: ForumIndex[Forum]
    attendees: list[Attendance]
    orgs: dict[int, Organization]
    coming: int = 0
    not_coming: int = 0


def card(t: Translator, settings: Settings, data: CardData) -> Reply:
    """The meeting card: forum, group, time, place, expected parties, attendance, buttons."""
    meeting, index = data.meeting, data.index
    forum = meeting.forum
    root = root_of(forum, index)
    by_key = {o.key: o for o in data.orgs.values()}
    expected = [by_key[k].short_name for k in expected_orgs(forum, index) if k in by_key]
    fields = [FieldItem(t("meeting.field.forum"), forum_name(root, t.language))]
    if forum.parent_id is not None:
        fields.append(FieldItem(t("meeting.field.group"), forum_name(forum, t.language)))
    fields.append(FieldItem(t("meeting.field.time"), t.datetime(meeting.starts_at)))
    fields.append(FieldItem(t("meeting.field.place"), meeting.place or t("meeting.no_place")))
    fields.append(FieldItem(t("meeting.field.expected"), ", ".join(expected) or "–"))
    sections = attendance_sections(t, data.attendees, data.orgs)
    cancelled = meeting.status == CANCELLED
    heading_key = "meeting.card.cancelled" if cancelled else "meeting.card.heading"
    notes: list[str] = []
    if no_personal_text(forum, index):
        notes.append(t("meeting.no_personal_text"))
    if data.coming or data.not_coming:
        notes.append(t("meeting.rsvp_counts", coming=data.coming, not_coming=data.not_coming))
    url = None if ForumTree(index.forums).restricted(forum.id) else feed_url(settings, root)
    if url:
        notes.append(t("meeting.feed", url=url))
    payload = {"meeting": meeting.id}
    ref = meeting_id(meeting)  # named for screen readers: several meetings' cards share a channel
    buttons = (
        []
        if cancelled
        else [
            Button(
                t("meeting.button.coming"),
                RSVP_ROUTE,
                {**payload, "coming": True},
                accessible_label=t("meeting.named.coming", id=ref),
            ),
            Button(
                t("meeting.button.not_coming"),
                RSVP_ROUTE,
                {**payload, "coming": False},
                accessible_label=t("meeting.named.not_coming", id=ref),
            ),
            Button(
                t("meeting.button.attend"),
                ATTEND_ROUTE,
                payload,
                ButtonStyle.PRIMARY,
                t("meeting.named.attend", id=ref),
            ),
            # For the forum's chair and secretary (and admins): several people at once.
            Button(
                t("meeting.button.attend_many"),
                ATTENDANCE_FORM_ROUTE,
                payload,
                accessible_label=t("meeting.named.attend_many", id=ref),
            ),
        ]
    )
    return Reply(
        heading=t(heading_key, id=meeting_id(meeting), forum=forum_name(forum, t.language)),
        fields=fields,
        sections=sections,
        buttons=buttons,
        context="\n".join(notes) or None,
    )


def attendance_sections(
    t: Translator, attendees: list[Attendance], orgs: dict[int, Organization]
) -> list[Section]:
    """Who attended, per organisation: name and role, nothing else."""
    by_org: dict[int, list[str]] = defaultdict(list)
    for row in attendees:
        role = t(f"meeting.role.{row.role}") if row.role else ""
        label = row.person.name + (
            f" ({role})" if role and role != f"meeting.role.{row.role}" else ""
        )
        by_org[row.organization_id].append(label)
    sections = []
    for org_id in sorted(by_org, key=lambda i: orgs[i].short_name if i in orgs else ""):
        title = t("meeting.present_from", org=orgs[org_id].short_name if org_id in orgs else "?")
        sections.append(Section(title, sorted(by_org[org_id])))
    return sections


async def card_for(context: Context, meeting: Meeting, index: ForumIndex[Forum]) -> Reply:
    session = context.session
    attendees = (await attendance_by_meeting(session, [meeting.id])).get(meeting.id, [])
    coming, not_coming = await rsvp_counts(session, meeting)
    data = CardData(meeting, index, attendees, await organisations(session), coming, not_coming)
    # The card is shared by everyone in the channel: drawn in the bot's language, never in
    # the language of whoever clicked last.
    return card(channel_translator(context), context.settings, data)


def card_key(meeting: Meeting) -> str:
    """The tracked-card name of a meeting's card (see bot/cards.py)."""
    return f"{ENTITY}:{meeting.id}"


async def next_revision(session: AsyncSession, meeting: Meeting) -> int:
    """Bump the card's revision in the database, before the card is drawn.

    The increment locks the meeting row until commit, so two concurrent changes get distinct,
    ordered revisions and the later one draws a card that already includes the earlier one.
    """
    revision = await session.scalar(
        update(Meeting)
        .where(Meeting.id == meeting.id)
        .values(card_revision=Meeting.card_revision + 1)
        .returning(Meeting.card_revision)
    )
    return int(revision or 0)


async def post_card(context: Context, meeting: Meeting, index: ForumIndex[Forum]) -> int:
    """Queue the card for the forum's own bound channels; returns how many."""
    session = context.session
    channels = await channels_bound_to(session, PURPOSE_FORUM, meeting.forum_id)
    if not channels and meeting.forum.parent_id is not None:
        channels = await channels_bound_to(session, PURPOSE_FORUM, meeting.forum.parent_id)
    if not channels:
        return 0
    revision = await next_revision(session, meeting)
    reply = await card_for(context, meeting, index)
    for channel in channels:
        context.queue(Outgoing(channel, reply, card=card_key(meeting), revision=revision))
    return len(channels)


async def refresh_cards(context: Context, meeting: Meeting, index: ForumIndex[Forum]) -> None:
    """Queue an in-place update of every copy of the card, on every platform."""
    copies = await posted_copies(context.session, card_key(meeting))
    if not copies:
        return
    revision = await next_revision(context.session, meeting)
    reply = await card_for(context, meeting, index)
    for copy in copies:
        context.queue(
            Outgoing(
                copy.channel,
                reply,
                card=card_key(meeting),
                revision=revision,
                message_id=copy.message_id,
            )
        )


def private(text: str) -> Reply:
    return Reply(text=text, visibility=Visibility.ONLY_TO_YOU)
