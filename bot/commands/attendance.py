"""`närvaro <möte> [personer…]` / `attendance <meeting> [people…]`: who was present.

Without names it registers the sender. The forum's chair or secretary (and admins) can
register others, by name or platform mention, and remove a wrong entry (`ta bort` / `remove`);
both are audited. A person is registered once per meeting however often anyone clicks or a
platform retries. Attendance is staff, organisation and role only: there is no notes field.
"""

from __future__ import annotations

import re
from datetime import datetime

from rapidfuzz import fuzz, process
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import CommandError, Context
from bot.directory import forum_name
from bot.meetings import (
    ATTENDANCE_OPENS,
    CANCELLED,
    Viewer,
    expected_orgs,
    keeper_of,
    meeting_id,
    private,
    refresh_cards,
    visible_meeting,
)
from bot.registry import ActionRoute, Command, Param
from bot.reply import Reply
from bot.text import fold
from storage.models import Attendance, ForumMember, Identity, Meeting, Person

_SLACK_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_TEAMS_MENTION = re.compile(r"<at>([^<]+)</at>")
_SEPARATORS = re.compile(r"\s*(?:,|;|\boch\b|\band\b|\n)\s*", re.IGNORECASE)
_REMOVE = ("ta bort", "remove", "radera", "delete")


async def run(context: Context, args: dict[str, str]) -> Reply:
    viewer = await Viewer.load(context)
    meeting = await visible_meeting(viewer, args.get("meeting", ""))
    rest = args.get("people", "").strip()
    folded = fold(rest)
    removal = next((w for w in _REMOVE if folded == w or folded.startswith(w + " ")), None)
    if removal is not None:
        names = rest[len(removal) :].strip()
        return await remove(context, viewer, meeting, await resolve_people(context, names))
    people = await resolve_people(context, rest) if rest else [context.require_person()]
    return await register(context, viewer, meeting, people)


async def press(context: Context, payload: dict[str, object]) -> Reply:
    """The card's "Registrera närvaro" button: registers the one who pressed it."""
    viewer = await Viewer.load(context)
    raw = payload.get("meeting")
    meeting = await visible_meeting(viewer, f"M{raw}" if isinstance(raw, int | str) else "")
    return await register(context, viewer, meeting, [context.require_person()])


async def register(
    context: Context, viewer: Viewer, meeting: Meeting, people: list[Person]
) -> Reply:
    """Check every rule first, then write: a refusal leaves nothing behind."""
    t = context.t
    sender = context.require_person()
    _check_window(context, meeting)
    others = [p for p in people if p.id != sender.id]
    if others and not (
        sender.is_admin or await keeper_of(context.session, sender.id, meeting.forum)
    ):
        raise CommandError(
            "attendance.not_keeper", forum=forum_name(meeting.forum, context.language)
        )
    allowed = expected_orgs(meeting.forum, viewer.index)
    outside = [p for p in people if p.organization.key not in allowed]
    if outside:
        raise CommandError("attendance.outside", names=", ".join(p.name for p in outside))
    roles = await _roles(context.session, meeting, [p.id for p in people])
    added, already = [], []
    for person in _unique(people):
        new = await insert_attendance(
            context.session, meeting, person, roles.get(person.id), sender.id, context.now()
        )
        label = f"{person.name} ({person.organization.short_name})"
        if new:
            added.append(label)
            context.audit(
                "attendance.register",
                "meeting",
                meeting_id(meeting),
                after={"person": person.name, "organization": person.organization.key},
            )
        else:
            already.append(label)
    await refresh_cards(context, meeting, viewer.index)
    lines = []
    if added:
        lines.append(t("attendance.registered", id=meeting_id(meeting), names=", ".join(added)))
    if already:
        lines.append(t("attendance.already", id=meeting_id(meeting), names=", ".join(already)))
    return private("\n".join(lines))


async def remove(context: Context, viewer: Viewer, meeting: Meeting, people: list[Person]) -> Reply:
    t = context.t
    sender = context.require_person()
    if not people:
        raise CommandError("attendance.remove_whom")
    if not (sender.is_admin or await keeper_of(context.session, sender.id, meeting.forum)):
        raise CommandError(
            "attendance.not_keeper", forum=forum_name(meeting.forum, context.language)
        )
    removed = []
    for person in _unique(people):
        result = await context.session.execute(
            delete(Attendance).where(
                Attendance.meeting_id == meeting.id, Attendance.person_id == person.id
            )
        )
        if getattr(result, "rowcount", 0):
            removed.append(person.name)
            context.audit(
                "attendance.remove",
                "meeting",
                meeting_id(meeting),
                before={"person": person.name, "organization": person.organization.key},
            )
    await refresh_cards(context, meeting, viewer.index)
    if not removed:
        return private(t("attendance.nothing_removed", id=meeting_id(meeting)))
    return private(t("attendance.removed", id=meeting_id(meeting), names=", ".join(removed)))


def _check_window(context: Context, meeting: Meeting) -> None:
    t = context.t
    if meeting.status == CANCELLED:
        raise CommandError("attendance.cancelled", id=meeting_id(meeting))
    opens = meeting.starts_at - ATTENDANCE_OPENS
    if context.now() < opens:
        raise CommandError("attendance.not_open", id=meeting_id(meeting), opens=t.datetime(opens))


def _unique(people: list[Person]) -> list[Person]:
    seen: dict[int, Person] = {}
    for person in people:
        seen.setdefault(person.id, person)
    return list(seen.values())


async def _roles(session: AsyncSession, meeting: Meeting, person_ids: list[int]) -> dict[int, str]:
    """Each person's role in the meeting's group or forum, the group's first: one query."""
    forum = meeting.forum
    forum_ids = [forum.id] + ([forum.parent_id] if forum.parent_id else [])
    rows = (
        await session.execute(
            select(ForumMember.person_id, ForumMember.forum_id, ForumMember.role).where(
                ForumMember.person_id.in_(person_ids), ForumMember.forum_id.in_(forum_ids)
            )
        )
    ).all()
    roles: dict[int, str] = {}
    for person_id, _forum_id, role in sorted(rows, key=lambda r: r[1] != forum.id):
        roles.setdefault(person_id, role)
    return roles


async def insert_attendance(
    session: AsyncSession,
    meeting: Meeting,
    person: Person,
    role: str | None,
    registered_by: int | None,
    now: datetime,
) -> bool:
    """Insert unless already there (atomically, on both databases); True when new."""
    values = {
        "meeting_id": meeting.id,
        "person_id": person.id,
        "organization_id": person.organization_id,
        "role": role,
        "registered_by_person_id": registered_by,
        "registered_at": now,
    }
    if session.get_bind().dialect.name == "postgresql":
        statement = (
            postgresql.insert(Attendance)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["meeting_id", "person_id"])
        )
    else:
        statement = (
            sqlite.insert(Attendance)  # type: ignore[assignment]
            .values(**values)
            .on_conflict_do_nothing(index_elements=["meeting_id", "person_id"])
        )
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))


async def resolve_people(context: Context, text: str) -> list[Person]:
    """Names and mentions → people; an unknown or unclear one refuses the whole command."""
    session, user = context.session, context.request.user
    people: list[Person] = []
    for user_id in _SLACK_MENTION.findall(text):
        person = await session.scalar(
            select(Person)
            .join(Identity, Identity.person_id == Person.id)
            .where(
                Identity.platform == user.platform,
                Identity.workspace == user.workspace,
                Identity.user_id == user_id,
                Person.active,
            )
        )
        if person is None:
            raise CommandError("attendance.unknown_person", name=f"<@{user_id}>")
        people.append(person)
    rest = _TEAMS_MENTION.sub(lambda m: "," + m.group(1) + ",", _SLACK_MENTION.sub(",", text))
    names = [n.strip() for n in _SEPARATORS.split(rest) if n.strip()]
    if not names:
        return people
    everyone = list((await session.scalars(select(Person).where(Person.active))).all())
    by_name = {fold(p.name): p for p in everyone}
    for name in names:
        folded = fold(name)
        person = by_name.get(folded)
        if person is None:
            best = process.extractOne(folded, list(by_name), scorer=fuzz.WRatio, score_cutoff=88)
            if best is None:
                raise CommandError("attendance.unknown_person", name=name[:60])
            person = by_name[str(best[0])]
        people.append(person)
    return people


COMMAND = Command(
    key="attendance",
    names_sv=("närvaro",),
    names_en=("attendance",),
    handler=run,
    params=(Param("meeting"), Param("people", required=False, greedy=True)),
)

ACTIONS = [ActionRoute("meeting.attend", press)]
