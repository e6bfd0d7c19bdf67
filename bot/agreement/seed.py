"""Load the agreement file into the database idempotently.

Running it twice changes nothing; an edited file updates rows; people added in chat are kept.
Rows the file no longer names are only listed unless `prune` is set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.agreement.file import AgreementFile, ForumSpec, GroupSpec, PersonSpec
from bot.common.phone import normalise_phone
from storage.audit import Actor, AuditTrail
from storage.models import Agreement, CycleEvent, Forum, ForumMember, Organization, Person

SEED_ACTOR = Actor(label="samverkan seed", platform="cli")


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{self.unchanged} unchanged, {len(self.removed)} removed, "
            f"{len(self.not_in_file)} not in the file and kept"
        )


class _Seeder:
    def __init__(self, session: AsyncSession, now: datetime, report: SeedReport) -> None:
        self.session = session
        self.now = now
        self.report = report
        self.audit = AuditTrail(session, SEED_ACTOR, now)

    def upsert(self, obj: Any, values: dict[str, Any], kind: str, key: str, is_new: bool) -> None:
        """Set `values` on `obj`, counting and auditing only what really changed."""
        before = {name: _jsonable(getattr(obj, name, None)) for name in values}
        for name, value in values.items():
            setattr(obj, name, value)
        after = {name: _jsonable(value) for name, value in values.items()}
        if is_new:
            self.session.add(obj)
            self.report.created.append(f"{kind} {key}")
            self.audit("seed.create", kind, key, None, after)
        elif before != after:
            changed = [name for name in values if before[name] != after[name]]
            self.report.updated.append(f"{kind} {key}")
            self.audit(
                "seed.update",
                kind,
                key,
                {n: before[n] for n in changed},
                {n: after[n] for n in changed},
            )
        else:
            self.report.unchanged += 1

    def gone(self, kind: str, key: str, prune: bool) -> bool:
        """Note a row the file no longer names; True when it should be removed."""
        if prune:
            self.report.removed.append(f"{kind} {key}")
            self.audit("seed.remove", kind, key, {"key": key}, None)
        else:
            self.report.not_in_file.append(f"{kind} {key}")
        return prune


def _jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


async def seed(
    session: AsyncSession,
    spec: AgreementFile,
    *,
    now: datetime,
    include_demo: bool = True,
    prune: bool = False,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:
    """Apply the file to the database in the caller's transaction."""
    report = SeedReport()
    seeder = _Seeder(session, now, report)
    step = progress or (lambda _label: None)

    orgs = await _seed_organisations(seeder, spec)
    step("organisations")
    await _seed_agreements(seeder, spec, prune)
    step("agreements")
    forums = await _seed_forums(seeder, spec, prune)
    step("forums")
    people = [p for p in spec.people if include_demo or not p.demo]
    await _seed_people(seeder, people, orgs, forums, prune, step)
    return report


async def _seed_organisations(seeder: _Seeder, spec: AgreementFile) -> dict[str, Organization]:
    existing = {o.key: o for o in (await seeder.session.scalars(select(Organization))).all()}
    for key, org in spec.organisations.items():
        row = existing.get(key)
        values = {
            "name": org.name,
            "short_name": org.short_name,
            "short_name_en": org.short_name_en,
            "sender_name": org.sender_name,
            "aliases": list(org.aliases),
        }
        seeder.upsert(row or Organization(key=key), values, "organisation", key, row is None)
    await seeder.session.flush()
    return {o.key: o for o in (await seeder.session.scalars(select(Organization))).all()}


async def _seed_agreements(seeder: _Seeder, spec: AgreementFile, prune: bool) -> None:
    query = select(Agreement).options(selectinload(Agreement.cycle_events))
    existing = {a.key: a for a in (await seeder.session.scalars(query)).all()}
    for item in spec.agreements:
        row = existing.pop(item.key, None)
        agreement = row or Agreement(key=item.key, cycle_events=[])
        values = {
            "title": item.title,
            "parties": list(item.parties),
            "valid_from": item.valid_from,
            "valid_to": item.valid_to,
            "follow_up_month": item.follow_up_month,
            "revision_status": item.revision_status,
            "author_may_approve": item.author_may_approve,
            "draft_targets": list(item.draft_targets),
            "text_source": item.text,
            "text_parts": item.resolved_parts if item.text else None,
        }
        seeder.upsert(agreement, values, "agreement", item.key, row is None)
        events = {e.key: e for e in agreement.cycle_events}
        for cycle in item.cycle:
            event = events.pop(cycle.key, None)
            key = f"{item.key}/{cycle.key}"
            cycle_values = cycle.model_dump(exclude={"key"})
            if event is None:
                event = CycleEvent(key=cycle.key)
                agreement.cycle_events.append(event)
                seeder.upsert(event, cycle_values, "cycle_event", key, is_new=True)
            else:
                seeder.upsert(event, cycle_values, "cycle_event", key, is_new=False)
        for stale in events.values():
            if seeder.gone("cycle_event", f"{item.key}/{stale.key}", prune):
                agreement.cycle_events.remove(stale)
    for stale_agreement in existing.values():
        if stale_agreement.source != "seed":
            continue  # a successor registered in chat (`förnyelse ny`) is not the file's to prune
        if seeder.gone("agreement", stale_agreement.key, prune):
            await seeder.session.delete(stale_agreement)
    await seeder.session.flush()


def _forum_values(
    item: ForumSpec, unit: ForumSpec | GroupSpec, sort_order: int, parent_id: int | None
) -> dict[str, Any]:
    """A forum's or group's columns; a group inherits its forum's description and flags."""
    return {
        "name": unit.name,
        "name_en": unit.name_en or unit.name,
        "aliases": list(unit.aliases),
        "description_sv": item.description_sv,
        "description_en": item.description_en,
        "scope_sv": item.scope_sv,
        "scope_en": item.scope_en,
        "demo": unit.demo if isinstance(unit, GroupSpec) else False,
        "expected_orgs": list(item.expected),
        "cadence": item.cadence,
        "cadence_en": item.cadence_en,
        "sort_order": sort_order,
        "parent_id": parent_id,
        "no_personal_text": item.no_personal_text,
        "meetings_need_to_know": item.meetings_need_to_know,
        "contacts_need_to_know": item.contacts_need_to_know,
    }


async def _seed_forums(seeder: _Seeder, spec: AgreementFile, prune: bool) -> dict[str, Forum]:
    existing = {f.key: f for f in (await seeder.session.scalars(select(Forum))).all()}
    wanted: set[str] = set()
    for order, item in enumerate(spec.forums):
        row = existing.get(item.key)
        forum = row or Forum(key=item.key)
        seeder.upsert(
            forum, _forum_values(item, item, order * 100, None), "forum", item.key, row is None
        )
        await seeder.session.flush()
        existing[item.key] = forum
        wanted.add(item.key)
        for position, group in enumerate(item.groups, start=1):
            key = f"{item.key}.{group.key}"
            group_row = existing.get(key)
            values = _forum_values(item, group, order * 100 + position, forum.id)
            existing[key] = group_row or Forum(key=key)
            seeder.upsert(existing[key], values, "forum", key, group_row is None)
            wanted.add(key)
    for key in sorted(set(existing) - wanted, reverse=True):
        if seeder.gone("forum", key, prune):
            await seeder.session.delete(existing.pop(key))
    await seeder.session.flush()
    return existing


async def _seed_people(
    seeder: _Seeder,
    people: list[PersonSpec],
    orgs: dict[str, Organization],
    forums: dict[str, Forum],
    prune: bool,
    step: Callable[[str], None],
) -> None:
    query = select(Person).options(selectinload(Person.memberships))
    everyone = list((await seeder.session.scalars(query)).all())
    by_email = {p.email.lower(): p for p in everyone if p.email}
    by_name = {p.name: p for p in everyone}
    seen: set[int] = set()
    for item in people:
        row = (by_email.get(item.email.lower()) if item.email else None) or by_name.get(item.name)
        person = row or Person(name=item.name, memberships=[])
        values: dict[str, Any] = {
            "name": item.name,
            "title": item.title,
            "organization_id": orgs[item.organisation].id,
            "email": item.email.lower() if item.email else None,
            "phone": (normalise_phone(item.phone) or item.phone) if item.phone else None,
            "roles": list(item.roles),
            "demo": item.demo,
            "source": "seed",
            "active": True,
        }
        seeder.upsert(person, values, "person", item.name, row is None)
        if row is None:
            await seeder.session.flush()
        seen.add(person.id)
        await _seed_memberships(seeder, person, item, forums, prune)
        step(item.name)
    for person in everyone:
        stale = person.source == "seed" and person.active and person.id not in seen
        if stale and seeder.gone("person", person.name, prune):
            person.active = False
    await seeder.session.flush()


async def _seed_memberships(
    seeder: _Seeder, person: Person, item: PersonSpec, forums: dict[str, Forum], prune: bool
) -> None:
    current = {m.forum.key: m for m in person.memberships if m.forum is not None}
    for forum_key, role in item.forums.items():
        membership = current.pop(forum_key, None)
        key = f"{person.name} @ {forum_key}"
        values = {"role": role, "source": "seed"}
        if membership is None:
            membership = ForumMember(forum=forums[forum_key], person=person)
            seeder.upsert(membership, values, "forum_member", key, is_new=True)
        else:
            seeder.upsert(membership, values, "forum_member", key, is_new=False)
    for forum_key, membership in current.items():
        if membership.source != "seed":
            continue
        if seeder.gone("forum_member", f"{person.name} @ {forum_key}", prune):
            await seeder.session.delete(membership)
