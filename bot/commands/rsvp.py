"""`kommer M12` / `kommer inte M12` (`attending M12` / `not attending M12`): the meeting card's
"Jag kommer" and "Kan inte" buttons, typed, through the buttons' own handler."""

from __future__ import annotations

from bot.commands import meeting as meeting_buttons
from bot.commands.typed_support import meeting_number
from bot.core.context import Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply


async def coming(context: Context, args: dict[str, str]) -> Reply:
    payload: dict[str, object] = {"meeting": meeting_number(args["meeting"]), "coming": True}
    return await meeting_buttons.rsvp(context, payload)


async def not_coming(context: Context, args: dict[str, str]) -> Reply:
    payload: dict[str, object] = {"meeting": meeting_number(args["meeting"]), "coming": False}
    return await meeting_buttons.rsvp(context, payload)


COMMAND = Command(
    key="rsvp_yes",
    names_sv=("kommer", "jag kommer"),
    names_en=("attending", "coming"),
    handler=coming,
    params=(Param("meeting"),),
)
NOT_COMING = Command(
    key="rsvp_no",
    names_sv=("kommer inte", "kan inte"),
    names_en=("not attending", "not coming"),
    handler=not_coming,
    params=(Param("meeting"),),
)
