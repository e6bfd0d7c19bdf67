"""`action_due`: the owner of an open action item hears on the morning of its due date."""

from __future__ import annotations

from bot.core.reply import Reply
from bot.followup.action_items import OPEN, action_id, done_button
from bot.followup.names import ACTION_DUE_KIND
from bot.followup.reminders import no_personal_text
from bot.scheduler.kind import JobContext, JobKind
from storage.models import ActionItem


async def render(context: JobContext) -> Reply | None:
    item = await context.session.get(ActionItem, int(context.job.payload["item"]))
    if item is None or item.status != OPEN:
        return None
    return await item_reminder(context, item, "action.due")


async def item_reminder(context: JobContext, item: ActionItem, key: str) -> Reply:
    """The owner's message about an item: its id, text and date, and a button to close it.

    `key` names the message (`action.due` on the day, `action.overdue` after it); in a forum
    without free text about individuals the privacy reminder goes with it.
    """
    t = context.t
    return Reply(
        heading=t(f"{key}.heading"),
        text=t(f"{key}.text", id=action_id(item), text=item.text, date=t.date(item.due)),
        buttons=[done_button(t, item)],
        context=t("privacy.no_personal_data")
        if await no_personal_text(context.session, item.forum)
        else None,
    )


KIND = JobKind(ACTION_DUE_KIND, render)
