"""The basis of the promises: the municipality's situation picture (*lägesbild*) and the
police's safety survey (*trygghetsmätning*), each a dated link to where the document is kept
and a short summary of findings. Never data about individuals: the personnummer rule applies.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.context import CommandError, Context
from bot.promises.documents import check_text, require_editor
from bot.promises.scope import agreement_for_day
from storage.models_lifecycle import BasisDocument

MAX_SUMMARY = 1000
MAX_LINK = 1000


def check_link(link: str) -> str:
    """An http(s) address, as the document is kept on the organisations' own sites."""
    parsed = urlparse(link.strip("<>"))
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(link) > MAX_LINK:
        raise CommandError("basis.error.bad_link", link=link[:80])
    return parsed.geturl()


async def add(
    context: Context, kind: str, dated: date, link: str, summary: str | None
) -> BasisDocument:
    person = require_editor(context)
    summary = " ".join((summary or "").split()) or None
    if summary is not None:
        if len(summary) > MAX_SUMMARY:
            raise CommandError("promises.error.too_long", limit=MAX_SUMMARY)
        check_text(summary)
    agreement = await agreement_for_day(context.session, dated)
    document = BasisDocument(
        agreement_id=agreement.id,
        year=dated.year,
        kind=kind,
        dated=dated,
        link=check_link(link),
        summary=summary,
        created_by_id=person.id,
        created_at=context.now(),
    )
    context.session.add(document)
    await context.session.flush()
    context.audit(
        "basis.create",
        "basis_document",
        document.id,
        None,
        {"kind": kind, "dated": dated.isoformat(), "link": document.link, "summary": summary},
    )
    return document


async def of_years(session: AsyncSession, years: list[int]) -> list[BasisDocument]:
    rows = await session.scalars(
        select(BasisDocument)
        .where(BasisDocument.year.in_(years))
        .order_by(BasisDocument.dated, BasisDocument.id)
    )
    return list(rows.all())


async def latest(session: AsyncSession, kind: str, before: date) -> BasisDocument | None:
    """The newest basis document of a kind dated on or before a day."""
    return await session.scalar(
        select(BasisDocument)
        .where(BasisDocument.kind == kind, BasisDocument.dated <= before)
        .order_by(BasisDocument.dated.desc(), BasisDocument.id.desc())
        .limit(1)
    )
