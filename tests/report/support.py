"""A hand-computed year for the report (the day is tests.conftest.NOW, 26 November 2026).

Brå 2026: five held meetings (M1–M4 as in the representation tests, and one on 10 June with
no attendance registered at all); the municipality attended four, the police two; a cancelled
and a future meeting do not count. 2025: one Brå meeting, both parties there. Spindelgrupp
Broby: one meeting in March 2026, police only. Avhopparverksamhet (need-to-know): one meeting.

Joint messages created in 2026: three (one approved, one withdrawn, one pending), one in 2025;
the approved one published in March 2026 (web and Facebook), last year's in 2025.
Action items: Brå opened 2 in 2026 (one closed in April, one overdue since 1 June), one without
a forum (open, due 2027), one in Avhopparverksamhet (open, overdue).
Citizen promises 2026: L-police (target 40 trafikkontroller, outcome 31, in progress), L-joint
(done), L-municipality (not started). Cycle 2026: the January follow-up ticked on time, the
February promise ticked late; five more points have passed unticked, two are to come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from storage.db import Database
from storage.models import ActionItem, Agreement, Draft, Forum, Person
from storage.models_lifecycle import Commitment, CycleCheck, PromiseDocument
from storage.models_publications import Publication
from tests.conftest import NOW
from tests.meeting_support import add_meeting, attend


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=UTC)


@dataclass
class Fixture:
    bra_2026: list[int]
    gap: int
    commitments: dict[str, int]


async def _person(session: object, name: str) -> Person:
    from sqlalchemy.ext.asyncio import AsyncSession

    assert isinstance(session, AsyncSession)
    person = await session.scalar(select(Person).where(Person.name == name))
    assert person is not None
    return person


async def build(db: Database, promises_year: int = 2026) -> Fixture:
    """The year above; `promises_year` moves the promises and cycle checks (to build twice)."""
    m1 = await add_meeting(db, "bra", at("2026-02-10"))
    m2 = await add_meeting(db, "bra", at("2026-05-12"))
    gap = await add_meeting(db, "bra", at("2026-06-10"))
    m3 = await add_meeting(db, "bra", at("2026-09-15"))
    m4 = await add_meeting(db, "bra", at("2026-11-10"))
    await add_meeting(db, "bra", at("2026-12-10"))  # not held yet
    cancelled = await add_meeting(db, "bra", at("2026-10-01"), status="cancelled")
    m7 = await add_meeting(db, "bra", at("2025-11-04"))
    broby = await add_meeting(db, "spindel.broby", at("2026-03-03"))
    exit_meeting = await add_meeting(db, "avhopp", at("2026-04-07"))
    await attend(db, m1, "Anna Lindqvist", "Patric Åberg", "Niklas Årcén")
    await attend(db, m2, "Anna Lindqvist")
    await attend(db, m3, "Merete Tillman", "Veronica Gustafsson", "Niklas Årcén")
    await attend(db, m4, "Patric Åberg")
    await attend(db, cancelled, "Niklas Årcén", "Anna Lindqvist")
    await attend(db, m7, "Anna Lindqvist", "Niklas Årcén")
    await attend(db, broby, "Ahmed Karimi")
    await attend(db, exit_meeting, "Anna Lindqvist")
    commitments: dict[str, int] = {}
    async with db.transaction() as session:
        anna = await _person(session, "Anna Lindqvist")
        bra = await session.scalar(select(Forum).where(Forum.key == "bra"))
        exit_forum = await session.scalar(select(Forum).where(Forum.key == "avhopp"))
        agreement = await session.scalar(select(Agreement))
        assert bra is not None and exit_forum is not None and agreement is not None

        def draft(state: str, created: str, changed: str | None = None) -> Draft:
            approved = changed if state == "approved" else None
            return Draft(
                author_id=anna.id,
                organization_id=anna.organization_id,
                parties=["kommun", "polis"],
                kind="message",
                state=state,
                created_at=at(created),
                updated_at=at(changed or created),
                approved_at=at(approved) if approved else None,
            )

        approved_2026 = draft("approved", "2026-03-02", "2026-03-04")
        approved_2025 = draft("approved", "2025-05-02", "2025-05-03")
        session.add_all(
            [
                approved_2026,
                draft("withdrawn", "2026-04-02", "2026-04-03"),
                draft("pending", "2026-10-20"),
                approved_2025,
                Draft(
                    author_id=anna.id,
                    organization_id=anna.organization_id,
                    parties=["kommun", "polis"],
                    kind="promises",  # not a joint message: not counted
                    state="approved",
                    created_at=at("2026-01-20"),
                    updated_at=at("2026-01-21"),
                    approved_at=at("2026-01-21"),
                ),
            ]
        )

        await session.flush()
        # Published twice in 2026 (one message), and last year's once: one in 2026.
        session.add_all(
            [
                Publication(
                    draft_id=d.id,
                    url=url,
                    channel=where,
                    published_at=at(day),
                    recorded_by_id=anna.id,
                    platform="console",
                )
                for d, url, where, day in (
                    (approved_2026, "https://polisen.se/a", "webb", "2026-03-05"),
                    (approved_2026, "https://facebook.com/a", "Facebook", "2026-03-05"),
                    (approved_2025, "https://polisen.se/b", "webb", "2025-05-04"),
                )
            ]
        )

        def item(
            forum: Forum | None, created: str, due: str, closed: str | None = None
        ) -> ActionItem:
            return ActionItem(
                text="Åtgärd",
                owner_id=anna.id,
                assigned_by_id=anna.id,
                forum_id=forum.id if forum else None,
                due=date.fromisoformat(due),
                status="done" if closed else "open",
                created_at=at(created),
                closed_at=at(closed) if closed else None,
            )

        session.add_all(
            [
                item(bra, "2026-03-01", "2026-04-30", "2026-04-10"),
                item(bra, "2026-05-01", "2026-06-01"),
                item(None, "2026-09-01", "2027-02-01"),
                item(exit_forum, "2026-04-08", "2026-05-01"),
                item(bra, "2025-02-01", "2025-03-01", "2025-02-20"),  # 2025 only
            ]
        )
        document = PromiseDocument(agreement_id=agreement.id, year=promises_year, created_at=NOW)
        session.add(document)
        await session.flush()
        for key, party, text, status, outcome, target in (
            ("police", "polis", "Trafikkontroller vid skolorna", "in_progress", 31, 40),
            ("joint", "joint", "Trygghetsvandringar i Broby", "done", 4, 4),
            ("municipality", "kommun", "Bättre belysning i Folkets park", "not_started", 0, None),
        ):
            row = Commitment(
                agreement_id=agreement.id,
                document_id=document.id,
                party=party,
                text=text,
                status=status,
                outcome=outcome,
                target_count=target,
                target_unit="trafikkontroller"
                if key == "police"
                else ("trygghetsvandringar" if target else None),
                created_by_id=anna.id,
                created_at=NOW,
                updated_at=NOW,
            )
            session.add(row)
            await session.flush()
            commitments[key] = row.id
        session.add_all(
            [
                CycleCheck(
                    agreement_id=agreement.id,
                    point="uppfoljning_medborgarlofte",
                    year=promises_year,
                    done_on=date(promises_year, 1, 10),
                    done_by_id=anna.id,
                    at=at("2026-01-10"),
                ),
                CycleCheck(
                    agreement_id=agreement.id,
                    point="medborgarlofte",
                    year=promises_year,
                    done_on=date(promises_year, 3, 1),
                    done_by_id=anna.id,
                    at=at("2026-03-01"),
                ),
            ]
        )
    return Fixture([m1, m2, m3, m4], gap, commitments)
