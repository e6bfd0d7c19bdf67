"""`påminnelser [ta bort <nr>]` / `reminders [cancel <no>]`: my reminders still to come."""

from __future__ import annotations

from bot.common.text import fold
from bot.core.context import CommandError, Context
from bot.core.registry import ButtonRoute, Command, Param
from bot.core.reply import Button, Reply, Section, Visibility
from bot.followup.names import REMINDER_CANCEL_ROUTE, REMINDER_KIND
from bot.followup.reminders import reminder_numbers
from bot.scheduler.jobs import Status, Target, pending_for
from bot.scheduler.reach import is_waiting
from storage.models import Job

_CANCEL_WORDS = ("ta bort", "avbryt", "cancel", "remove", "delete")


async def _mine(context: Context) -> list[Job]:
    person = context.require_person()
    return await pending_for(context.session, REMINDER_KIND, (Target.PERSON, person.id))


async def _cancel(context: Context, job: Job) -> Reply:
    job.status = Status.CANCELLED.value
    job.finished_at = context.now()
    context.audit("reminder.cancel", "job", job.id, {"due": job.due.isoformat()}, None)
    return Reply(
        text=context.t("reminders.cancelled", text=str(job.payload.get("text", ""))),
        visibility=Visibility.ONLY_TO_YOU,
        replace_original=True,
    )


async def run(context: Context, args: dict[str, str]) -> Reply:
    t = context.t
    mine = await _mine(context)
    numbers = reminder_numbers(mine)
    what = fold(args.get("what", "").strip())
    word = next((w for w in _CANCEL_WORDS if what.startswith(w)), None)
    if word is not None:
        number = what[len(word) :].strip().lstrip("#")
        chosen = next((j for j in mine if number.isdigit() and numbers[j.id] == int(number)), None)
        if chosen is None:
            raise CommandError(
                "people.reminders.bad_number",
                number=number[:10] or "–",
                numbers=", ".join(str(numbers[j.id]) for j in mine) or "–",
            )
        return await _cancel(context, chosen)
    if what:
        raise CommandError("reminders.unknown_word", word=args["what"][:40])
    if not mine:
        return Reply(text=t("reminders.none"), visibility=Visibility.ONLY_TO_YOU)
    lines = [
        t(
            "reminders.line",
            number=numbers[job.id],
            when=t.datetime(job.due),
            text=job.payload.get("text", ""),
        )
        + (" – " + t("people.reminders.waiting") if is_waiting(job) else "")
        for job in mine
    ]
    return Reply(
        heading=t("reminders.heading"),
        sections=[Section(None, lines)],
        buttons=[
            Button(
                t("reminders.cancel_button", number=numbers[job.id]),
                REMINDER_CANCEL_ROUTE,
                {"job": job.id},
                accessible_label=t(
                    "reminders.named.cancel", number=numbers[job.id], when=t.datetime(job.due)
                ),
            )
            for job in mine[:5]
        ],
        context=t("reminders.how", number=numbers[mine[0].id]),
        visibility=Visibility.ONLY_TO_YOU,
    )


async def press_cancel(context: Context, payload: dict[str, object]) -> Reply:
    wanted = int(str(payload.get("job", "0")))
    job = next((j for j in await _mine(context) if j.id == wanted), None)
    if job is None:
        raise CommandError("reminders.gone")
    return await _cancel(context, job)


COMMAND = Command(
    key="reminders",
    names_sv=("påminnelser",),
    names_en=("reminders",),
    handler=run,
    params=(Param("what", required=False, greedy=True),),
)
ROUTES = [ButtonRoute(REMINDER_CANCEL_ROUTE, press_cancel)]
