"""`påminn mig <när> <text>` / `remind me <when> <text>`: a reminder to myself, sent directly.

Evenings, nights and weekends wait for the next working morning. In a channel of a forum with
no free text about individuals, a text that looks like a personnummer is held until the asker
confirms it ("Skicka ändå"); the confirmation is audited.
"""

from __future__ import annotations

from datetime import datetime

from bot.channels.bindings import get_or_create_channel
from bot.common.when import WhenProblem
from bot.core.context import CommandError, Context
from bot.core.registry import ButtonRoute, Command, Param
from bot.core.reply import Button, ButtonStyle, Reply, Visibility
from bot.followup.names import REMINDER_SEND_ANYWAY_ROUTE
from bot.followup.reminders import (
    add_reminder,
    forum_of_channel,
    held_moment,
    needs_personnummer_hold,
    split_when,
)
from bot.scheduler.reach import reach_warning


async def save(context: Context, moment: datetime, text: str, *, confirmed: bool) -> Reply:
    person = context.require_person()
    t = context.t
    due = held_moment(moment, context.settings.tz, context.scheduler)
    await add_reminder(context.session, person.id, due, text, context.now())
    after = {"due": due.isoformat(), "confirmed_personnummer": confirmed}
    context.audit("reminder.create", "person", person.id, None, after)
    answer = t("reminder.saved", when=t.datetime(due), text=text)
    if due != moment:
        answer += "\n" + t("reminder.held", asked=t.datetime(moment))
    warning = await reach_warning(context.session, t, person, person)
    if warning:
        answer += "\n" + warning
    return Reply(text=answer, visibility=Visibility.ONLY_TO_YOU, replace_original=confirmed)


async def run(context: Context, args: dict[str, str]) -> Reply:
    context.require_person()
    t = context.t
    found = split_when(args["what"], context.now(), context.settings.tz, context.scheduler.morning)
    if isinstance(found, WhenProblem):
        raise CommandError("reminder.bad_when", problem=t(found.key, **found.values))
    if found.moment <= context.now():
        raise CommandError("reminder.in_past", when=t.datetime(found.moment))
    channel = await get_or_create_channel(context.session, context.request.channel)
    if await needs_personnummer_hold(context.session, found.text, forum_of_channel(channel)):
        payload = {"at": found.moment.isoformat(), "text": found.text}
        return Reply(
            text=t("reminder.hold"),
            context=t("privacy.no_personal_data"),
            buttons=[
                Button(
                    t("reminder.send_anyway"),
                    REMINDER_SEND_ANYWAY_ROUTE,
                    payload,
                    ButtonStyle.DANGER,
                    t("reminder.named.send_anyway"),
                )
            ],
            visibility=Visibility.ONLY_TO_YOU,
        )
    return await save(context, found.moment, found.text, confirmed=False)


async def send_anyway(context: Context, payload: dict[str, object]) -> Reply:
    moment = datetime.fromisoformat(str(payload["at"]))
    return await save(context, moment, str(payload["text"]), confirmed=True)


COMMAND = Command(
    key="remind",
    names_sv=("påminn mig", "påminn"),
    names_en=("remind me", "remind"),
    handler=run,
    params=(Param("what", greedy=True),),
)
ROUTES = [ButtonRoute(REMINDER_SEND_ANYWAY_ROUTE, send_anyway)]
