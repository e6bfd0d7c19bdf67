"""`kommer inte M12` / `not attending M12`: the meeting card's "Kan inte" button, typed,
through the button's own handler."""

from __future__ import annotations

from bot.commands import meeting as meeting_buttons
from bot.core.context import Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply
from bot.meetings.typed import meeting_number


async def run(context: Context, args: dict[str, str]) -> Reply:
    payload: dict[str, object] = {"meeting": meeting_number(args["meeting"]), "coming": False}
    return await meeting_buttons.rsvp(context, payload)


COMMAND = Command(
    key="rsvp_no",
    names_sv=("kommer inte", "kan inte"),
    names_en=("not attending", "not coming"),
    handler=run,
    params=(Param("meeting"),),
)
