"""Erase a staff member's personal data, keeping the public record of joint decisions.

Erased: contact details (e-mail, phone), title, roles and language; platform identities with
their stored 1:1 conversation references and the 1:1 chat's stored channel; forum
memberships; RSVPs; every scheduled or sent message to them (personal reminders, notices);
and their e-mail address and phone number wherever the audit log holds them (replaced
through migration 0009's narrow path).
Kept, with the name only: who approved, asked for changes or withdrew which version of a joint
message and when, the drafts they wrote, attendance at meetings (each party's representation)
and action items of a forum: public records (allmänna handlingar) that the archive rules
require to be kept until a retention decision says otherwise. See docs/privacy.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.personal_data.redact import audit_rows_containing, rewrite
from bot.personal_data.sources import BY_TABLE, replace_strings
from storage.audit import Actor, record
from storage.models import AuditEvent, Channel, ForumMember, Identity, Job, Person, Rsvp
from storage.models_privacy import ERASED_MARKER

ERASE_ACTION = "person.erase"


@dataclass(frozen=True)
class Erased:
    """How many rows or fields of each kind were erased."""

    identities: int
    conversations: int
    memberships: int
    rsvps: int
    messages: int
    audit_fields: int


async def _delete(session: AsyncSession, statement: object) -> int:
    result = await session.execute(statement)  # type: ignore[call-overload]
    return int(getattr(result, "rowcount", 0) or 0)


_CONTACT_KEYS = ("email", "phone")


def _without_contact_fields(value: object) -> object:
    """A snapshot of the person with every e-mail and phone value (old ones too) replaced."""
    if not isinstance(value, dict):
        return value
    return {
        key: ERASED_MARKER if key in _CONTACT_KEYS and item else item for key, item in value.items()
    }


async def _audit_fields(
    session: AsyncSession,
    person: Person,
    contacts: set[str],
    decision: str,
    actor: Actor,
    now: datetime,
) -> int:
    """Replace the contact details in every audit row that holds them; return how many fields."""
    about = select(AuditEvent).where(
        AuditEvent.entity_type == "person", AuditEvent.entity_id == str(person.id)
    )
    found = await audit_rows_containing(session, contacts) if contacts else []
    rows = {e.id: e for e in found}
    rows.update({e.id: e for e in (await session.scalars(about)).all()})
    folded = {c.casefold() for c in contacts}

    def scrub(text: str) -> str:
        return ERASED_MARKER if text.casefold() in folded else text

    source = BY_TABLE["audit_event"]
    changed = 0
    for event in sorted(rows.values(), key=lambda e: e.id):
        mine = event.entity_type == "person" and event.entity_id == str(person.id)
        for column in source.fields:
            old = getattr(event, column)
            new = replace_strings(_without_contact_fields(old) if mine else old, scrub)
            if new != old:
                await rewrite(session, source, event.id, column, new, decision, actor, now)
                changed += 1
    return changed


async def _direct_channels(session: AsyncSession, person_id: int) -> list[int]:
    """Stored channels that are the person's 1:1 chat with the bot (by the reference kept on
    their identities), bound to nothing: they go with the identities."""
    identities = (
        await session.scalars(select(Identity).where(Identity.person_id == person_id))
    ).all()
    found: list[int] = []
    for identity in identities:
        reference = identity.direct_conversation or {}
        conversation = reference.get("conversation")
        chat_id = conversation.get("id") if isinstance(conversation, dict) else None
        if not isinstance(chat_id, str):
            continue
        channel = await session.scalar(
            select(Channel).where(
                Channel.platform == identity.platform, Channel.channel_id == chat_id
            )
        )
        if channel is not None and not channel.bindings:
            found.append(channel.id)
    return found


async def erase(
    session: AsyncSession, person: Person, actor: Actor, now: datetime, decision: str
) -> Erased:
    """Erase what is listed in the module docstring, in the caller's transaction."""
    pid = person.id
    contacts = {value for value in (person.email, person.phone) if value}
    conversations = await _direct_channels(session, pid)
    erased = Erased(
        identities=await _delete(session, delete(Identity).where(Identity.person_id == pid)),
        conversations=await _delete(session, delete(Channel).where(Channel.id.in_(conversations)))
        if conversations
        else 0,
        memberships=await _delete(session, delete(ForumMember).where(ForumMember.person_id == pid)),
        rsvps=await _delete(session, delete(Rsvp).where(Rsvp.person_id == pid)),
        messages=await _delete(
            session, delete(Job).where(Job.target_kind == "person", Job.target_id == pid)
        ),
        audit_fields=await _audit_fields(session, person, contacts, decision, actor, now),
    )
    person.email = None
    person.phone = None
    person.title = ""
    person.roles = []
    person.language = None
    person.active = False
    await session.flush()
    record(
        session,
        actor=actor,
        at=now,
        action=ERASE_ACTION,
        entity_type="person",
        entity_id=pid,
        after={"name": person.name, "decision": decision, **asdict(erased)},
    )
    return erased
