"""A year's promise document: found or made on first use, its focus areas, its text (a draft
of the joint drafts' machinery, kind `promises`) and its publication."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.privacy import looks_like_personnummer
from bot.common.text import fold
from bot.core.context import CommandError, Context
from bot.promises.scope import agreement_for_year
from storage.models import Agreement, Person
from storage.models_lifecycle import BasisDocument, FocusArea, PromiseDocument

EDITOR_ROLES = ("kommunpolis", "bra_coordinator")
MAX_NAME = 200
MAX_FINDING = 500


def may_edit(person: Person) -> bool:
    """The community police officer, the Brå coordinator and admins add and edit promises."""
    return person.is_admin or any(person.has_role(role) for role in EDITOR_ROLES)


def require_editor(context: Context) -> Person:
    person = context.require_person()
    if not may_edit(person):
        raise CommandError("promises.error.not_editor")
    return person


def check_text(text: str) -> None:
    """The personnummer rule, for every text about promises: refuse, never store."""
    if looks_like_personnummer(text):
        raise CommandError("promises.error.personnummer")


async def find_document(session: AsyncSession, year: int) -> PromiseDocument | None:
    return await session.scalar(select(PromiseDocument).where(PromiseDocument.year == year))


async def document_for(context: Context, year: int) -> PromiseDocument:
    """The year's document, made under the agreement of that year if there is none yet."""
    found = await find_document(context.session, year)
    if found is not None:
        return found
    agreement: Agreement = await agreement_for_year(context.session, year)
    document = PromiseDocument(agreement_id=agreement.id, year=year, created_at=context.now())
    context.session.add(document)
    await context.session.flush()
    context.audit("promises.create", "promise_document", year, None, {"agreement": agreement.key})
    return document


async def areas_of(session: AsyncSession, document: PromiseDocument) -> list[FocusArea]:
    rows = await session.scalars(
        select(FocusArea).where(FocusArea.document_id == document.id).order_by(FocusArea.id)
    )
    return list(rows.unique().all())


async def area_named(context: Context, document: PromiseDocument, name: str) -> FocusArea:
    """The document's focus area of that name (forgiving case and accents), made if new."""
    name = " ".join(name.split())[:MAX_NAME]
    if not name:
        raise CommandError("promises.error.area_missing")
    check_text(name)
    for area in await areas_of(context.session, document):
        if fold(area.name) == fold(name):
            return area
    area = FocusArea(agreement_id=document.agreement_id, document_id=document.id, name=name)
    context.session.add(area)
    await context.session.flush()
    context.audit(
        "promises.area", "focus_area", area.id, None, {"year": document.year, "name": name}
    )
    return area


async def answer_finding(
    context: Context, area: FocusArea, basis: BasisDocument | None, finding: str | None
) -> None:
    """Name the basis document and the finding that a focus area answers."""
    if finding:
        finding = " ".join(finding.split())
        if len(finding) > MAX_FINDING:
            raise CommandError("promises.error.too_long", limit=MAX_FINDING)
        check_text(finding)
    before = {"basis": area.basis_id, "finding": area.finding}
    if basis is not None:
        area.basis_id = basis.id
    if finding:
        area.finding = finding
    await context.session.flush()
    context.audit(
        "promises.area_finding",
        "focus_area",
        area.id,
        before,
        {"basis": area.basis_id, "finding": area.finding},
    )


async def mark_published(context: Context, document: PromiseDocument, link: str, day: date) -> None:
    """Record where and when the approved promises were published."""
    draft = document.draft
    if draft is None or draft.state != "approved":
        raise CommandError("promises.error.not_approved", year=document.year)
    before = {"published_on": document.published_on, "published_url": document.published_url}
    document.published_on = day
    document.published_url = link
    document.published_by_id = context.require_person().id
    context.audit(
        "promises.publish",
        "promise_document",
        document.year,
        {k: v.isoformat() if isinstance(v, date) else v for k, v in before.items()},
        {"published_on": day.isoformat(), "published_url": link},
    )
