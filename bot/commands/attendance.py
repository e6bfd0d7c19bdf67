"""`närvaro <möte> [personer…]` / `attendance <meeting> [people…]`: who was present.

Without names it registers the sender. The forum's chair or secretary (and admins) can
register others, by name or platform mention, and remove a wrong entry (`ta bort` / `remove`);
both are audited. A person is registered once per meeting however often anyone clicks or a
platform retries. Attendance is staff, organisation and role only: there is no notes field.

The card's "Registrera flera" button gives keepers a form with a people picker (a `users`
field). The picker sends platform user ids, resolved through the identities stored for the
request's platform and workspace. It is all or nothing: if any chosen user is unknown to the
bot, or outside the forum's organisations, the field shows who, and nothing is saved, so the
keeper can fix the choice and send again. A platform that renders the field as text sends
names and mentions instead, read as in the command.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.text import fold
from bot.core.context import CommandError, Context, FieldErrors
from bot.core.identity import link_by_email
from bot.core.registry import ButtonRoute, Command, Param
from bot.core.reply import USER_EMAILS_SUFFIX, Form, FormField, Reply, Visibility
from bot.core.request import PlatformUser
from bot.directory.forums import forum_name
from bot.meetings.job_attendance_ask import askers
from bot.meetings.names import ATTEND_ROUTE, ATTENDANCE_FORM_ROUTE, ATTENDANCE_MANY_ROUTE
from bot.meetings.service import (
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
from storage.models import Attendance, ForumMember, Identity, Meeting, Person

# The neutral mention adapters write: `<@USERID>`, optionally `<@USERID|shown name>`.
_MENTION = re.compile(r"<@([^>|\s]+)(?:\|[^>]*)?>")
_SEPARATORS = re.compile(r"\s*(?:,|;|\boch\b|\band\b|\n)\s*", re.IGNORECASE)
_REMOVE = ("ta bort", "remove", "radera", "delete")
# Refusals about the chosen people, shown on the picker rather than as a message.
_FIELD_REFUSALS = ("attendance.outside", "attendance.not_keeper", "attendance.unknown_person")


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
    meeting = await _meeting_from(viewer, payload)
    return await register(context, viewer, meeting, [context.require_person()])


async def open_form(context: Context, payload: dict[str, object]) -> Reply:
    """The card's "Registrera flera" button: a keeper's form for several people at once."""
    t = context.t
    viewer = await Viewer.load(context)
    meeting = await _meeting_from(viewer, payload)
    _check_window(context, meeting)
    await _require_keeper(context, meeting)
    form = Form(
        title=t("attendance.form.title"),
        submit_label=t("attendance.form.submit"),
        route=ATTENDANCE_MANY_ROUTE,
        fields=[
            FormField(
                "people",
                t("attendance.form.people"),
                kind="users",
                hint=t("attendance.form.people_hint"),
                error=t("attendance.form.pick_someone"),
            )
        ],
        payload={"meeting": meeting.id},
    )
    text = t("attendance.form.intro", id=meeting_id(meeting), time=t.datetime(meeting.starts_at))
    return Reply(text=text, form=form, visibility=Visibility.ONLY_TO_YOU)


async def submit_form(context: Context, payload: dict[str, object]) -> Reply:
    """The picker's submission: every chosen user known and allowed, or nothing saved."""
    t = context.t
    viewer = await Viewer.load(context)
    meeting = await _meeting_from(viewer, payload)
    value = payload.get("people")
    try:
        if isinstance(value, str) and not _MENTION.fullmatch(value.strip()):
            # A platform without a people picker renders the field as text: names and mentions.
            people = await resolve_people(context, value) if value.strip() else []
        else:
            user_ids = picked_user_ids(value)
            emails = payload.get("people" + USER_EMAILS_SUFFIX)
            await _link_by_email(context, user_ids, emails if isinstance(emails, dict) else {})
            people, unknown = await people_by_identity(context, user_ids)
            if unknown:
                unknown_text = t("attendance.form.unknown", users=", ".join(unknown))
                raise FieldErrors({"people": unknown_text})
        if not people:
            raise FieldErrors({"people": t("attendance.form.pick_someone")})
        return await register(context, viewer, meeting, people)
    except CommandError as refusal:
        if refusal.key in _FIELD_REFUSALS:
            raise FieldErrors({"people": t(refusal.key, **refusal.values)}) from None
        raise


def picked_user_ids(value: object) -> list[str]:
    """The picker's value as a list of platform user ids, in order, without repeats.

    Adapters send plain ids; a `<@U123>` mention is accepted too, since that is what a
    platform's mention markup normalises to.
    """
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    ids: list[str] = []
    for item in items:
        text = str(item).strip()
        mention = _MENTION.fullmatch(text)
        user_id = mention.group(1) if mention else text
        if user_id and user_id not in ids:
            ids.append(user_id)
    return ids


async def people_by_identity(
    context: Context, user_ids: list[str]
) -> tuple[list[Person], list[str]]:
    """Active people behind the ids on the request's platform and workspace (one query),
    and the ids that have no such person."""
    user = context.request.user
    rows = (
        await context.session.execute(
            select(Identity.user_id, Person)
            .join(Person, Identity.person_id == Person.id)
            .where(
                Identity.platform == user.platform,
                Identity.workspace == user.workspace,
                Identity.user_id.in_(user_ids),
                Person.active,
            )
        )
    ).all()
    found = {user_id: person for user_id, person in rows}
    people = [found[i] for i in user_ids if i in found]
    return people, [i for i in user_ids if i not in found]


async def _link_by_email(context: Context, user_ids: list[str], emails: dict[str, object]) -> None:
    """Picked users who never wrote to the bot are linked by e-mail, as on first contact."""
    if not emails:
        return
    user = context.request.user
    linked = (
        await context.session.scalars(
            select(Identity.user_id).where(
                Identity.platform == user.platform,
                Identity.workspace == user.workspace,
                Identity.user_id.in_(user_ids),
            )
        )
    ).all()
    for user_id in user_ids:
        email = emails.get(user_id)
        if user_id in linked or not isinstance(email, str) or not email:
            continue
        picked = PlatformUser(user.platform, user_id, user.workspace, email=email)
        await link_by_email(context.session, picked, context.now())
    await context.session.flush()


async def _meeting_from(viewer: Viewer, payload: dict[str, object]) -> Meeting:
    raw = payload.get("meeting")
    return await visible_meeting(viewer, f"M{raw}" if isinstance(raw, int | str) else "")


async def _require_keeper(context: Context, meeting: Meeting) -> None:
    """Admins, the forum's chair and secretary, and whoever booked the meeting where the
    forum has neither (the same people who are asked to register it afterwards)."""
    sender = context.require_person()
    if sender.is_admin or await keeper_of(context.session, sender.id, meeting.forum):
        return
    if sender.id not in await askers(context.session, meeting):
        raise CommandError(
            "attendance.not_keeper", forum=forum_name(meeting.forum, context.language)
        )


async def register(
    context: Context, viewer: Viewer, meeting: Meeting, people: list[Person]
) -> Reply:
    """Check every rule first, then write: a refusal leaves nothing behind."""
    t = context.t
    sender = context.require_person()
    _check_window(context, meeting)
    if any(p.id != sender.id for p in people):
        await _require_keeper(context, meeting)
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
        if person.id not in roles:
            # Accepted: representation counts the organisation, not the seat; said aloud.
            label = t(
                "people.attendance.not_member",
                name=person.name,
                organisation=person.organization.short_name,
            )
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
    context.require_person()
    if not people:
        raise CommandError("attendance.remove_whom")
    await _require_keeper(context, meeting)
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
    for user_id in _MENTION.findall(text):
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
    rest = _MENTION.sub(",", text)
    names = [n.strip() for n in _SEPARATORS.split(rest) if n.strip()]
    if not names:
        return people
    everyone = list((await session.scalars(select(Person).where(Person.active))).all())
    by_name = {fold(p.name): p for p in everyone}
    for name in names:
        folded = fold(name)
        person = by_name.get(folded)
        if person is None:
            # Imported on first use: only a misspelt name needs fuzzy matching.
            from rapidfuzz import fuzz, process

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

ROUTES = [
    ButtonRoute(ATTEND_ROUTE, press),
    ButtonRoute(ATTENDANCE_FORM_ROUTE, open_form),
    ButtonRoute(ATTENDANCE_MANY_ROUTE, submit_form),
]
