"""Amplifying each other's messages: one party asks the other's communicators to share a post.

The agreement asks both parties to "interact with and amplify each other's messages". A request
(`F3`) is posted to the joint channel with a button "Jag har delat"; whoever of another party
presses it is recorded once, and every posted copy of the request shows who has shared it. A
request is open until someone of every other party has shared the post.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.cards import posted_copies
from bot.common.i18n import Translator
from bot.core.context import CommandError, Context, Outgoing
from bot.core.reply import Button, ButtonStyle, Reply
from bot.drafts.card import short_time
from bot.drafts.names import AMPLIFY_SHARED_ROUTE
from bot.drafts.policy import DraftPolicy
from bot.drafts.publications import check_link
from bot.drafts.publish import channel_translator, joint_room
from bot.drafts.service import policy_for
from storage.models import Channel, Organization
from storage.models_publications import Amplification, AmplifyRequest

LISTED = 20


def amplify_ref(request: AmplifyRequest | int) -> str:
    number = request if isinstance(request, int) else request.id
    return f"F{number}"


def card_key(request: AmplifyRequest) -> str:
    return f"amplify:{request.id}"


def others(request: AmplifyRequest, parties: list[Organization]) -> list[Organization]:
    """The parties asked to share: every party but the one whose post it is."""
    return [org for org in parties if org.id != request.organization_id]


def waiting_for(request: AmplifyRequest, parties: list[Organization]) -> list[Organization]:
    shared = {share.organization_id for share in request.shares}
    return [org for org in others(request, parties) if org.id not in shared]


def request_card(
    t: Translator, request: AmplifyRequest, parties: list[Organization], now: datetime
) -> Reply:
    """The request as the joint channel sees it: whose post, the link, who has shared it."""
    ref = amplify_ref(request)
    asked = ", ".join(org.short_name for org in others(request, parties)) or "–"
    lines = [
        t(
            "amplify.card.shared_by",
            name=share.person.name,
            time=short_time(t, share.shared_at, now),
        )
        for share in request.shares
    ]
    return Reply(
        heading=t("amplify.card.heading", id=ref, org=request.organization.short_name),
        text=t(
            "amplify.card.text",
            url=request.url,
            org=request.organization.short_name,
            name=request.requested_by.name,
            asked=asked,
        ),
        context="\n".join(lines) if lines else t("amplify.card.none_yet"),
        buttons=[
            Button(
                t("amplify.button.shared"),
                AMPLIFY_SHARED_ROUTE,
                {"request": request.id},
                ButtonStyle.PRIMARY,
                t("amplify.named.shared", id=ref),
            )
        ],
    )


async def load(session: AsyncSession, number: int, *, fresh: bool = False) -> AmplifyRequest | None:
    query = select(AmplifyRequest).where(AmplifyRequest.id == number)
    if fresh:
        query = query.execution_options(populate_existing=True)
    return await session.scalar(query)


@dataclass(frozen=True)
class Asked:
    request: AmplifyRequest
    created: bool
    channels: list[Channel]


def _party_of(policy: DraftPolicy, context: Context) -> Organization:
    person = context.require_person()
    if person.organization_id not in {org.id for org in policy.parties}:
        raise CommandError("amplify.error.not_a_party")
    return person.organization


async def ask(context: Context, link: str) -> Asked:
    """Ask the other parties to share `link`; the same open request is never made twice."""
    url = check_link(link)
    policy = await policy_for(context)
    organisation = _party_of(policy, context)
    earlier = await context.session.scalars(
        select(AmplifyRequest).where(
            AmplifyRequest.url == url, AmplifyRequest.organization_id == organisation.id
        )
    )
    for request in earlier.unique().all():
        if waiting_for(request, policy.parties):
            return Asked(request, created=False, channels=[])
    person = context.require_person()
    request = AmplifyRequest(
        url=url,
        organization_id=organisation.id,
        requested_by_id=person.id,
        requested_at=context.now(),
        platform=context.request.user.platform,
    )
    context.session.add(request)
    await context.session.flush()
    context.audit("amplify.request", "amplify_request", amplify_ref(request), after={"url": url})
    fresh = await load(context.session, request.id, fresh=True)
    assert fresh is not None
    card = request_card(channel_translator(context), fresh, policy.parties, context.now())
    channels = await joint_room(context)
    for channel in channels:
        context.queue(Outgoing(channel, card, card=card_key(fresh), revision=0))
    return Asked(fresh, created=True, channels=channels)


async def shared(context: Context, number: int) -> AmplifyRequest:
    """Record that the asker shared the post; once per person, by another party only."""
    person = context.require_person()
    request = await load(context.session, number)
    if request is None:
        raise CommandError("amplify.error.not_found", id=amplify_ref(number))
    policy = await policy_for(context)
    _party_of(policy, context)
    if person.organization_id == request.organization_id:
        raise CommandError("amplify.error.own_post", org=request.organization.short_name)
    if any(share.person_id == person.id for share in request.shares):
        raise CommandError("amplify.error.already", id=amplify_ref(request))
    context.session.add(
        Amplification(
            request_id=request.id,
            person_id=person.id,
            organization_id=person.organization_id,
            shared_at=context.now(),
            platform=context.request.user.platform,
        )
    )
    await context.session.flush()
    context.audit(
        "amplify.shared",
        "amplify_request",
        amplify_ref(request),
        after={"person": person.id, "organisation": person.organization.key},
    )
    fresh = await load(context.session, request.id, fresh=True)
    assert fresh is not None
    card = request_card(channel_translator(context), fresh, policy.parties, context.now())
    for copy in await posted_copies(context.session, card_key(fresh)):
        context.queue(
            Outgoing(
                copy.channel,
                card,
                card=card_key(fresh),
                revision=len(fresh.shares),
                message_id=copy.message_id,
            )
        )
    return fresh


async def open_requests(
    session: AsyncSession, parties: list[Organization], limit: int = LISTED
) -> list[AmplifyRequest]:
    """Requests some other party has not shared yet, newest first."""
    query = select(AmplifyRequest).order_by(AmplifyRequest.requested_at.desc()).limit(200)
    found = [r for r in (await session.scalars(query)).unique().all() if waiting_for(r, parties)]
    return found[:limit]


@dataclass(frozen=True)
class AmplifyRecord:
    """One request as the follow-up report counts it: whose post, and who shared it when."""

    ref: str
    url: str
    organisation: str
    requested_at: datetime
    shared_by: list[tuple[str, str, datetime]]  # (name, organisation short name, when)


async def amplify_requests_between(
    session: AsyncSession, start: datetime, end: datetime
) -> list[AmplifyRecord]:
    """Requests made in [start, end), oldest first, with who shared them (two queries)."""
    query = (
        select(AmplifyRequest)
        .where(AmplifyRequest.requested_at >= start, AmplifyRequest.requested_at < end)
        .order_by(AmplifyRequest.requested_at, AmplifyRequest.id)
    )
    requests = (await session.scalars(query)).unique().all()
    orgs = {o.id: o.short_name for o in (await session.scalars(select(Organization))).all()}
    return [
        AmplifyRecord(
            ref=amplify_ref(r),
            url=r.url,
            organisation=r.organization.short_name,
            requested_at=r.requested_at,
            shared_by=[
                (s.person.name, orgs.get(s.organization_id, ""), s.shared_at) for s in r.shares
            ],
        )
        for r in requests
    ]
