"""A year's promises as staff read them: the text's state, each focus area with the finding it
answers and its commitments, the count per party and status, and what is overdue."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.agreement.in_force import load_agreement
from bot.common.i18n import Translator
from bot.core.reply import FieldItem, Reply, Section, Visibility
from bot.drafts.service import APPROVED, WITHDRAWN, approvals_by_org, draft_ref
from bot.promises.commitments import of_years, overdue
from bot.promises.documents import areas_of, find_document
from bot.promises.render import area_answers, area_title, counts, line, overdue_line
from storage.models import Organization
from storage.models_lifecycle import PromiseDocument


def text_state(
    t: Translator, document: PromiseDocument | None, year: int, orgs: dict[str, Organization]
) -> str:
    if document is not None and document.published_on is not None:
        return t(
            "promises.text.published",
            date=t.date(document.published_on),
            link=document.published_url or "",
        )
    draft = document.draft if document is not None else None
    if draft is None or draft.state == WITHDRAWN:
        return t("promises.text.missing", year=year)
    if draft.state == APPROVED and draft.approved_at is not None:
        return t(
            "promises.text.approved",
            id=draft_ref(draft),
            date=t.date(draft.approved_at.astimezone(t.timezone).date()),
            year=year,
        )
    approved = approvals_by_org(draft, draft.current_version)
    waiting = [
        orgs[key].short_name
        for key in draft.parties
        if key in orgs and orgs[key].id not in approved
    ]
    return t("promises.text.waiting", id=draft_ref(draft), waiting=", ".join(waiting) or "–")


async def year_reply(
    session: AsyncSession, t: Translator, year: int, today: date, tz: ZoneInfo
) -> Reply:
    orgs = {o.key: o for o in (await session.scalars(select(Organization))).all()}
    document = await find_document(session, year)
    items = await of_years(session, [year])
    sections: list[Section] = []
    if document is not None:
        for area in await areas_of(session, document):
            mine = [line(t, i, orgs) for i in items if i.focus_area_id == area.id]
            answers = area_answers(t, area)
            sections.append(Section(area_title(t, area), [*([answers] if answers else []), *mine]))
    loose = [line(t, i, orgs) for i in items if i.focus_area_id is None]
    if loose:
        sections.append(Section(area_title(t, None), loose))
    if items:
        sections.append(Section(t("promises.counts"), counts(t, items, orgs)))
        agreement = await load_agreement(session, items[0].agreement_id)
        assert agreement is not None
        late = [found for i in items if (found := overdue(i, agreement, today, tz)) is not None]
        if late:
            sections.append(Section(t("promises.overdue"), [overdue_line(t, x) for x in late]))
    return Reply(
        heading=t("promises.heading", year=year),
        text="" if items else t("promises.empty", year=year),
        fields=[FieldItem(t("promises.field.text"), text_state(t, document, year, orgs))],
        sections=sections,
        visibility=Visibility.ONLY_TO_YOU,
    )
