"""The path to the next agreement, as steps with an owner, a state and a date.

Brå drafts the proposal (a text co-approved by both parties through the joint drafts, or a link
to it); the Brå coordinator takes it to the municipal executive board (*kommunstyrelsen*) and
the community police officer to the Police Authority, where the local police area chief
decides; then it is signed and registered as the new agreement. An extension agreed by both
moves the end of the current one instead. Nothing here is attributed to the agreement that it
does not say: the steps follow its sections *Beslut* and *Samverkansorganisation*.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update

from bot.core.context import CommandError, Context
from bot.drafts.service import APPROVED, OPEN_STATES
from storage.models import Agreement, CycleEvent, Person
from storage.models_lifecycle import (
    BasisDocument,
    Commitment,
    CommitmentEvent,
    CycleCheck,
    FocusArea,
    PromiseDocument,
    Renewal,
)

PROPOSAL = "proposal"
BOARD = "board"
POLICE = "police"
SIGNED = "signed"
SUCCESSOR = "successor"
DONE = "done"
PENDING = "pending"
MISSING = "missing"
RENEWAL_ROLES = ("bra_coordinator", "kommunpolis")
STEP_ROLES: dict[str, tuple[str, ...]] = {
    PROPOSAL: ("bra_coordinator",),
    BOARD: ("bra_coordinator",),
    POLICE: ("kommunpolis",),
    SIGNED: ("bra_coordinator", "kommunpolis"),
    SUCCESSOR: ("bra_coordinator", "kommunpolis"),
}


@dataclass(frozen=True)
class Step:
    key: str
    roles: tuple[str, ...]
    state: str
    day: date | None = None
    values: dict[str, str] | None = None


def may_renew(person: Person) -> bool:
    return person.is_admin or any(person.has_role(role) for role in RENEWAL_ROLES)


def require_renewer(context: Context) -> Person:
    person = context.require_person()
    if not may_renew(person):
        raise CommandError("renewal.error.not_allowed")
    return person


def steps(renewal: Renewal | None, successor: Agreement | None) -> list[Step]:
    """The five steps in order, each done, pending (a proposal awaiting approval) or missing."""
    r = renewal
    proposal = _proposal_step(r)
    board = (
        Step(
            BOARD,
            STEP_ROLES[BOARD],
            DONE,
            r.board_date,
            {"paragraph": r.board_paragraph or "–", "dnr": r.board_dnr or "–"},
        )
        if r is not None and r.board_date
        else Step(BOARD, STEP_ROLES[BOARD], MISSING)
    )
    police = (
        Step(POLICE, STEP_ROLES[POLICE], DONE, r.police_date, {"dnr": r.police_dnr or "–"})
        if r is not None and r.police_date
        else Step(POLICE, STEP_ROLES[POLICE], MISSING)
    )
    signed = (
        Step(SIGNED, STEP_ROLES[SIGNED], DONE, r.signed_on)
        if r is not None and r.signed_on
        else Step(SIGNED, STEP_ROLES[SIGNED], MISSING)
    )
    registered = (
        Step(
            SUCCESSOR, STEP_ROLES[SUCCESSOR], DONE, successor.valid_from, {"title": successor.title}
        )
        if successor is not None
        else Step(SUCCESSOR, STEP_ROLES[SUCCESSOR], MISSING)
    )
    return [proposal, board, police, signed, registered]


def _proposal_step(renewal: Renewal | None) -> Step:
    roles = STEP_ROLES[PROPOSAL]
    if renewal is None:
        return Step(PROPOSAL, roles, MISSING)
    draft = renewal.proposal_draft
    if draft is not None and draft.state == APPROVED and draft.approved_at is not None:
        return Step(PROPOSAL, roles, DONE, draft.approved_at.date(), {"draft": f"U{draft.id}"})
    if renewal.proposal_link:
        return Step(PROPOSAL, roles, DONE, None, {"link": renewal.proposal_link})
    if draft is not None and draft.state in OPEN_STATES:
        return Step(PROPOSAL, roles, PENDING, None, {"draft": f"U{draft.id}"})
    return Step(PROPOSAL, roles, MISSING)


def missing(found: list[Step]) -> list[Step]:
    return [step for step in found if step.state != DONE]


async def renewal_of(context: Context, agreement: Agreement) -> Renewal:
    """The agreement's renewal record, created on first use."""
    found = await context.session.scalar(
        select(Renewal).where(Renewal.agreement_id == agreement.id)
    )
    if found is None:
        found = Renewal(agreement_id=agreement.id, updated_at=context.now())
        context.session.add(found)
        await context.session.flush()
    return found


def _snapshot(renewal: Renewal) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in (
        "proposal_draft_id",
        "proposal_link",
        "board_date",
        "board_paragraph",
        "board_dnr",
        "police_date",
        "police_dnr",
        "signed_on",
        "successor_id",
        "extension_note",
    ):
        value = getattr(renewal, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    return values


async def change(context: Context, agreement: Agreement, **values: object) -> Renewal:
    """Set fields of the renewal record, audited with before and after."""
    require_renewer(context)
    renewal = await renewal_of(context, agreement)
    before = _snapshot(renewal)
    for name, value in values.items():
        setattr(renewal, name, value)
    renewal.updated_at = context.now()
    await context.session.flush()
    after = _snapshot(renewal)
    changed = [k for k in after if before[k] != after[k]]
    context.audit(
        "renewal.update",
        "renewal",
        agreement.key,
        {k: before[k] for k in changed},
        {k: after[k] for k in changed},
    )
    return renewal


async def register_successor(
    context: Context, agreement: Agreement, start: date, end: date
) -> Agreement:
    """The next agreement, once both decisions are recorded: same parties, settings and local
    plan; forums and people are shared and so carry over as they are."""
    require_renewer(context)
    renewal = await renewal_of(context, agreement)
    if not (renewal.board_date and renewal.police_date):
        raise CommandError("renewal.error.decisions_missing")
    if renewal.successor_id is not None:
        raise CommandError("renewal.error.already_registered")
    if end < start:
        raise CommandError("renewal.error.dates_order")
    if start <= agreement.valid_from:
        raise CommandError(
            "renewal.error.starts_too_early", date=context.t.date(agreement.valid_from)
        )
    key = f"{start.year}-{end.year}"
    taken = await context.session.scalar(select(Agreement.id).where(Agreement.key == key))
    if taken is not None:
        raise CommandError("renewal.error.key_taken", agreement=key)
    successor = Agreement(
        key=key,
        title=f"Samverkansöverenskommelse {start.year}–{end.year}",
        parties=list(agreement.parties),
        valid_from=start,
        valid_to=end,
        follow_up_month=agreement.follow_up_month,
        revision_status="beslutad",
        author_may_approve=agreement.author_may_approve,
        draft_targets=list(agreement.draft_targets),
        source="chat",
        cycle_events=[_copy(event) for event in agreement.cycle_events],
    )
    context.session.add(successor)
    await context.session.flush()
    renewal.successor_id = successor.id
    renewal.updated_at = context.now()
    context.audit(
        "agreement.register",
        "agreement",
        key,
        None,
        {
            "valid_from": start.isoformat(),
            "valid_to": end.isoformat(),
            "follows": agreement.key,
            "board_dnr": renewal.board_dnr,
            "police_dnr": renewal.police_dnr,
        },
    )
    return successor


def _copy(event: CycleEvent) -> CycleEvent:
    return CycleEvent(
        key=event.key,
        name_sv=event.name_sv,
        name_en=event.name_en,
        month=event.month,
        day=event.day,
        responsible_role=event.responsible_role,
        source=event.source,
        when_sv=event.when_sv,
        when_en=event.when_en,
        quote=event.quote,
        status_request=event.status_request,
    )


async def extend(context: Context, agreement: Agreement, to: date, note: str | None) -> None:
    """Move the end of the agreement, as both parties agreed; the agreed period is kept."""
    require_renewer(context)
    if to <= agreement.ends_on:
        raise CommandError("renewal.error.extend_not_later", date=context.t.date(agreement.ends_on))
    before = {"ends_on": agreement.ends_on.isoformat()}
    agreement.extended_to = to
    renewal = await renewal_of(context, agreement)
    renewal.extension_note = note
    renewal.updated_at = context.now()
    context.audit(
        "agreement.extend",
        "agreement",
        agreement.key,
        before,
        {"ends_on": to.isoformat(), "decision": note},
    )


async def carry_over(context: Context, old: Agreement, new: Agreement) -> None:
    """What belongs to the successor's period moves to it: the promises of its years (with
    their focus areas, commitments and history), basis documents and ticked points from its
    first day on."""
    session, start = context.session, new.valid_from
    documents = select(PromiseDocument.id).where(
        PromiseDocument.agreement_id == old.id, PromiseDocument.year >= start.year
    )
    ids = list((await session.scalars(documents)).all())
    commitments = select(Commitment.id).where(Commitment.document_id.in_(ids))
    moves = [
        update(CommitmentEvent).where(CommitmentEvent.commitment_id.in_(commitments)),
        update(Commitment).where(Commitment.document_id.in_(ids)),
        update(FocusArea).where(FocusArea.document_id.in_(ids)),
        update(PromiseDocument).where(PromiseDocument.id.in_(ids)),
        update(BasisDocument).where(
            BasisDocument.agreement_id == old.id, BasisDocument.dated >= start
        ),
        update(CycleCheck).where(CycleCheck.agreement_id == old.id, CycleCheck.year >= start.year),
    ]
    for statement in moves:
        await session.execute(
            statement.values(agreement_id=new.id).execution_options(synchronize_session=False)
        )
