"""The author hears in a direct message when a signer sends their draft back.

The comment is on the card in the joint channel as well, but an author who is not watching
that channel would otherwise learn of it only when nobody approves. The message is a job for
the scheduler, addressed to the author and held to working hours like every personal message:
a replayed request adds no second one, and a draft edited or withdrawn before it goes out sends
nothing.
"""

from __future__ import annotations

from bot.common.i18n import Translator
from bot.core.context import Context
from bot.core.reply import Reply, Visibility
from bot.drafts.card import edit_button, title_of
from bot.drafts.names import CHANGES_REQUESTED_KIND
from bot.drafts.service import draft_ref
from bot.followup.reminders import held_moment
from bot.scheduler.jobs import Target, schedule
from storage.models import Approval, Draft


async def tell_author(context: Context, draft: Draft, request: Approval) -> None:
    """Book the author's message about a change request (none when they asked themselves)."""
    if request.person_id == draft.author_id:
        return
    now = context.now()
    await schedule(
        context.session,
        CHANGES_REQUESTED_KIND,
        held_moment(now, context.settings.tz, context.scheduler),
        {"draft": draft.id, "version": request.version, "request": request.id},
        (Target.PERSON, draft.author_id),
        f"draft-changes:{draft.id}:v{request.version}:{request.id}",
        now,
    )


def changes_reply(t: Translator, draft: Draft, request: Approval) -> Reply:
    """Who asked for what, with the button that opens the draft for editing."""
    return Reply(
        text=t(
            "drafts.changes_notice",
            id=draft_ref(draft),
            title=title_of(t, draft),
            name=request.person.name,
            org=request.organization.short_name,
            comment=request.comment or "",
        ),
        buttons=[edit_button(t, draft)],
        visibility=Visibility.ONLY_TO_YOU,
    )
