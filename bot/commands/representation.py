"""`representation [forum] [period]`: was each party represented, per forum and organisation.

"Polisen var representerad vid 5 av 6 möten i Brå 2026", with the meetings where an expected
party was missing. Period: `2026`, `andra halvåret 2026`, `hösten 2026`, `första tertialet
2026`, the codes `2026-H2`, `2026-T1`, or `2026-09..2026-11`; default the current calendar year.
A period that does not read is reported as such, never taken for a forum name. Restricted
forums (need-to-know or no free text) are reported only to their members and admins.
"""

from __future__ import annotations

import re

from bot.common.periods import Period, looks_like_period, parse_period, period_words
from bot.core.context import CommandError, Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply, Section, Visibility
from bot.directory.forums import forum_name, organisation_short, sentence
from bot.meetings.representation import representation
from bot.meetings.service import Viewer

MISSING_SHOWN = 8
_SHORT = re.compile(r"\(([^,()]+)\)\s*$")


def short_forum_name(name: str) -> str:
    """`Lokala Brottsförebyggande rådet (Brå)` → `Brå`: the name staff say in a sentence."""
    match = _SHORT.search(name)
    return match.group(1).strip() if match else name


def split_args(text: str, default: Period) -> tuple[str, Period] | str:
    """The forum words and the period (from the first word that looks like one to the end); or
    those words, when they look like a period but do not read as one."""
    words = text.split()
    start = next((i for i in range(len(words)) if looks_like_period(words[i : i + 1])), None)
    if start is None:
        return text.strip(), default
    period = parse_period(" ".join(words[start:]))
    if period is None:
        return " ".join(words[start:])
    return " ".join(words[:start]), period


async def run(context: Context, args: dict[str, str]) -> Reply:
    t = context.t
    viewer = await Viewer.load(context)
    year = context.now().astimezone(context.settings.tz).year
    default = parse_period(str(year))
    assert default is not None
    split = split_args(args.get("details", ""), default)
    if isinstance(split, str):
        raise CommandError("dates.bad_period", text=split[:60])
    forum_text, period = split
    said = period_words(t, period)
    if forum_text:
        forum = viewer.index.match(forum_text)
        if forum is None:
            raise CommandError("meeting.unknown_forum", forums=viewer.forum_list())
        if not viewer.sees(forum):
            raise CommandError("meetings.not_member", forum=forum_name(forum, context.language))
        forums = [forum]
    else:
        forums = [f for f in viewer.index.top_level() if viewer.sees(f)]
    figures = await representation(
        context.session, viewer.index, forums, period, context.settings.tz, context.now()
    )
    sections = []
    for forum_figures in figures:
        name = short_forum_name(forum_name(forum_figures.forum, context.language))
        lines = []
        if forum_figures.held == 0:
            lines.append(t("representation.no_meetings"))
        for org in forum_figures.per_org if forum_figures.held else []:
            org_name = organisation_short(org.organisation, context.language)
            lines.append(
                sentence(
                    t(
                        "representation.line",
                        org=org_name,
                        represented=org.represented,
                        held=forum_figures.held,
                        forum=name,
                        period=said,
                        rate=forum_figures.rate(org),
                    )
                )
            )
            if org.missing:
                shown = ", ".join(
                    f"M{m.id} ({t.date(m.starts_at.astimezone(context.settings.tz))})"
                    for m in org.missing[:MISSING_SHOWN]
                )
                more = len(org.missing) - MISSING_SHOWN
                if more > 0:
                    shown += " " + t("representation.and_more", count=more)
                lines.append(sentence(t("representation.missing", org=org_name, meetings=shown)))
        sections.append(Section(forum_name(forum_figures.forum, context.language), lines))
    return Reply(
        heading=t("representation.heading", period=said),
        sections=sections,
        context=t("representation.footer"),
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="representation",
    names_sv=("representation",),
    names_en=("representation",),
    handler=run,
    params=(Param("details", required=False, greedy=True),),
)
