"""Gather a report's figures in a fixed number of queries, whatever the amount of data.

Every section is one query (representation three, the agreements two), and everything else is
counted in memory from those rows, so the five-year report costs the same number of round trips
as a quarter's. `tests/report/test_gather.py` counts them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import lazyload

from bot.agreement import cycle
from bot.agreement.in_force import load_agreements, successor_of
from bot.directory.forums import ForumIndex
from bot.drafts.service import MESSAGE, OPEN_STATES, WITHDRAWN
from bot.meetings.representation import HeldMeetings, figures_of, load_held
from bot.meetings.service import root_of
from bot.report.figures import (
    ActionFigures,
    CommitmentFigures,
    Conclusion,
    CycleFigures,
    ForumRepresentation,
    MessageFigures,
    MissedMeeting,
    MissedPoint,
    Names,
    PartyFigures,
    RenewalFigures,
    Report,
    YearFigures,
)
from bot.report.period import ReportPeriod
from storage.models import ActionItem, Agreement, Draft, Forum, Person
from storage.models_lifecycle import Commitment, CycleCheck, PromiseDocument, Renewal
from storage.models_publications import Publication
from storage.models_report import FollowupConclusion

Visible = Callable[[Forum], bool]


@dataclass(frozen=True)
class Scope:
    """What the report covers and for whom: the period, the time zone, now, and which forums
    the reader may see (need-to-know forums only for their members and admins)."""

    period: ReportPeriod
    tz: ZoneInfo
    now: datetime
    visible: Visible

    def bounds(self) -> tuple[datetime, datetime]:
        return self.period.period.bounds(self.tz)

    def cutoff(self) -> datetime:
        """The end of the period, or now if the period is still running."""
        return min(self.bounds()[1], self.now)


def _forum_names(forum: Forum) -> Names:
    return Names(forum.name, forum.name_en)


def _parties(figures_list: list[PartyFigures]) -> tuple[PartyFigures, ...]:
    return tuple(figures_list)


def _representation(
    held: HeldMeetings, index: ForumIndex[Forum], forums: list[Forum], scope: Scope
) -> tuple[ForumRepresentation, ...]:
    whole = figures_of(held, index, forums)
    by_year: dict[int, list[int]] = defaultdict(list)
    for position, meeting in enumerate(held.meetings):
        by_year[meeting.starts_at.astimezone(scope.tz).year].append(position)
    yearly = {
        year: figures_of(held, index, forums, [held.meetings[i] for i in by_year.get(year, [])])
        for year in scope.period.years
    }
    gaps_by_forum: dict[tuple[int, int], int] = defaultdict(int)
    for meeting in held.without_attendance(held.meetings):
        year = meeting.starts_at.astimezone(scope.tz).year
        gaps_by_forum[(held.owner[meeting.forum_id].id, year)] += 1
    result = []
    for position, forum_figures in enumerate(whole):
        forum = forum_figures.forum
        parties = [
            PartyFigures(
                org.organisation.key,
                org.organisation.short_name,
                org.represented,
                forum_figures.held,
                tuple(MissedMeeting(m.id, m.starts_at) for m in org.missing),
            )
            for org in forum_figures.per_org
        ]
        years = []
        for year in scope.period.years:
            one = yearly[year][position]
            years.append(
                YearFigures(
                    year,
                    one.held,
                    tuple(
                        PartyFigures(
                            org.organisation.key,
                            org.organisation.short_name,
                            org.represented,
                            one.held,
                        )
                        for org in one.per_org
                    ),
                    gaps_by_forum.get((forum.id, year), 0),
                )
            )
        result.append(
            ForumRepresentation(
                forum.key,
                _forum_names(forum),
                forum_figures.held,
                _parties(parties),
                sum(gaps_by_forum.get((forum.id, year), 0) for year in scope.period.years),
                tuple(years),
            )
        )
    return tuple(result)


async def _messages(session: AsyncSession, scope: Scope) -> MessageFigures:
    start, _ = scope.bounds()
    end = scope.cutoff()
    rows = await session.execute(
        select(Draft.state, Draft.created_at, Draft.approved_at, Draft.updated_at).where(
            Draft.kind == MESSAGE,
            Draft.created_at < end,
            or_(Draft.created_at >= start, Draft.approved_at >= start, Draft.updated_at >= start),
        )
    )
    drafted = approved = withdrawn = still_open = 0
    for state, created_at, approved_at, updated_at in rows.all():
        created_in = start <= created_at < end
        drafted += created_in
        # `approved_at` is set when the last party approved: approved by both.
        approved += approved_at is not None and start <= approved_at < end
        withdrawn += state == WITHDRAWN and start <= updated_at < end
        still_open += created_in and state in OPEN_STATES
    # Where and when a message went out is recorded with `utkast U7 publicerad <länk>`.
    published = await session.scalar(
        select(func.count(distinct(Publication.draft_id)))
        .join(Draft, Draft.id == Publication.draft_id)
        .where(
            Draft.kind == MESSAGE,
            Publication.published_at >= start,
            Publication.published_at < end,
        )
    )
    return MessageFigures(drafted, approved, withdrawn, still_open, int(published or 0))


async def _actions(
    session: AsyncSession, index: ForumIndex[Forum], visible: set[int], scope: Scope
) -> tuple[ActionFigures, ...]:
    start, _ = scope.bounds()
    end = scope.cutoff()
    today = end.astimezone(scope.tz).date()
    rows = await session.execute(
        select(ActionItem.forum_id, ActionItem.created_at, ActionItem.closed_at, ActionItem.due)
        .where(
            ActionItem.created_at < end,
            or_(ActionItem.closed_at.is_(None), ActionItem.closed_at >= start),
        )
        .order_by(ActionItem.id)
    )
    counts: dict[int | None, list[int]] = {}
    for forum_id, created_at, closed_at, due in rows.all():
        key: int | None = None
        if forum_id is not None:
            forum = index.by_id(forum_id)
            if forum is None:
                continue
            key = root_of(forum, index).id
            if key not in visible:
                continue
        figures = counts.setdefault(key, [0, 0, 0])
        figures[0] += start <= created_at < end
        figures[1] += closed_at is not None and start <= closed_at < end
        figures[2] += (closed_at is None or closed_at >= end) and due < today
    result = []
    for forum in index.top_level():
        if forum.id in counts:
            opened, closed, overdue = counts[forum.id]
            result.append(ActionFigures(forum.key, _forum_names(forum), opened, closed, overdue))
    if None in counts:
        opened, closed, overdue = counts[None]
        result.append(ActionFigures(None, None, opened, closed, overdue))
    return tuple(result)


async def _commitments(session: AsyncSession, scope: Scope) -> tuple[CommitmentFigures, ...]:
    rows = await session.execute(
        select(
            Commitment.id,
            PromiseDocument.year,
            Commitment.party,
            Commitment.text,
            Commitment.status,
            Commitment.outcome,
            Commitment.target_count,
            Commitment.target_unit,
        )
        .join(PromiseDocument, PromiseDocument.id == Commitment.document_id)
        .where(PromiseDocument.year.in_(scope.period.years))
        .order_by(PromiseDocument.year, Commitment.id)
    )
    return tuple(CommitmentFigures(*row) for row in rows.all())


def _covering(agreements: list[Agreement], year: int) -> list[Agreement]:
    """Agreements whose cycle may hold points that year (`cycle.points` decides exactly)."""
    return [a for a in agreements if a.valid_from.year <= year]


def _cycle(
    agreements: list[Agreement],
    checks: dict[int, dict[tuple[str, int], CycleCheck]],
    renewals: dict[int, Renewal],
    scope: Scope,
) -> tuple[CycleFigures, ...]:
    period = scope.period.period
    today = scope.now.astimezone(scope.tz).date()
    result = []
    for year in scope.period.years:
        seen: dict[tuple[str, date], cycle.Point] = {}
        for agreement in _covering(agreements, year):
            state = cycle.State(
                agreement,
                successor_of(agreements, agreement),
                checks.get(agreement.id, {}),
                renewals.get(agreement.id),
            )
            for point in state.points(year, today):
                if period.start <= point.day < period.end:
                    seen.setdefault((point.key, point.day), point)
        done = late = upcoming = 0
        missed = []
        for point in sorted(seen.values(), key=lambda p: (p.day, p.key)):
            finished = point.check.done_on if point.check is not None else point.decided_on
            if finished is not None:
                late += finished > point.day
                done += finished <= point.day
            elif point.state == cycle.OVERDUE:
                name = Names(point.event.name_sv, point.event.name_en) if point.event else None
                missed.append(MissedPoint(point.key, point.day, name))
            else:
                upcoming += 1
        result.append(CycleFigures(year, done, late, tuple(missed), upcoming))
    return tuple(result)


def _renewal(
    agreements: list[Agreement], renewals: dict[int, Renewal], scope: Scope
) -> RenewalFigures | None:
    period = scope.period.period
    touching = [a for a in agreements if a.valid_from < period.end and a.ends_on >= period.start]
    if not touching:
        return None
    agreement = touching[-1]
    renewal = renewals.get(agreement.id)
    successor = successor_of(agreements, agreement)
    return RenewalFigures(
        agreement.title,
        agreement.valid_to,
        agreement.extended_to,
        renewal.extension_note if renewal else None,
        renewal.board_date if renewal else None,
        renewal.board_paragraph if renewal else None,
        renewal.board_dnr if renewal else None,
        renewal.police_date if renewal else None,
        renewal.police_dnr if renewal else None,
        renewal.signed_on if renewal else None,
        successor.title if successor else None,
    )


async def _conclusions(session: AsyncSession, scope: Scope) -> tuple[Conclusion, ...]:
    rows = await session.execute(
        select(
            FollowupConclusion.year,
            FollowupConclusion.revise,
            FollowupConclusion.motivation,
            Person.name,
            FollowupConclusion.at,
        )
        .outerjoin(Person, Person.id == FollowupConclusion.decided_by_id)
        .where(FollowupConclusion.year.in_(scope.period.years))
        .order_by(FollowupConclusion.year, FollowupConclusion.at, FollowupConclusion.id)
    )
    latest: dict[int, Conclusion] = {}
    for row in rows.all():
        latest[row[0]] = Conclusion(*row)  # later rows replace earlier ones
    return tuple(latest[year] for year in sorted(latest))


async def gather(session: AsyncSession, index: ForumIndex[Forum], scope: Scope) -> Report:
    """Every section of the report for the forums the reader may see."""
    top = index.top_level()
    forums = [forum for forum in top if scope.visible(forum)]
    held = await load_held(session, forums, scope.period.period, scope.tz, scope.now)
    agreements = await load_agreements(session)
    ids = [a.id for a in agreements]
    checks = await cycle.load_checks(session, ids)
    renewal_rows = await session.scalars(
        select(Renewal)
        .options(lazyload(Renewal.proposal_draft))
        .where(Renewal.agreement_id.in_(ids))
    )
    renewals = {row.agreement_id: row for row in renewal_rows.all()}
    period = scope.period.period
    return Report(
        label=scope.period.label,
        start=period.start,
        end=period.end,
        years=scope.period.years,
        made_at=scope.now,
        representation=_representation(held, index, forums, scope),
        messages=await _messages(session, scope),
        actions=await _actions(session, index, {f.id for f in forums}, scope),
        commitments=await _commitments(session, scope),
        cycle=_cycle(agreements, checks, renewals, scope),
        renewal=_renewal(agreements, renewals, scope),
        conclusions=await _conclusions(session, scope),
        forums_left_out=len(top) - len(forums),
        org_names={org.key: org.short_name for org in held.orgs.values()},
    )
