"""`godkänn U7` / `approve U7`: the card's "Godkänn" button, typed.

It approves the version the bot holds now, through the button's own handler (the same rules,
audit, card updates and announcement), and the answer names that version and how its text
begins, since the signer may not have the card in front of them.
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
    reply = await draft_buttons.approve(context, payload_now(draft))
    return naming_version(context, reply, number, text)


COMMAND = Command(
    key="approve",
    names_sv=("godkänn", "godkänna"),
    names_en=("approve",),
    handler=run,
    params=(Param("draft"),),
)
