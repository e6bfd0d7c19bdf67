"""`dra tillbaka U7` / `withdraw U7`: the card's "Dra tillbaka" button, typed."""

from __future__ import annotations

from bot.commands import draft as draft_buttons
from bot.core.context import Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply
from bot.drafts.typed import draft_now, payload_now


async def run(context: Context, args: dict[str, str]) -> Reply:
    draft = await draft_now(context, args["draft"])
    return await draft_buttons.withdraw(context, payload_now(draft))


COMMAND = Command(
    key="withdraw",
    names_sv=("dra tillbaka",),
    names_en=("withdraw",),
    handler=run,
    params=(Param("draft"),),
)
