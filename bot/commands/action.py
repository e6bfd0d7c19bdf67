"""`åtgärd <text> ansvarig <person> senast <datum>` / `action <text> owner <person> due <date>`.

Records a follow-up item (`A3`), standalone or `möte M12` / `meeting M12`, optionally for a
`forum <forum>`; in a forum's channel the forum is taken from the channel. Anyone registered
may create one for themselves; assigning to someone else takes the forum's chair or secretary,
or an admin. The owner is told directly, reminded on the due date and nudged when overdue. A
text held for looking like a personnummer is confirmed with the warning's button or by
writing `åtgärd ändå …`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.agreement.names import ACTION_YEAR_ROUTE
from bot.agreement.year_check import confirming_with, year_question
from bot.channels.audience import audience_of_person, load_tree, visibility_in
from bot.channels.bindings import get_or_create_channel
from bot.common.ids import IdKind, parse_typed_id
from bot.common.text import fold
from bot.common.untrusted import row_id
from bot.common.when import parse_local_date
from bot.core import personal_text
from bot.core.context import CommandError, Context
from bot.core.registry import ButtonRoute, Command, Param
from bot.core.reply import Button, ButtonStyle, Reply, Visibility
from bot.directory.forums import forum_name, load_forum_index
from bot.directory.people import find_one_person
from bot.followup.action_items import action_id, create, may_assign
from bot.followup.held import typed_anyway
from bot.followup.names import ACTION_SEND_ANYWAY_ROUTE
from bot.followup.reminders import forum_of_channel, needs_personnummer_hold, no_personal_text
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.names import NOTICE_KIND
from bot.scheduler.reach import reach_warning
from storage.audit import snapshot
from storage.models import Forum, Meeting, Person

_KEYWORDS = {
    "ansvarig": "owner",
    "owner": "owner",
    "senast": "due",
    "due": "due",
    "forum": "forum",
    "möte": "meeting",
    "mote": "meeting",
    "meeting": "meeting",
}
_SPLIT = re.compile(r"\s+(" + "|".join(_KEYWORDS) + r")\s+", re.IGNORECASE)
_FIRST = re.compile(r"\s+(ansvarig|owner|senast|due)\s+", re.IGNORECASE)
_ME = ("mig", "jag", "me", "myself")


@dataclass(frozen=True)
class Parts:
    text: str
    values: dict[str, str]


def split_parts(raw: str) -> Parts:
    """The free text up to `ansvarig`/`senast`, then each keyword's value (later ones win).

    `forum` and `möte` count as keywords only after those, so the text may mention a forum.
    """
    padded = " " + raw.strip() + " "
    first = _FIRST.search(padded)
    if first is None:
        return Parts(raw.strip(), {})
    pieces = _SPLIT.split(padded[first.start() :])
    values = {
        _KEYWORDS[fold(keyword)]: value.strip()
        for keyword, value in zip(pieces[1::2], pieces[2::2], strict=True)
    }
    return Parts(padded[: first.start()].strip(), values)


async def _forum_and_meeting(context: Context, parts: Parts) -> tuple[Forum | None, int | None]:
    if "meeting" in parts.values:
        typed = parse_typed_id(parts.values["meeting"], IdKind.MEETING)
        meeting = await context.session.get(Meeting, typed.number) if typed else None
        if meeting is None or not await _sees(context, context.require_person(), meeting.forum_id):
            # A restricted forum's meeting and a missing one get the same answer.
            raise CommandError("action.no_meeting", id=parts.values["meeting"][:20])
        return meeting.forum, meeting.id
    if "forum" in parts.values:
        forum = (await load_forum_index(context.session)).match(parts.values["forum"])
        if forum is None:
            raise CommandError("action.no_forum", forum=parts.values["forum"][:40])
        return forum, None
    channel = await get_or_create_channel(context.session, context.request.channel)
    return forum_of_channel(channel), None


async def _sees(context: Context, person: Person, forum_id: int | None) -> bool:
    audience = await audience_of_person(context.session, person)
    return (await load_tree(context.session)).shows(forum_id, audience)


async def check_audience(
    context: Context, person: Person, owner: Person, forum: Forum | None
) -> None:
    """A restricted forum's item is written by and given to its members (or admins) only, so
    its text never reaches anyone else, not even in a direct message."""
    if forum is None:
        return
    if not await _sees(context, person, forum.id):
        raise CommandError("audience.action_not_member", forum=forum_name(forum, context.language))
    if not await _sees(context, owner, forum.id):
        raise CommandError(
            "audience.action_owner_not_member",
            owner=owner.name,
            forum=forum_name(forum, context.language),
        )


async def _owner(context: Context, person: Person, name: str | None) -> Person:
    if not name or fold(name) in _ME:
        return person
    return await find_one_person(context.session, name)


def _due(context: Context, text: str | None) -> date:
    if not text:
        raise CommandError("action.no_due")
    naive = parse_local_date(text, context.now(), context.settings.tz)
    if naive is None:
        raise CommandError("action.bad_due", text=text[:40])
    due = naive.date()
    if due < context.now().astimezone(context.settings.tz).date():
        raise CommandError("action.due_passed", date=context.t.date(due, weekday=True))
    return due


async def record(
    context: Context,
    text: str,
    owner: Person,
    forum: Forum | None,
    meeting_id: int | None,
    due: date,
    *,
    confirmed: bool,
) -> Reply:
    person = context.require_person()
    t = context.t
    item = await create(
        context.session,
        text=text,
        owner=owner,
        assigned_by=person,
        forum=forum,
        due=due,
        now=context.now(),
        tz=context.settings.tz,
        settings=context.scheduler,
    )
    item.meeting_id = meeting_id
    after = snapshot(item, "text", "owner_id", "forum_id", "meeting_id", "due")
    after["confirmed_personnummer"] = confirmed
    context.audit("action.create", "action_item", action_id(item), None, after)
    if owner.id != person.id:
        await schedule(
            context.session,
            NOTICE_KIND,
            context.now(),
            {
                "key": "action.assigned_to_you",
                "values": {"id": action_id(item), "text": text, "by": person.name},
            },
            (Target.PERSON, owner.id),
            f"action_assigned:{item.id}",
            context.now(),
        )
    created = t(
        "action.created",
        id=action_id(item),
        text=text,
        owner=owner.name,
        date=t.date(due, weekday=True),
    )
    warning = await reach_warning(context.session, t, owner, person)
    return Reply(
        text=f"{created}\n{warning}" if warning else created,
        context=t("privacy.no_personal_data")
        if await no_personal_text(context.session, forum)
        else None,
        replace_original=confirmed,
        visibility=await visibility_in(
            context.session, context.request.channel, forum.id if forum else None
        ),
    )


async def run(context: Context, args: dict[str, str]) -> Reply:
    return await _create(context, args["what"], None)


async def _create(context: Context, what: str, confirmed: date | None) -> Reply:
    person = context.require_person()
    t = context.t
    what, anyway = typed_anyway(what)
    parts = split_parts(what)
    if not parts.text:
        raise CommandError("action.no_text")
    owner = await _owner(context, person, parts.values.get("owner"))
    due = _due(context, parts.values.get("due"))
    question = await year_question(
        context, parts.values.get("due", ""), due, ACTION_YEAR_ROUTE, {"what": what}, confirmed
    )
    if question is not None:
        return question
    forum, meeting_id = await _forum_and_meeting(context, parts)
    if not await may_assign(context.session, person, owner, forum):
        raise CommandError("action.may_not_assign", owner=owner.name)
    await check_audience(context, person, owner, forum)
    held = await needs_personnummer_hold(context, parts.text, forum)
    if held and not anyway:
        payload = {
            "text": parts.text,
            "owner": owner.id,
            "forum": forum.id if forum else None,
            "meeting": meeting_id,
            "due": due.isoformat(),
        }
        return Reply(
            text=t("action.hold") + "\n" + t("typed.hold.action"),
            context=t("privacy.no_personal_data"),
            buttons=[
                Button(
                    t("reminder.send_anyway"),
                    ACTION_SEND_ANYWAY_ROUTE,
                    payload,
                    ButtonStyle.DANGER,
                    t("action.named.send_anyway"),
                )
            ],
            visibility=Visibility.ONLY_TO_YOU,
        )
    saved = await record(context, parts.text, owner, forum, meeting_id, due, confirmed=held)
    saved.replace_original = False  # typed: a new answer, not in place of a warning
    return saved


async def send_anyway(context: Context, payload: dict[str, object]) -> Reply:
    person = context.require_person()
    owner = await context.session.get(Person, row_id(payload["owner"]))
    forum_id = payload.get("forum")
    forum = await context.session.get(Forum, row_id(forum_id)) if forum_id else None
    if owner is None or not await may_assign(context.session, person, owner, forum):
        raise CommandError("action.may_not_assign", owner=owner.name if owner else "–")
    await check_audience(context, person, owner, forum)
    meeting = payload.get("meeting")
    due = date.fromisoformat(str(payload["due"]))
    meeting_id = row_id(meeting) if meeting else None
    text = str(payload["text"])
    # Refused again in a closed forum, whatever an altered button says.
    await personal_text.check(context, {"text": text}, [forum])
    return await record(context, text, owner, forum, meeting_id, due, confirmed=True)


COMMAND = Command(
    key="action",
    names_sv=("åtgärd",),
    names_en=("action",),
    handler=run,
    params=(Param("what", greedy=True),),
)
ROUTES = [
    ButtonRoute(ACTION_SEND_ANYWAY_ROUTE, send_anyway),
    ButtonRoute(ACTION_YEAR_ROUTE, confirming_with(_create)),
]
