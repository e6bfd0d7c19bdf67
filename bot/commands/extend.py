"""`förläng till <datum> [beslut <text>]` / `extend to <date> [decision <text>]`: record an
extension of the current agreement that both parties agreed; its end moves, the agreed period is
kept beside it. The Brå coordinator, the community police officer and admins may."""

from __future__ import annotations

import re

from bot.agreement import renewal as service
from bot.agreement.days import read_day
from bot.agreement.in_force import agreement_in_force
from bot.common.privacy import looks_like_personnummer
from bot.core.context import CommandError, Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply, Visibility
from bot.promises.scope import local_today

_PARTS = re.compile(
    r"^(?:(?:till|to)\s+)?(?P<day>\S+)(?:\s+(?:beslut|decision)\s+(?P<note>.+))?$", re.IGNORECASE
)
MAX_NOTE = 500


async def run(context: Context, args: dict[str, str]) -> Reply:
    match = _PARTS.match(args.get("what", "").strip())
    if match is None:
        raise CommandError("renewal.error.extend_usage")
    day = read_day(match.group("day"), context.now(), context.settings.tz)
    if day is None:
        raise CommandError("promises.error.bad_date", text=match.group("day")[:40])
    note = " ".join((match.group("note") or "").split()) or None
    if note and (len(note) > MAX_NOTE or looks_like_personnummer(note)):
        raise CommandError("promises.error.personnummer")
    today = local_today(context.now(), context.settings.tz)
    current, upcoming = await agreement_in_force(context.session, today)
    agreement = current or upcoming
    if agreement is None:
        raise CommandError("agreement.none")
    was = agreement.ends_on
    await service.extend(context, agreement, day, note)
    t = context.t
    return Reply(
        text=t(
            "renewal.extended_done",
            title=agreement.title,
            was=t.date(was),
            date=t.date(day, weekday=True),
        ),
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="extend",
    names_sv=("förläng", "förlängning"),
    names_en=("extend",),
    handler=run,
    params=(Param("what", greedy=True),),
)
