"""`löften [år]` / `promises [year]`: the year's citizen promises by focus area, with each
commitment's party, owner, outcome against target and status, and a count per party and status.

`löften text [år] <text>` proposes the year's promise text as a joint draft (approved by one
approver of each party on its card); `löften publicerad <länk> [år <år>]` records where the
approved text was published; `löften område <namn> [år <år>] [underlag lägesbild|
trygghetsmätning] [fynd <text>]` names the finding a focus area answers.
"""

from __future__ import annotations

import re
from datetime import date

from bot.common.text import fold, split_first
from bot.core.context import CommandError, Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply, Visibility
from bot.drafts.publish import channel_names
from bot.drafts.service import HELD, draft_ref
from bot.promises import basis, grammar
from bot.promises.documents import (
    answer_finding,
    area_named,
    document_for,
    find_document,
    mark_published,
    require_editor,
)
from bot.promises.listing import year_reply
from bot.promises.scope import listing_years, local_today, preparing_year
from bot.promises.text_draft import propose
from bot.promises.words import basis_kind_from

_TEXT = ("text",)
_PUBLISHED = ("publicerad", "publicerat", "published", "publish")
_AREA = ("område", "omrade", "area")
_YEAR = re.compile(r"^20\d\d$")
_AREA_KEYS = re.compile(r"\s+(år|year|underlag|basis|fynd|finding)\s+", re.IGNORECASE)


def _today(context: Context) -> date:
    return local_today(context.now(), context.settings.tz)


async def run(context: Context, args: dict[str, str]) -> Reply | list[Reply]:
    raw = args.get("what", "").strip()
    head, rest = split_first(raw)
    today = _today(context)
    if not raw:
        return [
            await year_reply(context.session, context.t, year, today, context.settings.tz)
            for year in listing_years(today)
        ]
    if _YEAR.match(head) and not rest:
        return await year_reply(context.session, context.t, int(head), today, context.settings.tz)
    if fold(head) in _TEXT:
        return await _text(context, rest, today)
    if fold(head) in _PUBLISHED:
        return await _published(context, rest, today)
    if fold(head) in _AREA:
        return await _area(context, rest, today)
    raise CommandError("promises.error.list_usage")


async def _text(context: Context, rest: str, today: date) -> Reply:
    first, after = split_first(rest)
    year, text = (int(first), after) if _YEAR.match(first) else (preparing_year(today), rest)
    if not text.strip():
        raise CommandError("promises.error.text_missing")
    draft, channels = await propose(context, year, text.strip())
    t = context.t
    if draft.state == HELD:
        message = t("promises.text.held", id=draft_ref(draft))
    else:
        message = t(
            "promises.text.proposed",
            year=year,
            id=draft_ref(draft),
            channels=channel_names(channels),
        )
    return Reply(text=message, visibility=Visibility.ONLY_TO_YOU)


async def _published(context: Context, rest: str, today: date) -> Reply:
    require_editor(context)
    link, after = split_first(rest)
    values = grammar.keyword_values(after) if after else {}
    year = grammar.year(values["year"]) if values.get("year") else today.year
    document = await find_document(context.session, year)
    if document is None:
        raise CommandError("promises.error.not_approved", year=year)
    await mark_published(context, document, basis.check_link(link), today)
    return Reply(
        text=context.t("promises.published", year=year, date=context.t.date(today)),
        visibility=Visibility.ONLY_TO_YOU,
    )


async def _area(context: Context, rest: str, today: date) -> Reply:
    require_editor(context)
    pieces = _AREA_KEYS.split(" " + rest.strip() + " ")
    name = pieces[0].strip()
    values = {fold(k): v.strip() for k, v in zip(pieces[1::2], pieces[2::2], strict=True)}
    year_text = values.get("ar") or values.get("year")
    year = grammar.year(year_text) if year_text else preparing_year(today)
    document = await document_for(context, year)
    area = await area_named(context, document, name)
    kind_text = values.get("underlag") or values.get("basis")
    found = None
    if kind_text:
        kind = basis_kind_from(kind_text)
        if kind is None:
            raise CommandError("basis.error.bad_kind", kind=kind_text[:40])
        found = await basis.latest(context.session, kind[0], date(year, 12, 31))
        if found is None:
            raise CommandError("basis.error.none_of_kind", kind=kind_text[:40])
    finding = values.get("fynd") or values.get("finding")
    await answer_finding(context, area, found, finding)
    return Reply(
        text=context.t("promises.area_saved", name=area.name, year=year),
        context=context.t("privacy.no_personal_data"),
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="promises",
    names_sv=("löften", "medborgarlöften", "medborgarlöfte"),
    names_en=("promises", "citizen promises"),
    handler=run,
    params=(Param("what", required=False, greedy=True),),
)
