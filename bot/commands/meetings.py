"""`möten [forum]` / `meetings [forum]`: upcoming meetings with their ids (`M12`).

Shown only to the asker, and a restricted forum's meetings (need-to-know or no free text) only
to its members and admins, so a list typed in a general channel never reveals an inspection plan.
"""

from __future__ import annotations

from bot.common.text import fold
from bot.core.context import Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply, Section, Visibility
from bot.directory.forums import forum_name
from bot.meetings.past import PAST_WORDS, past
from bot.meetings.service import Viewer, meeting_id, upcoming, with_groups

LIMIT = 20


async def run(context: Context, args: dict[str, str]) -> Reply:
    t = context.t
    viewer = await Viewer.load(context)
    wanted = args.get("forum", "").strip()
    first, _, rest = wanted.partition(" ")
    if fold(first) in PAST_WORDS:
        return await past(context, viewer, rest.strip())
    forum_ids = None
    title = t("meetings.heading_all")
    if wanted:
        forum = viewer.forum_asked_for(wanted)
        forum_ids = with_groups(forum)
        title = t("meetings.heading", forum=forum_name(forum, context.language))
    # Fetch more than shown, since a restricted forum's meetings are filtered out in memory.
    found = await upcoming(context.session, forum_ids, context.now(), limit=LIMIT * 5)
    visible = [m for m in found if viewer.sees(m.forum)][:LIMIT]
    if not visible:
        return Reply(text=t("meetings.none"), heading=title, visibility=Visibility.ONLY_TO_YOU)
    lines = []
    for meeting in visible:
        place = f" – {meeting.place}" if meeting.place else ""
        lines.append(
            f"`{meeting_id(meeting)}` {t.datetime(meeting.starts_at)}: "
            f"{forum_name(meeting.forum, context.language)}{place}"
        )
    return Reply(
        heading=title,
        sections=[Section(None, lines)],
        context=t("meetings.footer"),
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="meetings",
    names_sv=("möten",),
    names_en=("meetings",),
    handler=run,
    params=(Param("forum", required=False, greedy=True, lookup=True),),
)
