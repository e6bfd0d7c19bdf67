"""A draft card's per-viewer refresh (`draft.view`): the card as this viewer should see it.

Teams asks for it for every signer and the author when the card is shown, and for anyone
who refreshes the card by hand; the answer is that viewer's card only, never an update for
everyone. Which buttons a viewer gets is decided in `bot.drafts.viewers`.
"""

from __future__ import annotations

from bot.common.untrusted import row_id
from bot.core.context import CommandError, Context
from bot.core.registry import Access, ButtonRoute
from bot.core.reply import Reply
from bot.drafts import service
from bot.drafts.card import render_card
from bot.drafts.names import VIEW_ROUTE
from bot.drafts.policy import organisations
from bot.drafts.publish import channel_translator
from bot.drafts.service import draft_ref
from bot.drafts.viewers import buttons_for, personal


async def view(context: Context, payload: dict[str, object]) -> Reply:
    try:
        draft_id = row_id(payload["draft"])
    except (KeyError, ValueError):
        raise CommandError("error.unknown_action") from None
    draft = await service.load(context.session, draft_id)
    if draft is None:
        raise CommandError("drafts.error.not_found", id=draft_ref(draft_id))
    t = channel_translator(context)  # the same words as the card everyone sees
    parties = await organisations(context.session, draft.parties)
    person = context.person
    card = render_card(t, draft, parties, context.now(), viewer_id=person.id if person else None)
    policy = await service.policy_for(context)
    buttons = buttons_for(t, draft, person, policy.author_may_approve)
    return await personal(context.session, card, draft, buttons)


# Anyone in the channel may ask for their view; one the bot does not know sees the state.
ROUTES = [ButtonRoute(VIEW_ROUTE, view, access=Access.ANYONE)]
