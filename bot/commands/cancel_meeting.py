"""`ställ in M2` / `cancel M2`: cancel one meeting, the same as `serie ställ in M2`."""

from __future__ import annotations

from bot.commands import series
from bot.core.context import Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply
from bot.meetings.service import Viewer


async def run(context: Context, args: dict[str, str]) -> Reply:
    return await series.cancel_one(context, await Viewer.load(context), args["meeting"])


COMMAND = Command(
    key="cancel_meeting",
    names_sv=("ställ in", "ställa in"),
    names_en=("cancel",),
    handler=run,
    params=(Param("meeting"),),
)
