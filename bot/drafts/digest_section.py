"""Digest section: joint drafts waiting for approval, and which parties they wait for."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.reply import Section
from bot.digest.build import DigestContext, DigestSection
from bot.drafts.card import title_of
from bot.drafts.service import PENDING, approvals_by_org, draft_ref
from storage.models import Draft, Organization


async def build(context: DigestContext) -> Section | None:
    t = context.t
    drafts = (
        (
            await context.session.scalars(
                select(Draft).where(Draft.state == PENDING).order_by(Draft.id)
            )
        )
        .unique()
        .all()
    )
    if not drafts:
        return None
    orgs = {o.key: o for o in (await context.session.scalars(select(Organization))).all()}
    lines = []
    for draft in drafts:
        approved = approvals_by_org(draft, draft.current_version)
        waiting = [
            orgs[key].short_name
            for key in draft.parties
            if key in orgs and orgs[key].id not in approved
        ]
        lines.append(
            t(
                "digest.drafts.line",
                id=draft_ref(draft),
                title=title_of(t, draft),
                waiting=", ".join(waiting),
            )
        )
    return Section(t("digest.drafts.title"), context.shorten(lines))


SECTION = DigestSection(order=30, build=build)
