"""Action items (`A3`): who may create, assign and close them, and what is open for whom.

Anyone registered may record one for themselves; assigning to someone else takes the forum's
chair or secretary, or an admin. The owner, the one who assigned it, or an admin may close it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.channels.audience import load_tree, person_audience
from bot.common.i18n import Translator
from bot.common.ids import IdKind, TypedId
from bot.common.privacy import forbids_personal_text
from bot.core.reply import Button, ButtonStyle
from bot.followup.names import ACTION_DONE_ROUTE, ACTION_DUE_KIND, ACTION_OVERDUE_KIND
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.settings import SchedulerSettings
from bot.scheduler.workdays import local_moment, working_day_on_or_after
from storage.models import ActionItem, Forum, ForumMember, Person

OPEN = "open"
DONE = "done"
KEEPER_ROLES = ("chair", "secretary")


def action_id(item: ActionItem) -> str:
    return str(TypedId(IdKind.ACTION_ITEM, item.id))


def done_button(t: Translator, item: ActionItem) -> Button:
    return Button(
        t("action.done_button", id=action_id(item)),
        ACTION_DONE_ROUTE,
        {"item": item.id},
        style=ButtonStyle.PRIMARY,
        accessible_label=t("action.named.done", id=action_id(item)),
    )


async def my_forum_ids(session: AsyncSession, person: Person) -> set[int]:
    """The forums the person belongs to, and the groups of those forums."""
    direct = set(
        (
            await session.scalars(
                select(ForumMember.forum_id).where(ForumMember.person_id == person.id)
            )
        ).all()
    )
    if not direct:
        return direct
    groups = await session.scalars(select(Forum.id).where(Forum.parent_id.in_(direct)))
    return direct | set(groups.all())


async def keeps(session: AsyncSession, person: Person, forum: Forum | None) -> bool:
    """Chair or secretary of the forum (or of the forum a group belongs to)."""
    if forum is None:
        return False
    forum_ids = [forum.id] + ([forum.parent_id] if forum.parent_id else [])
    role = await session.scalar(
        select(ForumMember.role).where(
            ForumMember.person_id == person.id,
            ForumMember.forum_id.in_(forum_ids),
            ForumMember.role.in_(KEEPER_ROLES),
        )
    )
    return role is not None


async def may_assign(
    session: AsyncSession, asker: Person, owner: Person, forum: Forum | None
) -> bool:
    return owner.id == asker.id or asker.is_admin or await keeps(session, asker, forum)


def may_close(asker: Person, item: ActionItem) -> bool:
    return asker.is_admin or asker.id in (item.owner_id, item.assigned_by_id)


async def hidden_from(session: AsyncSession, asker: Person, item: ActionItem) -> bool:
    """An item of a restricted forum is invisible to those outside it (it is "not found")."""
    if asker.id in (item.owner_id, item.assigned_by_id):
        return False
    audience = person_audience(asker, await my_forum_ids(session, asker))
    return not (await load_tree(session)).shows(item.forum_id, audience)


def no_personal_text(forum: Forum | None) -> bool:
    """Forums (or their groups) where no free text about individuals may be written."""
    return forbids_personal_text(forum, forum.parent if forum is not None else None)


async def create(
    session: AsyncSession,
    *,
    text: str,
    owner: Person,
    assigned_by: Person,
    forum: Forum | None,
    due: date,
    now: datetime,
    tz: ZoneInfo,
    settings: SchedulerSettings,
) -> ActionItem:
    item = ActionItem(
        text=text,
        owner_id=owner.id,
        assigned_by_id=assigned_by.id,
        forum_id=forum.id if forum else None,
        due=due,
        status=OPEN,
        created_at=now,
    )
    session.add(item)
    await session.flush()
    await schedule_reminders(session, item, now, tz, settings)
    return item


async def schedule_reminders(
    session: AsyncSession,
    item: ActionItem,
    now: datetime,
    tz: ZoneInfo,
    settings: SchedulerSettings,
) -> None:
    """The owner hears on the due date's morning, and the first working morning after it."""
    on_the_day = local_moment(item.due, settings.morning, tz)
    overdue_day = working_day_on_or_after(item.due + timedelta(days=1))
    overdue = local_moment(overdue_day, settings.morning, tz)
    target = (Target.PERSON, item.owner_id)
    payload = {"item": item.id}
    if on_the_day >= now:
        await schedule(
            session, ACTION_DUE_KIND, on_the_day, payload, target, f"action_due:{item.id}", now
        )
    await schedule(
        session,
        ACTION_OVERDUE_KIND,
        max(overdue, now),
        payload,
        target,
        f"action_overdue:{item.id}:{overdue_day.isoformat()}",
        now,
    )


async def open_items(
    session: AsyncSession, person: Person | None = None, forum_ids: set[int] | None = None
) -> list[ActionItem]:
    """Open items, due first; for a person: theirs, those they assigned, their forums'."""
    query = (
        select(ActionItem)
        .options(joinedload(ActionItem.forum).joinedload(Forum.parent))
        .where(ActionItem.status == OPEN)
    )
    if person is not None:
        conditions = [ActionItem.owner_id == person.id, ActionItem.assigned_by_id == person.id]
        if forum_ids:
            conditions.append(ActionItem.forum_id.in_(forum_ids))
        query = query.where(or_(*conditions))
    query = query.order_by(ActionItem.due, ActionItem.id)
    return list((await session.scalars(query)).unique().all())
