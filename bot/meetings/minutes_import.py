"""Import past meetings and who attended them from minutes: every row valid, or nothing written.

`import_minutes` checks every row that `minutes_csv.parse_minutes` read against the database
(forums, organisations, people, meetings already there) before writing anything, and raises
`InvalidMinutesFile` with one `MinutesError` per problem, so the caller's transaction writes
nothing. A meeting is known by its forum and start time: importing the same file again finds
every meeting and every attendance already there and changes nothing. Meetings and attendance
written here carry `source = "import"`, so the follow-up report can say the figures come from
minutes. People named in the minutes who are not in the directory are added as inactive
(name and organisation only), so their attendance counts without making them contacts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.privacy import looks_like_personnummer
from bot.common.when import WhenProblem, localise
from bot.directory.contacts_import import match_organisation
from bot.directory.forums import ForumIndex, load_forum_index
from bot.directory.people import forum_role_from_word
from bot.meetings.history import IMPORTED
from bot.meetings.minutes_csv import (
    InvalidMinutesFile,
    MinutesError,
    MinutesFile,
    MinutesRow,
    read_date,
    read_time,
)
from bot.meetings.service import CANCELLED, SCHEDULED
from storage.audit import Actor, AuditTrail
from storage.models import Attendance, Forum, Meeting, Organization, Person

IMPORT_ACTOR = Actor(label="samverkan import meetings", platform="cli")
SOURCE = IMPORTED
# People who appear only in minutes: kept apart from the contacts import's `import`.
PERSON_SOURCE = "minutes"
DEFAULT_MINUTES = 60
LIMITS = {"place": 200, "name": 200}
_WHEN_CODES = {"when.nonexistent": "nonexistent_time", "when.ambiguous": "ambiguous_time"}


@dataclass
class MinutesReport:
    rows: int = 0
    meetings_created: int = 0
    meetings_found: int = 0
    places_set: int = 0
    attendance_added: int = 0
    attendance_found: int = 0
    people_created: int = 0


@dataclass
class _Attendee:
    row: int
    name: str
    organisation: Organization
    role: str | None


@dataclass
class _MeetingPlan:
    """Everything the file says about one meeting, from all of its rows."""

    first_row: int
    forum: Forum
    starts_at: datetime
    place: str = ""
    place_row: int = 0
    attendees: dict[str, _Attendee] = field(default_factory=dict)  # name key → attendee
    existing: Meeting | None = None


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class _Checker:
    """Validates every row, gathering all errors and a plan per meeting."""

    def __init__(
        self,
        minutes: MinutesFile,
        forums: ForumIndex[Forum],
        organisations: list[Organization],
        now: datetime,
        tz: ZoneInfo,
    ) -> None:
        self.file = minutes
        self.forums = forums
        self.organisations = organisations
        self.now = now
        self.tz = tz
        self.errors: list[MinutesError] = []
        self.plans: dict[tuple[int, datetime], _MeetingPlan] = {}

    def error(self, row: int, column: str, code: str, **values: Any) -> None:
        self.errors.append(MinutesError(row, self.file.column(column), code, values))

    def check(self) -> list[_MeetingPlan]:
        for row in self.file.rows:
            self._check_row(row)
        return list(self.plans.values())

    def _check_row(self, row: MinutesRow) -> None:
        before = len(self.errors)
        for column, value in row.cells.items():
            if value and looks_like_personnummer(value):
                self.error(row.row, column, "personnummer")
        for column, limit in LIMITS.items():
            if len(row.get(column)) > limit:
                self.error(row.row, column, "too_long", limit=limit)
        forum = self._forum(row)
        starts_at = self._starts_at(row)
        attendee = self._attendee(row)
        if len(self.errors) > before or forum is None or starts_at is None:
            return
        key = (forum.id, starts_at)
        plan = self.plans.get(key)
        if plan is None:
            plan = self.plans[key] = _MeetingPlan(row.row, forum, starts_at)
        place = row.get("place")
        if place and plan.place and place != plan.place:
            self.error(row.row, "place", "place_conflict", other_row=plan.place_row)
        elif place and not plan.place:
            plan.place, plan.place_row = place, row.row
        if attendee is None:
            return
        same = plan.attendees.get(name_key(attendee.name))
        if same is None:
            plan.attendees[name_key(attendee.name)] = attendee
        elif same.organisation.id != attendee.organisation.id or (
            attendee.role and same.role and attendee.role != same.role
        ):
            self.error(row.row, "name", "attendee_conflict", other_row=same.row)

    def _forum(self, row: MinutesRow) -> Forum | None:
        text = row.get("forum")
        if not text:
            self.error(row.row, "forum", "missing_forum")
            return None
        forum = self.forums.match(text)
        if forum is None:
            known = ", ".join(f.name for f in self.forums.top_level())
            self.error(row.row, "forum", "unknown_forum", value=text, known=known)
        return forum

    def _starts_at(self, row: MinutesRow) -> datetime | None:
        text = row.get("date")
        if not text:
            self.error(row.row, "date", "missing_date")
            return None
        read = read_date(text)
        if read is None:
            self.error(row.row, "date", "bad_date", value=text)
            return None
        day, rest = read
        column, clock_text = ("date", rest) if rest else ("time", row.get("time"))
        if not clock_text:
            self.error(row.row, "time", "missing_time")
            return None
        clock = read_time(clock_text)
        if clock is None:
            self.error(row.row, column, "bad_time", value=clock_text)
            return None
        moment = localise(datetime.combine(day, clock), self.tz)
        if isinstance(moment, WhenProblem):
            self.error(row.row, column, _WHEN_CODES[moment.key], **moment.values)
            return None
        if moment > self.now:
            self.error(row.row, "date", "future", value=text)
            return None
        return moment

    def _attendee(self, row: MinutesRow) -> _Attendee | None:
        name, org_text, role_text = row.get("name"), row.get("organisation"), row.get("role")
        if not name:
            if org_text or role_text:
                self.error(row.row, "name", "organisation_without_name")
            return None
        role = forum_role_from_word(role_text) if role_text else None
        if role_text and role is None:
            self.error(row.row, "role", "unknown_role", value=role_text)
        if not org_text:
            self.error(row.row, "organisation", "missing_organisation")
            return None
        organisation = match_organisation(self.organisations, org_text)
        if organisation is None:
            known = ", ".join(o.short_name for o in self.organisations)
            self.error(row.row, "organisation", "unknown_organisation", value=org_text, known=known)
            return None
        return _Attendee(row.row, name, organisation, role)


class _People:
    """The directory's people by name, and the inactive ones the minutes add."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.by_name: dict[str, list[Person]] = {}
        for person in people:
            self.by_name.setdefault(name_key(person.name), []).append(person)
        self.new: dict[tuple[str, int], Person] = {}

    def find(self, attendee: _Attendee) -> Person | str | None:
        """The one person the name means, None when nobody has it, or `ambiguous`."""
        found = self.by_name.get(name_key(attendee.name), [])
        if len(found) > 1:
            found = [p for p in found if p.organization_id == attendee.organisation.id] or found
        if len(found) > 1:
            found = [p for p in found if p.active] or found
        if len(found) > 1:
            return "ambiguous"
        return found[0] if found else None


async def _existing_meetings(
    session: AsyncSession, plans: list[_MeetingPlan]
) -> dict[tuple[int, datetime], Meeting]:
    """The file's meetings already stored (not cancelled), by forum and start: one query."""
    if not plans:
        return {}
    starts = [plan.starts_at for plan in plans]
    query = select(Meeting).where(
        Meeting.forum_id.in_({plan.forum.id for plan in plans}),
        Meeting.starts_at >= min(starts),
        Meeting.starts_at <= max(starts),
        Meeting.status != CANCELLED,
    )
    found: dict[tuple[int, datetime], Meeting] = {}
    for meeting in (await session.scalars(query.order_by(Meeting.id))).unique().all():
        found.setdefault((meeting.forum_id, meeting.starts_at), meeting)
    return found


async def _existing_attendance(
    session: AsyncSession, meeting_ids: list[int]
) -> set[tuple[int, int]]:
    if not meeting_ids:
        return set()
    rows = await session.execute(
        select(Attendance.meeting_id, Attendance.person_id).where(
            Attendance.meeting_id.in_(meeting_ids)
        )
    )
    return {(meeting_pk, person_pk) for meeting_pk, person_pk in rows.all()}


def _meeting_ref(meeting: Meeting) -> str:
    return f"M{meeting.id}"


async def import_minutes(
    session: AsyncSession, minutes: MinutesFile, *, now: datetime, tz: ZoneInfo
) -> MinutesReport:
    """Check every row, then write meetings, people and attendance in the caller's transaction.

    Raises `InvalidMinutesFile` before writing anything when any row is bad.
    """
    forums = await load_forum_index(session)
    organisations = list((await session.scalars(select(Organization))).all())
    checker = _Checker(minutes, forums, organisations, now, tz)
    plans = checker.check()
    people = _People((await session.scalars(select(Person))).unique().all())
    for plan in plans:
        for attendee in plan.attendees.values():
            if people.find(attendee) == "ambiguous":
                checker.error(attendee.row, "name", "ambiguous_person", name=attendee.name)
    if checker.errors:
        raise InvalidMinutesFile(sorted(checker.errors, key=lambda e: e.row or 0))
    existing = await _existing_meetings(session, plans)
    for plan in plans:
        plan.existing = existing.get((plan.forum.id, plan.starts_at))
    present = await _existing_attendance(
        session, [plan.existing.id for plan in plans if plan.existing is not None]
    )
    writer = _Writer(session, now, people)
    for plan in plans:
        writer.meeting(plan)
        writer.people_of(plan)
    await session.flush()  # one batch of inserts gives new meetings and people their ids
    writer.audit_people()
    for plan in plans:
        writer.attendance(plan, present)
    await session.flush()
    writer.report.rows = len(minutes.rows)
    return writer.report


class _Writer:
    """Applies the plans with audit rows the registrar can follow per meeting."""

    def __init__(self, session: AsyncSession, now: datetime, people: _People) -> None:
        self.session = session
        self.now = now
        self.people = people
        self.report = MinutesReport()
        self.audit = AuditTrail(session, IMPORT_ACTOR, now)
        self.meetings: dict[int, Meeting] = {}

    def meeting(self, plan: _MeetingPlan) -> None:
        existing = plan.existing
        if existing is not None:
            self.report.meetings_found += 1
            if plan.place and not existing.place:
                existing.place = plan.place
                self.report.places_set += 1
            self.meetings[id(plan)] = existing
            return
        meeting = Meeting(
            forum_id=plan.forum.id,
            starts_at=plan.starts_at,
            duration_minutes=DEFAULT_MINUTES,
            place=plan.place or None,
            status=SCHEDULED,
            recorded_afterwards=True,
            source=SOURCE,
            created_at=self.now,
        )
        self.session.add(meeting)
        self.meetings[id(plan)] = meeting
        self.report.meetings_created += 1

    def people_of(self, plan: _MeetingPlan) -> None:
        """Add the inactive people the plan needs, before the flush gives them ids."""
        for attendee in plan.attendees.values():
            self._person(attendee)

    def _person(self, attendee: _Attendee) -> Person:
        found = self.people.find(attendee)
        if isinstance(found, Person):
            return found
        key = (name_key(attendee.name), attendee.organisation.id)
        person = self.people.new.get(key)
        if person is None:
            person = Person(
                name=attendee.name,
                title="",
                organization_id=attendee.organisation.id,
                roles=[],
                source=PERSON_SOURCE,
                active=False,
            )
            self.session.add(person)
            self.people.new[key] = person
            self.report.people_created += 1
        return person

    def audit_people(self) -> None:
        for person in self.people.new.values():
            after = {"name": person.name, "organization_id": person.organization_id}
            self.audit("person.create", "person", person.id, None, {**after, "active": False})

    def attendance(self, plan: _MeetingPlan, present: set[tuple[int, int]]) -> None:
        meeting = self.meetings[id(plan)]
        if plan.existing is None:
            self.audit(
                "meeting.import",
                "meeting",
                _meeting_ref(meeting),
                None,
                {
                    "forum": plan.forum.key,
                    "starts_at": plan.starts_at.isoformat(),
                    "place": meeting.place,
                    "source": SOURCE,
                },
            )
        added: list[dict[str, object]] = []
        for attendee in plan.attendees.values():
            person = self._person(attendee)
            if (meeting.id, person.id) in present:
                self.report.attendance_found += 1
                continue
            present.add((meeting.id, person.id))
            self.session.add(
                Attendance(
                    meeting_id=meeting.id,
                    person_id=person.id,
                    organization_id=attendee.organisation.id,
                    role=attendee.role,
                    registered_by_person_id=None,
                    registered_at=self.now,
                    source=SOURCE,
                )
            )
            added.append({"person": person.id, "organisation": attendee.organisation.key})
            self.report.attendance_added += 1
        if added:
            self.audit(
                "attendance.import", "meeting", _meeting_ref(meeting), None, {"added": added}
            )
