"""`underlag [år]` / `basis [year]`: the year's situation pictures and safety surveys;
`underlag ny lägesbild|trygghetsmätning <datum> <länk> [sammanfattning]` records one (the Brå
coordinator, the community police officer and admins): a dated link to where the document is
kept and a short summary of findings, never data about individuals."""

from __future__ import annotations

import re

from bot.common.text import fold, split_first
from bot.core.context import CommandError, Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply, Section, Visibility
from bot.promises import basis, grammar
from bot.promises.render import basis_label
from bot.promises.scope import basis_years, local_today
from bot.promises.words import basis_kind_from

_ADD = ("ny", "nytt", "add", "new")
_YEAR = re.compile(r"^20\d\d$")


async def run(context: Context, args: dict[str, str]) -> Reply:
    t = context.t
    raw = args.get("what", "").strip()
    head, rest = split_first(raw)
    if fold(head) in _ADD:
        return await _add(context, rest)
    today = local_today(context.now(), context.settings.tz)
    if raw and not _YEAR.match(raw):
        raise CommandError("basis.error.usage")
    years = [int(raw)] if raw else basis_years(today)
    found = await basis.of_years(context.session, years)
    lines = []
    for document in found:
        summary = f" – {document.summary}" if document.summary else ""
        lines.append(f"{basis_label(t, document)}: {document.link}{summary}")
    label = "–".join(str(y) for y in (years[0], years[-1])) if len(years) > 1 else str(years[0])
    return Reply(
        heading=t("basis.heading", years=label),
        text="" if lines else t("basis.empty"),
        sections=[Section(None, lines)] if lines else [],
        context=t("basis.footer"),
        visibility=Visibility.ONLY_TO_YOU,
    )


async def _add(context: Context, rest: str) -> Reply:
    found = basis_kind_from(rest)
    if found is None:
        raise CommandError("basis.error.usage")
    kind, after = found
    day_text, after = split_first(after)
    link, summary = split_first(after)
    if not link:
        raise CommandError("basis.error.usage")
    dated = grammar.day(context, day_text)
    document = await basis.add(context, kind, dated, link, summary or None)
    return Reply(
        text=context.t("basis.added", label=basis_label(context.t, document), link=document.link),
        context=context.t("privacy.no_personal_data"),
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="basis",
    names_sv=("underlag", "lägesbild", "trygghetsmätning"),
    names_en=("basis",),
    handler=run,
    params=(Param("what", required=False, greedy=True),),
)
