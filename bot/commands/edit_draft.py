"""`redigera U7 <ny text>` / `edit U7 <new text>`: the card's "Redigera" button, typed.

The new text replaces the current version's text (title, channels and time stay), through the
button's own handler; without a text the button's form opens, filled with the current version.
"""

from __future__ import annotations

from bot.commands import draft as draft_buttons
from bot.core.context import Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply
from bot.drafts.typed import draft_now, payload_now


async def run(context: Context, args: dict[str, str]) -> Reply:
    draft = await draft_now(context, args["draft"])
    payload = payload_now(draft)
    text = args.get("text", "").strip()
    if text:
        payload["text"] = text
    return await draft_buttons.edit(context, payload)


COMMAND = Command(
    key="edit_draft",
    names_sv=("redigera",),
    names_en=("edit",),
    handler=run,
    params=(Param("draft"), Param("text", required=False, greedy=True)),
)
