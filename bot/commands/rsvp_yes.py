"""`kommer M12` / `attending M12`: the meeting card's "Jag kommer" button, typed, through the
button's own handler."""

from __future__ import annotations

from bot.commands import meeting as meeting_buttons
from bot.core.context import Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply
from bot.meetings.typed import meeting_number


async def run(context: Context, args: dict[str, str]) -> Reply:
    payload: dict[str, object] = {"meeting": meeting_number(args["meeting"]), "coming": True}
    return await meeting_buttons.rsvp(context, payload)


COMMAND = Command(
    key="rsvp_yes",
    names_sv=("kommer", "jag kommer"),
    names_en=("attending", "coming"),
    handler=run,
    params=(Param("meeting"),),
)
