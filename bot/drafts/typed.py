"""What the typed forms of a draft's buttons share: reading `U7` and naming its version.

A typed form (`godkänn U7`, …) builds the payload its button would carry now and hands it to
the button's own route handler, so the rules, the audit and the announcements are the
button's, never a copy.
"""

from __future__ import annotations

from bot.common.ids import IdKind, parse_typed_id
from bot.core.context import CommandError, Context
from bot.core.reply import Reply
from bot.drafts import service
from bot.drafts.service import draft_ref
from storage.models import Draft

FIRST_WORDS = 8


async def draft_now(context: Context, token: str) -> Draft:
    """The draft `U7` names, as the bot holds it now (its current version)."""
    typed = parse_typed_id(token, IdKind.DRAFT)
    if typed is None:
        raise CommandError("typed.error.draft_id", text=token.strip()[:20] or "–")
    draft = await service.load(context.session, typed.number)
    if draft is None:
        raise CommandError("drafts.error.not_found", id=draft_ref(typed.number))
    return draft


def payload_now(draft: Draft) -> dict[str, object]:
    """What the draft's buttons carry when drawn now: the draft and its current version."""
    return {"draft": draft.id, "version": draft.current_version}


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    """The opening words of a text, with an ellipsis when there is more."""
    words = text.split()
    head = " ".join(words[:count])
    return head + " …" if len(words) > count else head


def naming_version(context: Context, reply: Reply, number: int, text: str) -> Reply:
    """Add which version a typed decision was about, so the signer knows what they decided on:
    a button shows its card beside it, a typed `godkänn U7` does not."""
    line = context.t("typed.version_named", version=number, start=first_words(text))
    reply.text = f"{reply.text}\n{line}" if reply.text else line
    return reply
