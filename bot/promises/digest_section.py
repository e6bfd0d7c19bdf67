"""Digest section: the year's promises counted per party and status, and the commitments that
are overdue (past their date without a status update). A constant number of queries."""

from __future__ import annotations

from sqlalchemy import select

from bot.agreement.in_force import load_agreements
from bot.core.reply import Section
from bot.digest.build import DigestContext, DigestSection
from bot.promises.commitments import of_years, overdue
from bot.promises.render import counts, overdue_line
from storage.models import Organization


async def build(context: DigestContext) -> Section | None:
    t, today = context.t, context.today
    years = [today.year - 1, today.year] if today.month == 1 else [today.year]
    items = await of_years(context.session, years)
    if not items:
        return None
    orgs = {o.key: o for o in (await context.session.scalars(select(Organization))).all()}
    agreements = {a.id: a for a in await load_agreements(context.session)}
    lines: list[str] = []
    for year in years:
        mine = [i for i in items if i.document.year == year]
        if mine:
            lines.append(
                t("digest.promises.year", year=year, counts="; ".join(counts(t, mine, orgs)))
            )
    late = [
        found
        for item in items
        if (found := overdue(item, agreements[item.agreement_id], today, context.tz)) is not None
    ]
    lines += context.shorten([overdue_line(t, x) for x in late])
    return Section(t("digest.promises.title"), lines)


SECTION = DigestSection(order=45, build=build)
