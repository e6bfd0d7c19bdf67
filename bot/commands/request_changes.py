"""`begär ändring U7 <kommentar>` / `request changes U7 <comment>`: the "Begär ändring" button.

The comment goes to the button's own handler with the current version, so the author's notice,
the card and the audit are the button's. Without a comment the button's form opens.
"""

from __future__ import annotations

from bot.commands import draft as draft_buttons
from bot.core.context import Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply
from bot.drafts.service import current
from bot.drafts.typed import draft_now, naming_version, payload_now


async def run(context: Context, args: dict[str, str]) -> Reply:
    draft = await draft_now(context, args["draft"])
    payload = payload_now(draft)
    comment = args.get("comment", "").strip()
    if not comment:
        return await draft_buttons.request_changes(context, payload)  # the form, as the button
    version = current(draft)
    number, text = version.number, version.text
    reply = await draft_buttons.request_changes(context, {**payload, "comment": comment})
    return naming_version(context, reply, number, text)


COMMAND = Command(
    key="request_changes",
    names_sv=("begär ändring", "begär ändringar"),
    names_en=("request changes", "request change"),
    handler=run,
    params=(Param("draft"), Param("comment", required=False, greedy=True)),
)
