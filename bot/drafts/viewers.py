"""Who may do what on a draft's card, per viewer: the rule behind Teams' per-viewer cards.

Everyone in the channel sees the draft's state. The signers of its parties get approve and
request changes while their organisation has not approved the current version; its author
(and admins) get edit and withdraw. Platforms that can show each viewer their own card do so
(`Reply.per_viewer`); the others show every button, and the routes refuse whoever may not.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.i18n import Translator
from bot.core.reply import Button, ButtonStyle, Reply
from bot.core.viewers import platform_ids
from bot.drafts.card import approve_buttons, edit_button, withdraw_button
from bot.drafts.names import VIEW_ROUTE
from bot.drafts.service import CHANGES_REQUESTED, HELD, PENDING, approvals_by_org
from storage.models import Draft, Organization, Person

# Teams refreshes a card by itself for at most 60 users; the rest refresh it by hand.
MOST_VIEWERS = 60


def may_decide(draft: Draft, person: Person, author_may_approve: bool) -> bool:
    """Approve or request changes: a signer of a party that has not approved this version."""
    if draft.state != PENDING or not person.active or not person.has_role("signer"):
        return False
    if person.organization.key not in draft.parties:
        return False
    if person.id == draft.author_id and not author_may_approve:
        return False
    return person.organization_id not in approvals_by_org(draft, draft.current_version)


def may_edit(draft: Draft, person: Person) -> bool:
    """Edit or withdraw: the author or an admin, while the draft is still open."""
    open_now = draft.state in (PENDING, CHANGES_REQUESTED, HELD)
    return open_now and person.active and (person.id == draft.author_id or person.is_admin)


def buttons_for(
    t: Translator, draft: Draft, person: Person | None, author_may_approve: bool
) -> list[Button]:
    """The buttons this viewer may use, in the card's usual order."""
    if person is None:
        return []
    buttons: list[Button] = []
    if may_decide(draft, person, author_may_approve):
        buttons.extend(approve_buttons(t, draft))
    if may_edit(draft, person):
        buttons.append(edit_button(t, draft))
        buttons.append(withdraw_button(t, draft, ButtonStyle.DANGER))
    return buttons


async def card_viewers(session: AsyncSession, draft: Draft) -> list[int]:
    """Those whose own card differs from everyone's: the parties' signers and the author."""
    people = (
        await session.scalars(
            select(Person)
            .join(Organization, Person.organization_id == Organization.id)
            .where(Organization.key.in_(list(draft.parties)), Person.active)
            .order_by(Person.name)
        )
    ).all()
    ids = [draft.author_id] + [p.id for p in people if p.has_role("signer")]
    return list(dict.fromkeys(ids))[:MOST_VIEWERS]


def view_button(draft: Draft) -> Button:
    return Button("", VIEW_ROUTE, {"draft": draft.id})


async def shared(session: AsyncSession, draft: Draft, card: Reply) -> Reply:
    """The card everyone sees, asking per-viewer platforms for each viewer's own card."""
    viewers = await platform_ids(session, await card_viewers(session, draft))
    return replace(
        card,
        buttons=[replace(b, restricted=True) for b in card.buttons],
        per_viewer=view_button(draft),
        viewers=viewers,
    )


async def personal(
    session: AsyncSession,
    card: Reply,
    draft: Draft,
    buttons: list[Button],
) -> Reply:
    """One viewer's card: the shared one with the buttons this viewer may use."""
    viewers = await platform_ids(session, await card_viewers(session, draft))
    return replace(
        card,
        buttons=buttons,
        per_viewer=view_button(draft),
        viewers=viewers,
        replace_original=True,
    )
