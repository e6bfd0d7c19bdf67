"""`flytta M2 <när>` / `move M2 <when>`: move one meeting, the same as `serie flytta M2 <när>`."""

from __future__ import annotations

from bot.commands import series
from bot.core.context import Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply
from bot.meetings.service import Viewer


async def run(context: Context, args: dict[str, str]) -> Reply:
    viewer = await Viewer.load(context)
    return await series.move_one(context, viewer, args["meeting"], args["when"])


COMMAND = Command(
    key="move_meeting",
    names_sv=("flytta",),
    names_en=("move",),
    handler=run,
    params=(Param("meeting"), Param("when", greedy=True)),
)
