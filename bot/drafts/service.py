"""The rules of a joint message: who may approve, request changes, edit and withdraw, and when.

Every decision starts by bumping the draft's `revision` in one conditional UPDATE. That takes
the row lock on PostgreSQL and the write lock on SQLite, so two signers pressing at the same
moment are serialised: the second one sees the first one's approval, and exactly one of them
makes the transition to *godkänd av båda parter* (and so exactly one announcement goes out).
A partial unique index (one approval per organisation and version) backs this up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.ids import IdKind, TypedId
from bot.core import personal_text
from bot.core.context import CommandError, Context
from bot.drafts.content import Content, Problem, problems
from bot.drafts.policy import DraftPolicy, draft_policy
from storage.models import (
    Approval,
    ChannelBinding,
    Draft,
    DraftVersion,
    Forum,
    Person,
    PostedMessage,
)

HELD = "held"
PENDING = "pending"
CHANGES_REQUESTED = "changes_requested"
APPROVED = "approved"
WITHDRAWN = "withdrawn"
# A draft still in play: not yet approved by every party, nor withdrawn.
OPEN_STATES = (HELD, PENDING, CHANGES_REQUESTED)

APPROVE = "approve"
REQUEST_CHANGES = "request_changes"
WITHDRAW = "withdraw"
SEND_ANYWAY = "send_anyway"
MAX_COMMENT = 2000
HOLD_PERSONNUMMER = "personnummer"


def draft_ref(draft: Draft | int) -> str:
    number = draft if isinstance(draft, int) else draft.id
    return str(TypedId(IdKind.DRAFT, number))


def current(draft: Draft) -> DraftVersion:
    return next(v for v in draft.versions if v.number == draft.current_version)


def decisions_on(draft: Draft, version: int, decision: str) -> list[Approval]:
    return [d for d in draft.decisions if d.version == version and d.decision == decision]


def approvals_by_org(draft: Draft, version: int) -> dict[int, Approval]:
    return {a.organization_id: a for a in decisions_on(draft, version, APPROVE)}


def open_change_request(draft: Draft) -> Approval | None:
    """The latest change request on the current version, while the draft waits for the author."""
    if draft.state != CHANGES_REQUESTED:
        return None
    found = decisions_on(draft, draft.current_version, REQUEST_CHANGES)
    return found[-1] if found else None


async def load(session: AsyncSession, draft_id: int, *, fresh: bool = False) -> Draft | None:
    query = select(Draft).where(Draft.id == draft_id)
    if fresh:
        query = query.execution_options(populate_existing=True)
    return await session.scalar(query)


async def lock(context: Context, draft_id: int) -> Draft:
    """Serialise decisions on one draft (see the module docstring), then read it afresh."""
    result = await context.session.execute(
        update(Draft)
        .where(Draft.id == draft_id)
        .values(revision=Draft.revision + 1)
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        raise CommandError("drafts.error.not_found", id=draft_ref(draft_id))
    draft = await load(context.session, draft_id, fresh=True)
    assert draft is not None
    return draft


async def policy_for(context: Context) -> DraftPolicy:
    today = context.now().astimezone(context.settings.tz).date()
    return await draft_policy(context.session, today)


def _raise_problems(found: list[Problem]) -> None:
    if found:
        first = found[0]
        raise CommandError(first.key, **first.values)


async def _forums_of(context: Context, draft: Draft | None) -> list[Forum]:
    """The forums of the channels a draft's card was posted in (the asker's channel is added
    by `personal_text.check`): a closed one refuses personnummer-like text outright."""
    if draft is None:
        return []
    query = (
        select(Forum)
        .join(ChannelBinding, ChannelBinding.forum_id == Forum.id)
        .join(PostedMessage, PostedMessage.channel_id == ChannelBinding.channel_id)
        .where(PostedMessage.card == f"draft:{draft.id}")
    )
    return list((await context.session.scalars(query)).unique().all())


async def _hold_for(context: Context, content: Content, draft: Draft | None = None) -> str | None:
    """Held when the text looks like it holds a personnummer; refused in a closed forum."""
    fields = {"title": content.title, "text": content.text}
    held = await personal_text.check(context, fields, await _forums_of(context, draft))
    return HOLD_PERSONNUMMER if held else None


MESSAGE = "message"
PRESS_CONFERENCE = "press_conference"
# Other kinds of draft, approved the same way: a press conference's invitation (with its time
# and place on the draft), a year's citizen promises, Brå's proposal for the next agreement.
# The feature that made one links it from its own table.
KINDS = (MESSAGE, PRESS_CONFERENCE, "promises", "renewal")


async def create(
    context: Context,
    content: Content,
    kind: str = MESSAGE,
    *,
    event_at: datetime | None = None,
    event_place: str | None = None,
) -> Draft:
    """Save a new draft; it is held when its text looks like it holds a personnummer."""
    if kind not in KINDS:
        raise ValueError(f"unknown draft kind {kind}")
    _raise_problems(problems(content))
    person = context.require_person()
    policy = await policy_for(context)
    party_keys = [org.key for org in policy.parties]
    if person.organization.key not in party_keys:
        raise CommandError("drafts.error.not_a_party")
    now = context.now()
    hold = await _hold_for(context, content)
    draft = Draft(
        author_id=person.id,
        organization_id=person.organization_id,
        parties=party_keys,
        kind=kind,
        event_at=event_at,
        event_place=event_place,
        state=HELD if hold else PENDING,
        current_version=1,
        revision=1,
        created_at=now,
        updated_at=now,
    )
    context.session.add(draft)
    await context.session.flush()
    version = _new_version(context, draft, 1, content, hold)
    await context.session.flush()
    context.audit(
        "draft.create",
        "draft",
        draft_ref(draft),
        after={
            **_version_record(version, draft.state),
            "kind": kind,
            **({"event_at": event_at.isoformat()} if event_at else {}),
            **({"event_place": event_place} if event_place else {}),
        },
    )
    fresh = await load(context.session, draft.id, fresh=True)
    assert fresh is not None
    return fresh


def _new_version(
    context: Context, draft: Draft, number: int, content: Content, hold: str | None
) -> DraftVersion:
    version = DraftVersion(
        draft_id=draft.id,
        number=number,
        title=content.title,
        text=content.text,
        targets=list(content.targets),
        planned_at=content.planned_at,
        content_hash=content.digest(),
        hold=hold,
        created_by_id=context.require_person().id,
        created_at=context.now(),
        platform=context.request.user.platform,
    )
    context.session.add(version)
    return version


def _version_record(version: DraftVersion, state: str) -> dict[str, object]:
    return {
        "version": version.number,
        "title": version.title,
        "text": version.text,
        "targets": version.targets,
        "planned_at": version.planned_at.isoformat() if version.planned_at else None,
        "content_hash": version.content_hash,
        "hold": version.hold,
        "state": state,
    }


def _require_open(draft: Draft) -> None:
    if draft.state == WITHDRAWN:
        raise CommandError("drafts.error.withdrawn", id=draft_ref(draft))
    if draft.state == APPROVED:
        raise CommandError("drafts.error.already_approved", id=draft_ref(draft))


def _require_current(draft: Draft, version: int | None) -> None:
    if version is not None and version != draft.current_version:
        raise CommandError(
            "drafts.error.old_version",
            id=draft_ref(draft),
            version=version,
            current=draft.current_version,
        )


def _require_signer(draft: Draft, person: Person) -> None:
    if not person.has_role("signer"):
        raise CommandError("drafts.error.not_signer")
    if person.organization.key not in draft.parties:
        raise CommandError("drafts.error.not_a_party")


def _require_author_or_admin(draft: Draft, person: Person, key: str) -> None:
    if person.id != draft.author_id and not person.is_admin:
        raise CommandError(key, author=draft.author.name)


def _record(context: Context, draft: Draft, decision: str, comment: str | None = None) -> Approval:
    person = context.require_person()
    version = current(draft)
    row = Approval(
        draft_id=draft.id,
        version_id=version.id,
        version=version.number,
        organization_id=person.organization_id,
        person_id=person.id,
        decision=decision,
        comment=comment,
        at=context.now(),
        platform=context.request.user.platform,
    )
    context.session.add(row)
    return row


def _audit_decision(
    context: Context, draft: Draft, action: str, before: str, extra: dict[str, object]
) -> None:
    person = context.require_person()
    context.audit(
        action,
        "draft",
        draft_ref(draft),
        before={"state": before, "version": draft.current_version},
        after={
            "state": draft.state,
            "version": draft.current_version,
            "organisation": person.organization.key,
            **extra,
        },
    )


@dataclass(frozen=True)
class Outcome:
    draft: Draft
    # True only for the one decision that made the draft approved by every party.
    became_approved: bool = False
    # The decision that sent the draft back to its author, for the author's message.
    change_request: Approval | None = None


async def approve(
    context: Context, draft_id: int, version: int | None, organisation: str | None = None
) -> Outcome:
    """One approval per organisation per version, by a signer, for their own organisation."""
    person = context.require_person()
    draft = await lock(context, draft_id)
    _require_open(draft)
    _require_current(draft, version)
    if draft.state == HELD:
        raise CommandError("drafts.error.held", id=draft_ref(draft))
    if draft.state == CHANGES_REQUESTED:
        raise CommandError("drafts.error.changes_requested", id=draft_ref(draft))
    _require_signer(draft, person)
    if organisation and organisation != person.organization.key:
        raise CommandError("drafts.error.other_organisation", org=person.organization.short_name)
    if person.id == draft.author_id:
        policy = await policy_for(context)
        if not policy.author_may_approve:
            raise CommandError("drafts.error.author_may_not_approve")
    earlier = approvals_by_org(draft, draft.current_version).get(person.organization_id)
    if earlier is not None:
        raise CommandError(
            "drafts.error.already_approved_by_org",
            org=person.organization.short_name,
            name=earlier.person.name,
            version=draft.current_version,
        )
    before = draft.state
    _record(context, draft, APPROVE)
    await context.session.flush()
    reloaded = await load(context.session, draft.id, fresh=True)
    assert reloaded is not None
    draft = reloaded
    approved_orgs = {
        o.organization.key for o in decisions_on(draft, draft.current_version, APPROVE)
    }
    became = set(draft.parties) <= approved_orgs
    now = context.now()
    draft.updated_at = now
    if became:
        draft.state = APPROVED
        draft.approved_at = now
    _audit_decision(context, draft, "draft.approve", before, {})
    await context.session.flush()
    return Outcome(draft, became_approved=became)


async def request_changes(
    context: Context, draft_id: int, version: int | None, comment: str
) -> Outcome:
    """Any signer of a party sends the draft back to its author, with a comment."""
    person = context.require_person()
    comment = comment.strip()
    if not comment:
        raise CommandError("drafts.error.comment_missing")
    if len(comment) > MAX_COMMENT:
        raise CommandError("drafts.error.comment_too_long", limit=MAX_COMMENT)
    draft = await lock(context, draft_id)
    _require_open(draft)
    _require_current(draft, version)
    if draft.state == HELD:
        raise CommandError("drafts.error.held", id=draft_ref(draft))
    _require_signer(draft, person)
    if await personal_text.check(context, {"comment": comment}, await _forums_of(context, draft)):
        # A comment to the author has no hold to wait in: refused, whatever the forum.
        raise CommandError("personal_text.comment_refused")
    earlier = [
        d
        for d in decisions_on(draft, draft.current_version, REQUEST_CHANGES)
        if d.person_id == person.id
    ]
    if any(d.comment == comment for d in earlier):
        raise CommandError("drafts.error.already_requested", id=draft_ref(draft))
    before = draft.state
    request = _record(context, draft, REQUEST_CHANGES, comment)
    draft.state = CHANGES_REQUESTED
    draft.updated_at = context.now()
    _audit_decision(context, draft, "draft.request_changes", before, {"comment": comment})
    await context.session.flush()
    fresh = await load(context.session, draft.id, fresh=True)
    assert fresh is not None
    return Outcome(fresh, change_request=request)


async def edit(
    context: Context, draft_id: int, base_version: int | None, content: Content
) -> Outcome:
    """A new version by the author or an admin; earlier approvals stay but do not carry over."""
    person = context.require_person()
    _raise_problems(problems(content))
    draft = await lock(context, draft_id)
    _require_open(draft)
    _require_author_or_admin(draft, person, "drafts.error.edit_not_allowed")
    _require_current(draft, base_version)
    if content.digest() == current(draft).content_hash:
        raise CommandError("drafts.error.unchanged", id=draft_ref(draft))
    before = draft.state
    hold = await _hold_for(context, content, draft)
    number = draft.current_version + 1
    version = _new_version(context, draft, number, content, hold)
    draft.current_version = number
    draft.state = HELD if hold else PENDING
    draft.updated_at = context.now()
    await context.session.flush()
    context.audit(
        "draft.edit",
        "draft",
        draft_ref(draft),
        before={"state": before, "version": number - 1},
        after=_version_record(version, draft.state),
    )
    fresh = await load(context.session, draft.id, fresh=True)
    assert fresh is not None
    return Outcome(fresh)


async def withdraw(context: Context, draft_id: int, version: int | None = None) -> Outcome:
    """The author or an admin withdraws the draft; it takes no more decisions."""
    person = context.require_person()
    draft = await lock(context, draft_id)
    _require_open(draft)
    _require_author_or_admin(draft, person, "drafts.error.withdraw_not_allowed")
    before = draft.state
    _record(context, draft, WITHDRAW)
    draft.state = WITHDRAWN
    draft.updated_at = context.now()
    _audit_decision(context, draft, "draft.withdraw", before, {})
    await context.session.flush()
    fresh = await load(context.session, draft.id, fresh=True)
    assert fresh is not None
    return Outcome(fresh)


async def send_anyway(context: Context, draft_id: int, version: int | None) -> Outcome:
    """The author confirms a held version ("Skicka ändå"); the confirmation is recorded."""
    person = context.require_person()
    draft = await lock(context, draft_id)
    _require_open(draft)
    _require_current(draft, version)
    if person.id != draft.author_id:
        raise CommandError("drafts.error.confirm_not_allowed", author=draft.author.name)
    if draft.state != HELD:
        raise CommandError("drafts.error.not_held", id=draft_ref(draft))
    held = current(draft)
    fields = {"title": held.title, "text": held.text}
    # A closed forum never takes the text, whatever a (possibly altered) button says.
    await personal_text.check(context, fields, await _forums_of(context, draft))
    before = draft.state
    _record(context, draft, SEND_ANYWAY)
    draft.state = PENDING
    draft.updated_at = context.now()
    _audit_decision(context, draft, "draft.send_anyway", before, {"hold": current(draft).hold})
    await context.session.flush()
    fresh = await load(context.session, draft.id, fresh=True)
    assert fresh is not None
    return Outcome(fresh)


async def list_drafts(
    session: AsyncSession, states: tuple[str, ...], limit: int = 20
) -> list[Draft]:
    query = (
        select(Draft).where(Draft.state.in_(states)).order_by(Draft.updated_at.desc()).limit(limit)
    )
    return list((await session.scalars(query)).unique().all())
