"""A realistic data set for benchmarks and load tests: years of forum meetings and attendance.

On top of the bundled agreement (four forums, four Spindelgrupp groups) it adds staff, forum
memberships, meetings at each forum's rhythm (or denser) and attendance with realistic gaps,
deterministically from a seed, so two runs build the same data. Defaults: 5 years, 300
people, about 1,400 meetings and 11,000–12,000 attendance rows. Reuse it:

    async with database.transaction() as session:
        report = await build_dataset(session, end=now)
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.agreement.file import load_agreement_file
from bot.agreement.seed import seed
from bot.common.config import BUNDLED_AGREEMENT
from storage.models import Attendance, Forum, ForumMember, Meeting, Organization, Person, Rsvp

# Meetings a year per forum or group key: Brå up to ten, Spindelgrupper about weekly.
RHYTHM = {
    "bra": 10,
    "spindel.broby": 50,
    "spindel.knislinge": 50,
    "spindel.glimakra-hanaskog": 50,
    "spindel.sibbhult": 50,
    "tillsyn": 48,
    "avhopp": 24,
}
MEMBERS_PER_FORUM = 10


@dataclass
class DatasetReport:
    people: int
    meetings: int
    attendance: int
    rsvps: int
    first: datetime
    last: datetime


async def build_dataset(
    session: AsyncSession,
    *,
    end: datetime,
    years: int = 5,
    people: int = 300,
    density: float = 1.0,
    seed_value: int = 5,
) -> DatasetReport:
    """Add the data set to a migrated database (seeding the agreement first if needed)."""
    rng = random.Random(seed_value)
    if not await session.scalar(select(func.count()).select_from(Forum)):
        await seed(session, load_agreement_file(BUNDLED_AGREEMENT), now=end)
    orgs = list((await session.scalars(select(Organization).order_by(Organization.id))).all())
    forums = {f.key: f for f in (await session.scalars(select(Forum))).all()}
    staff = [
        Person(
            name=f"Bänkperson {number:03d}",
            title="Handläggare",
            organization_id=orgs[number % len(orgs)].id,
            roles=["member"],
            demo=True,
            source="import",
        )
        for number in range(people)
    ]
    session.add_all(staff)
    await session.flush()
    members: dict[str, list[Person]] = {}
    for key in RHYTHM:
        chosen = rng.sample(staff, MEMBERS_PER_FORUM)
        members[key] = chosen
        for position, person in enumerate(chosen):
            role = "chair" if position == 0 else "secretary" if position == 1 else "representative"
            session.add(ForumMember(forum_id=forums[key].id, person_id=person.id, role=role))
    await session.flush()
    start = end - timedelta(days=365 * years)
    meetings: list[tuple[Meeting, str]] = []
    for key, per_year in RHYTHM.items():
        count = max(1, round(per_year * years * density))
        step = (end - start) / count
        for number in range(count):
            moment = start + step * number + timedelta(minutes=rng.choice((0, 30, 60)))
            moment = moment.replace(hour=rng.choice((7, 8, 12, 13)), minute=0, second=0)
            moment = moment.replace(microsecond=0)
            meeting = Meeting(
                forum_id=forums[key].id,
                starts_at=moment.astimezone(UTC),
                duration_minutes=60,
                place=f"Rum {rng.randint(1, 20)}",
                status="cancelled" if rng.random() < 0.03 else "scheduled",
                recorded_afterwards=False,
                created_at=moment - timedelta(days=14),
            )
            meetings.append((meeting, key))
    session.add_all([m for m, _ in meetings])
    await session.flush()
    attendance_rows: list[dict[str, object]] = []
    rsvp_rows: list[dict[str, object]] = []
    for meeting, key in meetings:
        if meeting.status != "scheduled" or meeting.starts_at > end:
            continue
        absent_org = rng.choice([o.id for o in orgs]) if rng.random() < 0.12 else None
        for person in members[key]:
            if person.organization_id == absent_org or rng.random() > 0.93:
                continue
            attendance_rows.append(
                {
                    "meeting_id": meeting.id,
                    "person_id": person.id,
                    "organization_id": person.organization_id,
                    "role": "representative",
                    "registered_by_person_id": person.id,
                    "registered_at": meeting.starts_at + timedelta(minutes=5),
                }
            )
            if rng.random() < 0.3:
                rsvp_rows.append(
                    {
                        "meeting_id": meeting.id,
                        "person_id": person.id,
                        "coming": True,
                        "answered_at": meeting.starts_at - timedelta(days=2),
                    }
                )
    if attendance_rows:
        await session.execute(insert(Attendance), attendance_rows)
    if rsvp_rows:
        await session.execute(insert(Rsvp), rsvp_rows)
    return DatasetReport(
        people=len(staff),
        meetings=len(meetings),
        attendance=len(attendance_rows),
        rsvps=len(rsvp_rows),
        first=start,
        last=end,
    )
