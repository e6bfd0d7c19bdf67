"""Where and when an approved joint message went out, for its card and the yearly follow-up.

Only an approved draft can be published, and only its author, a signer of one of its parties or
an admin says where; the same link and channel for the same draft is kept once, however often
it is reported, so a retried or repeated message counts one publication.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.privacy import looks_like_personnummer
from bot.core.context import CommandError, Context
from bot.drafts import service
from bot.drafts.service import APPROVED, draft_ref
from storage.models import Draft, DraftVersion, Person
from storage.models_publications import Publication

MAX_LINK = 1000
MAX_CHANNEL = 100


def check_link(link: str) -> str:
    """An http(s) address with a host; anything else is refused with the link echoed back."""
    cleaned = link.strip().strip("<>")
    parsed = urlparse(cleaned)
    if (
        parsed.scheme not in ("http", "https")
        or not parsed.netloc
        or len(cleaned) > MAX_LINK
        or any(c.isspace() for c in cleaned)
    ):
        raise CommandError("published.error.bad_link", link=link[:80])
    return cleaned


def check_channel(channel: str) -> str:
    """Where it went, in staff's words (`webben`, `Facebook`); short, and no personnummer."""
    channel = " ".join(channel.split())
    if len(channel) > MAX_CHANNEL:
        raise CommandError("published.error.channel_too_long", limit=MAX_CHANNEL)
    if looks_like_personnummer(channel):
        raise CommandError("published.error.personnummer")
    return channel


def may_record(draft: Draft, person: Person) -> bool:
    """The author, a signer of one of the draft's parties, or an admin."""
    if person.id == draft.author_id or person.is_admin:
        return True
    return person.has_role("signer") and person.organization.key in draft.parties


@dataclass(frozen=True)
class Recorded:
    draft: Draft
    publication: Publication
    created: bool


async def record_publication(
    context: Context, draft_id: int, link: str, channel: str = ""
) -> Recorded:
    """Record one publication of an approved draft; a second identical one is not added."""
    person = context.require_person()
    url, channel = check_link(link), check_channel(channel)
    draft = await service.lock(context, draft_id)
    if not may_record(draft, person):
        raise CommandError("published.error.not_allowed", id=draft_ref(draft))
    if draft.state != APPROVED:
        raise CommandError(
            "published.error.not_approved",
            id=draft_ref(draft),
            state=context.t(f"drafts.state.{draft.state}"),
        )
    same = next((p for p in draft.publications if (p.url, p.channel) == (url, channel)), None)
    if same is not None:
        return Recorded(draft, same, created=False)
    publication = Publication(
        draft_id=draft.id,
        url=url,
        channel=channel,
        published_at=context.now(),
        recorded_by_id=person.id,
        platform=context.request.user.platform,
    )
    context.session.add(publication)
    await context.session.flush()
    context.audit(
        "draft.published",
        "draft",
        draft_ref(draft),
        after={"url": url, "channel": channel, "kind": draft.kind},
    )
    fresh = await service.load(context.session, draft.id, fresh=True)
    assert fresh is not None
    return Recorded(fresh, publication, created=True)


@dataclass(frozen=True)
class PublicationRecord:
    """One publication as the follow-up report lists it: which message, where and when."""

    draft_id: int
    draft_ref: str
    kind: str
    title: str
    url: str
    channel: str
    published_at: datetime
    recorded_by: str


def _title(title: str, text: str) -> str:
    if title:
        return title
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= 60 else first[:59].rstrip() + "…"


async def publications_between(
    session: AsyncSession, start: datetime, end: datetime
) -> list[PublicationRecord]:
    """Every publication recorded in [start, end), oldest first, in one query.

    Joint messages are not need-to-know (they are written to go out), so no forum filter.
    """
    query = (
        select(Publication, Draft.kind, DraftVersion.title, DraftVersion.text, Person.name)
        .join(Draft, Draft.id == Publication.draft_id)
        .join(
            DraftVersion,
            (DraftVersion.draft_id == Draft.id) & (DraftVersion.number == Draft.current_version),
        )
        .join(Person, Person.id == Publication.recorded_by_id)
        .where(Publication.published_at >= start, Publication.published_at < end)
        .order_by(Publication.published_at, Publication.id)
    )
    rows = (await session.execute(query)).unique().all()
    return [
        PublicationRecord(
            draft_id=publication.draft_id,
            draft_ref=draft_ref(publication.draft_id),
            kind=kind,
            title=_title(title, text),
            url=publication.url,
            channel=publication.channel,
            published_at=publication.published_at,
            recorded_by=name,
        )
        for publication, kind, title, text, name in rows
    ]
