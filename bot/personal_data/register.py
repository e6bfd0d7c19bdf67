"""Everything the bot holds about one staff member: the register extract of GDPR art. 15.

Sections with stable English keys (the JSON form); `render` gives the same in Swedish (or
English) text. Read-only: the extract changes nothing and is not itself logged with its
content.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.i18n import Translator
from bot.common.phone import show_phone
from bot.directory.people import find_one_person
from storage.models import (
    ActionItem,
    Approval,
    Attendance,
    AuditEvent,
    Draft,
    DraftVersion,
    ForumMember,
    Identity,
    Job,
    Meeting,
    Person,
    Rsvp,
)

SECTIONS = (
    "person",
    "memberships",
    "identities",
    "rsvps",
    "attendance",
    "jobs",
    "action_items",
    "drafts",
    "decisions",
    "audit",
)


async def find_staff_member(session: AsyncSession, name: str) -> Person:
    """One person by name, former staff (inactive, erased) included: an extract or an erasure
    concerns them too. An exact name wins; otherwise the directory's own search decides."""
    folded = " ".join(name.split()).casefold()
    people = (await session.scalars(select(Person))).unique().all()
    exact = [p for p in people if p.name.casefold() == folded]
    if len(exact) == 1:
        return exact[0]
    return await find_one_person(session, name)


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(**values: object) -> dict[str, Any]:
    return {key: _plain(value) for key, value in values.items()}


async def _all(session: AsyncSession, query: Any) -> list[Any]:
    return list((await session.scalars(query)).unique().all())


async def extract(session: AsyncSession, person: Person) -> dict[str, list[dict[str, Any]]]:
    """Every row about `person`, by section."""
    pid = person.id
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in SECTIONS}
    found["person"].append(
        _row(
            id=pid,
            name=person.name,
            title=person.title,
            organisation=person.organization.name,
            email=person.email,
            phone=show_phone(person.phone),
            roles=list(person.roles or []),
            language=person.language,
            source=person.source,
            active=person.active,
        )
    )
    for member in await _all(session, select(ForumMember).where(ForumMember.person_id == pid)):
        found["memberships"].append(
            _row(forum=member.forum.key, forum_name=member.forum.name, role=member.role)
        )
    for identity in await _all(session, select(Identity).where(Identity.person_id == pid)):
        found["identities"].append(
            _row(
                platform=identity.platform,
                workspace=identity.workspace,
                user_id=identity.user_id,
                linked_by=identity.linked_by,
                direct_chat_stored=identity.direct_conversation is not None,
            )
        )
    rsvps = select(Rsvp, Meeting).join(Meeting, Meeting.id == Rsvp.meeting_id)
    for rsvp, meeting in (await session.execute(rsvps.where(Rsvp.person_id == pid))).all():
        found["rsvps"].append(
            _row(
                meeting=f"M{meeting.id}",
                forum=meeting.forum.key,
                starts_at=meeting.starts_at,
                coming=rsvp.coming,
                answered_at=rsvp.answered_at,
            )
        )
    present = select(Attendance, Meeting).join(Meeting, Meeting.id == Attendance.meeting_id)
    for row, meeting in (await session.execute(present.where(Attendance.person_id == pid))).all():
        found["attendance"].append(
            _row(
                meeting=f"M{meeting.id}",
                forum=meeting.forum.key,
                starts_at=meeting.starts_at,
                role=row.role,
                registered_at=row.registered_at,
            )
        )
    jobs = select(Job).where(Job.target_kind == "person", Job.target_id == pid).order_by(Job.id)
    for job in await _all(session, jobs):
        found["jobs"].append(
            _row(
                kind=job.kind,
                due=job.due,
                status=job.status,
                text=job.payload.get("text") if isinstance(job.payload, dict) else None,
            )
        )
    items = select(ActionItem).where(
        or_(ActionItem.owner_id == pid, ActionItem.assigned_by_id == pid)
    )
    for item in await _all(session, items.order_by(ActionItem.id)):
        found["action_items"].append(
            _row(
                id=f"A{item.id}",
                text=item.text,
                forum=item.forum.key if item.forum else None,
                due=item.due,
                status=item.status,
                owner=item.owner_id == pid,
                assigned_by_them=item.assigned_by_id == pid,
            )
        )
    versions = select(DraftVersion).where(DraftVersion.created_by_id == pid)
    authored = {d.id for d in await _all(session, select(Draft).where(Draft.author_id == pid))}
    for version in await _all(session, versions.order_by(DraftVersion.id)):
        found["drafts"].append(
            _row(
                draft=f"U{version.draft_id}",
                version=version.number,
                author=version.draft_id in authored,
                title=version.title,
                text=version.text,
                created_at=version.created_at,
            )
        )
    decisions = select(Approval).where(Approval.person_id == pid).order_by(Approval.id)
    for decision in await _all(session, decisions):
        found["decisions"].append(
            _row(
                draft=f"U{decision.draft_id}",
                version=decision.version,
                decision=decision.decision,
                comment=decision.comment,
                at=decision.at,
            )
        )
    audit = select(AuditEvent).where(
        or_(
            AuditEvent.actor_person_id == pid,
            (AuditEvent.entity_type == "person") & (AuditEvent.entity_id == str(pid)),
        )
    )
    for event in await _all(session, audit.order_by(AuditEvent.id)):
        found["audit"].append(
            _row(
                at=event.at,
                action=event.action,
                by_them=event.actor_person_id == pid,
                entity=f"{event.entity_type}:{event.entity_id}",
                before=event.before,
                after=event.after,
            )
        )
    return found


def render(t: Translator, found: dict[str, list[dict[str, Any]]]) -> str:
    """The extract as text: a heading per section, one line per row, `key: value` pairs."""
    [person] = found["person"]
    lines = [t("register.heading", name=person["name"]), ""]
    for section in SECTIONS:
        rows = found[section]
        lines.append(t(f"register.section.{section}", count=len(rows)))
        if not rows:
            lines.append("  " + t("register.empty"))
        for row in rows:
            pairs = [
                f"{t('register.field.' + key)}: {_text(t, value)}"
                for key, value in row.items()
                if value not in (None, "")
            ]
            lines.append("  – " + "; ".join(pairs))
        lines.append("")
    lines.append(t("register.footer"))
    return "\n".join(lines)


def _text(t: Translator, value: object) -> str:
    if isinstance(value, bool):
        return t("register.yes") if value else t("register.no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
