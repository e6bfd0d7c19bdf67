"""`skicka ändå U7` / `send anyway U7`: the "Skicka ändå" button of a held draft, typed.

The author confirms the version the bot holds now, through the button's own handler.
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
    version = current(draft)
    number, text = version.number, version.text
    reply = await draft_buttons.send_anyway(context, payload_now(draft))
    return naming_version(context, reply, number, text)


COMMAND = Command(
    key="send_anyway",
    names_sv=("skicka ändå",),
    names_en=("send anyway",),
    handler=run,
    params=(Param("draft"),),
)
