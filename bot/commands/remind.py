"""`påminn mig <när> <text>` / `remind me <when> <text>`: a reminder to myself, sent directly.

Evenings, nights and weekends wait for the next working morning. A text that looks like a
personnummer is held until the asker confirms it ("Skicka ändå", or typed: `påminn mig ändå
<när> <text>`; the confirmation is audited), and refused outright in a channel of a forum with
no free text about individuals.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.agreement.names import REMINDER_YEAR_ROUTE
from bot.agreement.year_check import confirming_with, year_question
from bot.channels.bindings import get_or_create_channel
from bot.common.when import WhenProblem
from bot.core import personal_text
from bot.core.context import CommandError, Context
from bot.core.registry import ButtonRoute, Command, Param
from bot.core.reply import Button, ButtonStyle, Reply, Visibility
from bot.followup.held import typed_anyway
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
    return await _create(context, args["what"], None)


async def _create(context: Context, what: str, confirmed: date | None) -> Reply:
    context.require_person()
    t = context.t
    what, anyway = typed_anyway(what)
    found = split_when(what, context.now(), context.settings.tz, context.scheduler.morning)
    if isinstance(found, WhenProblem):
        raise CommandError("reminder.bad_when", problem=t(found.key, **found.values))
    if found.moment <= context.now():
        raise CommandError("reminder.in_past", when=t.datetime(found.moment))
    day = found.moment.astimezone(context.settings.tz).date()
    question = await year_question(
        context, found.when_text, day, REMINDER_YEAR_ROUTE, {"what": what}, confirmed
    )
    if question is not None:
        return question
    channel = await get_or_create_channel(context.session, context.request.channel)
    held = await needs_personnummer_hold(context, found.text, forum_of_channel(channel))
    if held and not anyway:
        payload = {"at": found.moment.isoformat(), "text": found.text}
        return Reply(
            text=t("reminder.hold") + "\n" + t("typed.hold.reminder"),
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
    saved = await save(context, found.moment, found.text, confirmed=held)
    saved.replace_original = False  # typed: a new answer, not in place of a warning
    return saved


async def send_anyway(context: Context, payload: dict[str, object]) -> Reply:
    moment = datetime.fromisoformat(str(payload["at"]))
    text = str(payload["text"])
    # Refused again in a closed forum's channel, whatever an altered button says.
    await personal_text.check(context, {"text": text})
    return await save(context, moment, text, confirmed=True)


COMMAND = Command(
    key="remind",
    names_sv=("påminn mig", "påminn"),
    names_en=("remind me", "remind"),
    handler=run,
    params=(Param("what", greedy=True),),
)
ROUTES = [
    ButtonRoute(REMINDER_SEND_ANYWAY_ROUTE, send_anyway),
    ButtonRoute(REMINDER_YEAR_ROUTE, confirming_with(_create)),
]
