"""Import contacts from a CSV file: all rows valid, or nothing written.

`import_contacts` checks every row that `contacts_csv.parse_contacts` read against the database
(organisations, forums, people) before writing anything, and raises `InvalidContactsFile` with
one `RowError` per problem when any row is bad, so the caller's transaction writes nothing.
Every change is audited in the same transaction, as `samverkan import` from the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.common.phone import normalise_phone
from bot.common.privacy import looks_like_personnummer
from bot.common.text import fold
from bot.directory.contacts_csv import ContactRow, ContactsFile, InvalidContactsFile, RowError
from bot.directory.forums import ForumIndex, load_forum_index
from bot.directory.people import AUDITED, forum_role_from_word
from bot.directory.person_input import PHONE
from bot.directory.secret_names import SecretForumNames
from storage.audit import Actor, AuditTrail, snapshot
from storage.models import Forum, ForumMember, Organization, Person

IMPORT_ACTOR = Actor(label="samverkan import", platform="cli")

SOURCE = "import"

DEFAULT_ROLE = "representative"

# Column widths of storage.models.Person, checked here so a long cell is a row error.
LIMITS = {"name": 200, "title": 200, "email": 254}


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    memberships_added: int = 0
    memberships_changed: int = 0


# --- matching ---------------------------------------------------------------------------------


def match_organisation(organisations: list[Organization], text: str) -> Organization | None:
    """By key, name, short name, sender name or alias, forgiving case, accents and endings.

    Like `bot.directory.people.find_organisation`, but over rows already loaded (one query per file,
    not per row) and with a close-spelling fallback for typos in a spreadsheet.
    """
    folded = fold(text)
    if not folded:
        return None
    names: dict[str, Organization] = {}
    for org in organisations:
        for name in (org.key, org.short_name, org.name, org.sender_name, *(org.aliases or [])):
            names.setdefault(fold(name), org)
    if folded in names:
        return names[folded]
    if len(folded) >= 4:
        # "Östra Göinge" for "Östra Göinge kommun"; "Polisen Hässleholm" for "Polisen", but
        # never "Kommunpolis" for "Kommun".
        close = {
            org.id: org
            for name, org in names.items()
            if name.startswith(folded) or folded.startswith(name + " ")
        }
        if len(close) == 1:
            return next(iter(close.values()))
    best = process.extractOne(folded, list(names), scorer=fuzz.ratio, score_cutoff=85)
    return names[str(best[0])] if best else None


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


# --- checking rows against the database ---------------------------------------------------------


@dataclass
class _Membership:
    row: int
    forum: Forum
    role: str


@dataclass
class _PersonPlan:
    """Everything the file says about one person, gathered from all of their rows."""

    first_row: int
    name: str
    email: str | None
    organisation: Organization
    title: str = ""
    phone: str = ""
    row_count: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # field → row it was first given on
    memberships: dict[int, _Membership] = field(default_factory=dict)
    existing: Person | None = None


class _Checker:
    """Validates every row, gathering all errors and a plan per person."""

    def __init__(
        self,
        contacts: ContactsFile,
        organisations: list[Organization],
        forums: ForumIndex[Forum],
        people: list[Person],
    ) -> None:
        self.file = contacts
        self.organisations = organisations
        self.forums = forums
        self.by_email = {p.email.lower(): p for p in people if p.email}
        self.by_name: dict[str, list[Person]] = {}
        for person in people:
            self.by_name.setdefault(_name_key(person.name), []).append(person)
        self.errors: list[RowError] = []
        self.plans: dict[str, _PersonPlan] = {}
        # Titles are shown to everyone: none may tell who is in a need-to-know forum.
        self.forums_named = SecretForumNames.of_forums(forums.forums)

    def error(self, row: int, column: str, code: str, **values: Any) -> None:
        self.errors.append(RowError(row, self.file.column(column), code, values))

    def check(self) -> list[_PersonPlan]:
        emails_by_name: dict[str, set[str]] = {}
        for row in self.file.rows:
            email = row.get("email").lower()
            if email and row.get("name"):
                emails_by_name.setdefault(_name_key(row.get("name")), set()).add(email)
        for row in self.file.rows:
            self._check_row(row, emails_by_name)
        self._match_people()
        return list(self.plans.values())

    def _too_long(self, row: ContactRow, column: str) -> bool:
        value = row.get(column)
        if len(value) > LIMITS[column]:
            self.error(row.row, column, "too_long", limit=LIMITS[column])
            return True
        return False

    def _check_row(self, row: ContactRow, emails_by_name: dict[str, set[str]]) -> None:
        before = len(self.errors)
        name = row.get("name")
        if not name:
            self.error(row.row, "name", "missing_name")
        for column in ("name", "title"):
            self._too_long(row, column)
            if looks_like_personnummer(row.get(column)):
                # Never stored, and never echoed: the message names the column, not the value.
                self.error(row.row, column, "personnummer")
        secret = self.forums_named.named_in(row.get("title"))
        if secret is not None:
            self.error(row.row, "title", "title_names_forum", forum=secret)
        phone = row.get("phone")
        if phone and not PHONE.match(phone):
            self.error(row.row, "phone", "bad_phone", value=phone)
        email = row.get("email").lower()
        if email and not self._too_long(row, "email"):
            try:
                validate_email(email, check_deliverability=False)
            except EmailNotValidError:
                self.error(row.row, "email", "bad_email", value=row.get("email"))
        org_text = row.get("organisation")
        organisation = match_organisation(self.organisations, org_text)
        if not org_text:
            self.error(row.row, "organisation", "missing_organisation")
        elif organisation is None:
            known = ", ".join(o.short_name for o in self.organisations)
            self.error(row.row, "organisation", "unknown_organisation", value=org_text, known=known)
        membership = self._check_membership(row)
        if len(self.errors) > before or organisation is None:
            return
        if not email:
            emails = emails_by_name.get(_name_key(name), set())
            if len(emails) > 1:
                self.error(row.row, "email", "ambiguous_name", name=name)
                return
            email = next(iter(emails), "")
        key = f"email:{email}" if email else f"name:{_name_key(name)}"
        self._add_to_plan(key, row, name, email or None, organisation, membership)

    def _check_membership(self, row: ContactRow) -> _Membership | None:
        forum_text, role_text = row.get("forum"), row.get("role")
        role = forum_role_from_word(role_text) if role_text else DEFAULT_ROLE
        if role is None:
            self.error(row.row, "role", "unknown_role", value=role_text)
        if not forum_text:
            if role_text:
                self.error(row.row, "forum", "role_without_forum")
            return None
        forum = self.forums.match(forum_text)
        if forum is None:
            known = ", ".join(f.name for f in self.forums.top_level())
            self.error(row.row, "forum", "unknown_forum", value=forum_text, known=known)
            return None
        return _Membership(row.row, forum, role) if role else None

    def _add_to_plan(
        self,
        key: str,
        row: ContactRow,
        name: str,
        email: str | None,
        organisation: Organization,
        membership: _Membership | None,
    ) -> None:
        plan = self.plans.get(key)
        if plan is None:
            plan = _PersonPlan(row.row, name, email, organisation)
            plan.rows = {"name": row.row, "organisation": row.row}
            self.plans[key] = plan
        else:
            if _name_key(plan.name) != _name_key(name):
                self.error(row.row, "name", "conflict", other_row=plan.rows["name"])
            if plan.organisation.id != organisation.id:
                self.error(row.row, "organisation", "conflict", other_row=plan.rows["organisation"])
        plan.row_count += 1
        for column in ("title", "phone"):
            value = row.get(column)
            if not value:
                continue
            if column == "phone":
                value = normalise_phone(value) or value  # one form, so repeats compare equal
            current = getattr(plan, column)
            if not current:
                setattr(plan, column, value)
                plan.rows[column] = row.row
            elif current != value:
                self.error(row.row, column, "conflict", other_row=plan.rows[column])
        if membership is None:
            return
        same = plan.memberships.get(membership.forum.id)
        if same is None:
            plan.memberships[membership.forum.id] = membership
        elif same.role != membership.role:
            self.error(row.row, "role", "conflict", other_row=same.row)

    def _match_people(self) -> None:
        """Existing people by e-mail, then by name (only someone without another e-mail)."""
        claimed: dict[int, _PersonPlan] = {}
        for plan in self.plans.values():
            person = self.by_email.get(plan.email) if plan.email else None
            if person is None:
                namesakes = [
                    p
                    for p in self.by_name.get(_name_key(plan.name), [])
                    if plan.email is None or not p.email
                ]
                if len(namesakes) > 1:
                    namesakes = [p for p in namesakes if p.active]  # a removed namesake yields
                if len(namesakes) > 1:
                    self.error(plan.first_row, "name", "ambiguous_person", name=plan.name)
                    continue
                person = namesakes[0] if namesakes else None
            if person is None:
                continue
            other = claimed.get(person.id)
            if other is not None:
                self.error(plan.first_row, "name", "same_person", other_row=other.first_row)
                continue
            claimed[person.id] = plan
            plan.existing = person


# --- writing ----------------------------------------------------------------------------------


def _person_values(plan: _PersonPlan, person: Person | None) -> dict[str, Any]:
    """The fields the import sets: empty cells leave an existing person's values alone."""
    values: dict[str, Any] = {"organization_id": plan.organisation.id}
    if person is None or plan.title:
        values["title"] = plan.title
    if person is None or plan.phone:
        values["phone"] = plan.phone or None
    if plan.email and (person is None or not person.email):
        values["email"] = plan.email
    if person is not None and not person.active:
        values["active"] = True
    return values


class _Writer:
    """Applies the plans, auditing with the same actions and entity ids as the chat commands
    (`person.create`/`person.update` by person id, `member.set` by `forum:person`), so the
    registrar sees one history per person whatever the source."""

    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session = session
        self.now = now
        self.report = ImportReport()
        self.audit = AuditTrail(session, IMPORT_ACTOR, now)

    def person(self, plan: _PersonPlan) -> Person:
        """Update or add the plan's person; new ones get their id (and audit) at the flush."""
        existing = plan.existing
        values = _person_values(plan, existing)
        if existing is None:
            person = Person(
                name=plan.name, source=SOURCE, roles=["member"], active=True, memberships=[]
            )
            for name, value in values.items():
                setattr(person, name, value)
            self.session.add(person)
            self.report.created += 1
            return person
        changed = {k: v for k, v in values.items() if getattr(existing, k) != v}
        if changed:
            before = snapshot(existing, *AUDITED)
            for name, value in changed.items():
                setattr(existing, name, value)
            after = snapshot(existing, *AUDITED)
            self.audit("person.update", "person", existing.id, before, after)
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        return existing

    def created(self, person: Person) -> None:
        self.audit("person.create", "person", person.id, None, snapshot(person, *AUDITED))

    def memberships(self, person: Person, plan: _PersonPlan) -> None:
        current = {m.forum_id: m for m in (person.memberships if plan.existing else [])}
        for forum_id, wanted in plan.memberships.items():
            row = current.get(forum_id)
            key = f"{wanted.forum.key}:{person.id}"
            if row is None:
                self.session.add(
                    ForumMember(
                        forum_id=forum_id, person_id=person.id, role=wanted.role, source=SOURCE
                    )
                )
                self.audit("member.set", "forum_member", key, None, {"role": wanted.role})
                self.report.memberships_added += 1
            elif row.role != wanted.role:
                before = {"role": row.role}
                row.role, row.source = wanted.role, SOURCE
                self.audit("member.set", "forum_member", key, before, {"role": wanted.role})
                self.report.memberships_changed += 1


async def import_contacts(
    session: AsyncSession,
    contacts: ContactsFile,
    *,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check every row, then write people and memberships in the caller's transaction.

    Raises `InvalidContactsFile` before writing anything when any row is bad. `progress` is
    called with the number of rows written for each person, so it adds up to the row count.
    """
    organisations = list((await session.scalars(select(Organization))).all())
    forums = await load_forum_index(session)
    people_query = select(Person).options(selectinload(Person.memberships))
    people = list((await session.scalars(people_query)).unique().all())
    checker = _Checker(contacts, organisations, forums, people)
    plans = checker.check()
    if checker.errors:
        raise InvalidContactsFile(sorted(checker.errors, key=lambda e: e.row or 0))
    writer = _Writer(session, now)
    people_by_plan = [(plan, writer.person(plan)) for plan in plans]
    await session.flush()  # one batch of inserts gives every new person an id
    for plan, person in people_by_plan:
        if plan.existing is None:
            writer.created(person)
        writer.memberships(person, plan)
        if progress is not None:
            progress(plan.row_count)
    await session.flush()
    writer.report.rows = len(contacts.rows)
    return writer.report
