"""The year's promise text goes through the joint drafts: a draft of kind `promises`, linked
from the year's document, posted to the joint channel and approved there by an approver of
each party, on whichever platform. Nothing of the approval is copied here."""

from __future__ import annotations

from bot.core.context import CommandError, Context
from bot.drafts import service as drafts
from bot.drafts.content import Content
from bot.drafts.publish import publish
from bot.promises.documents import document_for, require_editor
from storage.models import Channel, Draft

TARGETS = ["web"]


async def propose(context: Context, year: int, text: str) -> tuple[Draft, list[Channel]]:
    """A new draft of the year's promise text; refused while one waits or after approval."""
    require_editor(context)
    document = await document_for(context, year)
    earlier = document.draft
    if earlier is not None and earlier.state == drafts.APPROVED:
        raise CommandError("promises.error.text_approved", year=year, id=drafts.draft_ref(earlier))
    if earlier is not None and earlier.state in drafts.OPEN_STATES:
        raise CommandError("promises.error.text_waiting", id=drafts.draft_ref(earlier))
    title = context.t("promises.text.title", year=year)
    draft = await drafts.create(context, Content(title, text, list(TARGETS)), kind="promises")
    document.draft_id = draft.id
    context.audit(
        "promises.text", "promise_document", year, None, {"draft": drafts.draft_ref(draft)}
    )
    await context.session.flush()
    channels = await publish(context, draft) if draft.state != drafts.HELD else []
    return draft, channels
