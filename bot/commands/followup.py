"""`uppföljning [period]` / `follow-up [period]`: the follow-up report in the chat, with its chart
and the whole report as a file; `uppföljning 2026 slutsats revidering ja|nej <motivering>`
records Brå's conclusion (the Brå coordinator, admins).

Need-to-know forums are counted in only for their members and admins; the answer says when
something was left out.
"""

from __future__ import annotations

import asyncio
import re
from functools import partial

from bot.common.privacy import looks_like_personnummer
from bot.core.context import CommandError, Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply, Section, Visibility
from bot.meetings.service import Viewer
from bot.report import conclusion
from bot.report.attachments import for_chat
from bot.report.document import build
from bot.report.service import BadPeriod, build_report, resolve_period

_CONCLUSION = re.compile(
    r"^(?P<year>\d{4})\s+(?:slutsats|conclusion)\b\s*(?:(?:revidering|revision)\s+)?"
    r"(?P<answer>ja|nej|yes|no)\b\s*(?P<motivation>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_CONCLUSION_START = re.compile(r"^\d{4}\s+(?:slutsats|conclusion)\b", re.IGNORECASE)
MAX_MOTIVATION = 2000


async def _conclude(context: Context, text: str) -> Reply:
    person = context.require_person()
    if not conclusion.may_conclude(person):
        raise CommandError("report.conclusion.not_allowed")
    match = _CONCLUSION.match(text)
    motivation = " ".join((match.group("motivation") if match else "").split())
    if match is None or not motivation or len(motivation) > MAX_MOTIVATION:
        raise CommandError("report.conclusion.usage")
    if looks_like_personnummer(motivation):
        raise CommandError("report.conclusion.personnummer")
    revise = match.group("answer").lower() in ("ja", "yes")
    year = int(match.group("year"))
    await conclusion.record(context, year, revise, motivation)
    t = context.t
    decision = t("report.conclusion.revise" if revise else "report.conclusion.keep")
    return Reply(
        text=t("report.conclusion.saved", year=year, decision=decision),
        visibility=Visibility.ONLY_TO_YOU,
    )


async def run(context: Context, args: dict[str, str]) -> Reply:
    text = args.get("details", "").strip()
    if _CONCLUSION_START.match(text):
        return await _conclude(context, text)
    context.require_person()
    tz = context.settings.tz
    try:
        period = await resolve_period(context.session, text, context.now(), tz)
    except BadPeriod:
        raise CommandError("report.error.bad_period") from None
    viewer = await Viewer.load(context)
    report = await build_report(
        context.session, period, tz, context.now(), visible=viewer.sees, index=viewer.index
    )
    t = context.t
    document = build(report, t)
    by_key = {block.key: block for block in document.blocks}
    sections = [Section(t("report.headline_heading"), list(document.headline))]
    for key in ("representation", "decisions"):
        block = by_key[key]
        sections.append(Section(block.heading, list(block.paragraphs)))
    # Drawing the chart and printing the PDF take CPU for a good part of a second: in a worker
    # thread, so the event loop keeps answering everyone else meanwhile.
    attachments = await asyncio.to_thread(
        partial(
            for_chat,
            report,
            document,
            t,
            settings=context.settings,
            person_id=context.require_person().id,
            period_text=report.label,
            now=context.now(),
        )
    )
    return Reply(
        heading=document.title,
        text=document.subtitle,
        sections=sections,
        context=t("report.footer"),
        visibility=Visibility.ONLY_TO_YOU,
        attachments=attachments,
    )


COMMAND = Command(
    key="followup",
    names_sv=("uppföljning", "uppfoljning"),
    names_en=("follow-up", "followup"),
    handler=run,
    params=(Param("details", required=False, greedy=True),),
)
