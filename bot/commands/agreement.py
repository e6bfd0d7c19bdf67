"""`överenskommelse` / `agreement`: parties, validity, days left, successor, follow-up, forums."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.context import CommandError, Context
from bot.directory import ForumIndex, forum_name
from bot.registry import Access, Command
from bot.reply import FieldItem, Reply, Section, Visibility
from storage.models import Agreement, CycleEvent, Organization

EXPIRY_WARNING_DAYS = 90


def next_occurrence(event: CycleEvent, today: date) -> date:
    """The next date (today included) on which a yearly cycle event falls."""
    for year in (today.year, today.year + 1):
        day = min(event.day, 28) if event.month == 2 else event.day
        candidate = date(year, event.month, day)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: next year always qualifies")


def current_and_next(
    agreements: list[Agreement], today: date
) -> tuple[Agreement | None, Agreement | None]:
    """The agreement in force today (else the latest that was), and the first one after it."""
    ordered = sorted(agreements, key=lambda a: a.valid_from)
    current = next((a for a in ordered if a.valid_from <= today <= a.valid_to), None)
    if current is None:
        past = [a for a in ordered if a.valid_to < today]
        current = past[-1] if past else None
    after = current.valid_to if current else today
    successor = next((a for a in ordered if a.valid_from > after), None)
    return current, successor


async def run(context: Context, args: dict[str, str]) -> Reply:
    t = context.t
    today = context.now().astimezone(context.settings.tz).date()
    agreements = list(
        (
            await context.session.scalars(
                select(Agreement).options(selectinload(Agreement.cycle_events))
            )
        ).all()
    )
    current, successor = current_and_next(agreements, today)
    if current is None:
        if successor is None:
            raise CommandError("agreement.none")
        current, successor = successor, None
    orgs = {o.key: o for o in (await context.session.scalars(select(Organization))).all()}
    parties = [orgs[key].name for key in current.parties if key in orgs]
    days_left = (current.valid_to - today).days
    fields = [
        FieldItem(
            t("agreement.parties"), t("list.and", first=", ".join(parties[:-1]), last=parties[-1])
        ),
        FieldItem(
            t("agreement.valid"), f"{t.date(current.valid_from)} – {t.date(current.valid_to)}"
        ),
    ]
    if current.valid_from > today:
        fields.append(
            FieldItem(
                t("agreement.status"),
                t("agreement.not_yet", days=(current.valid_from - today).days),
            )
        )
    elif days_left >= 0:
        fields.append(FieldItem(t("agreement.days_left"), t("agreement.days", days=days_left)))
    else:
        fields.append(FieldItem(t("agreement.status"), t("agreement.expired", days=-days_left)))
    follow_up = _next_follow_up(current, today)
    if follow_up is not None:
        fields.append(FieldItem(t("agreement.next_follow_up"), t.date(follow_up)))
    if successor is not None:
        fields.append(
            FieldItem(
                t("agreement.successor"),
                f"{successor.title} "
                f"({t.date(successor.valid_from)} – {t.date(successor.valid_to)})",
            )
        )
    sections = []
    upcoming = sorted(current.cycle_events, key=lambda e: next_occurrence(e, today))[:3]
    if upcoming:
        name = "name_en" if context.language == "en" else "name_sv"
        sections.append(
            Section(
                t("agreement.cycle"),
                [f"{t.date(next_occurrence(e, today))}: {getattr(e, name)}" for e in upcoming],
            )
        )
    index = await ForumIndex.load(context.session)
    sections.append(
        Section(t("agreement.forums"), [forum_name(f, context.language) for f in index.top_level()])
    )
    warning = None
    if successor is None and 0 <= days_left <= EXPIRY_WARNING_DAYS:
        warning = t("agreement.no_successor_warning", days=days_left)
    elif successor is None:
        warning = t("agreement.no_successor")
    return Reply(
        heading=current.title,
        fields=fields,
        sections=sections,
        context=warning,
        visibility=Visibility.ONLY_TO_YOU,
    )


def _next_follow_up(agreement: Agreement, today: date) -> date | None:
    if today > agreement.valid_to:
        return None
    in_month = [e for e in agreement.cycle_events if e.month == agreement.follow_up_month]
    if in_month:
        candidate = min(next_occurrence(e, today) for e in in_month)
    else:
        year = today.year if today.month <= agreement.follow_up_month else today.year + 1
        candidate = date(year, agreement.follow_up_month, 1)
    return candidate if candidate <= agreement.valid_to else None


COMMAND = Command(
    key="agreement",
    names_sv=("överenskommelse", "överenskommelsen", "samverkansöverenskommelse"),
    names_en=("agreement",),
    handler=run,
    access=Access.REGISTERED,
    featured=True,
)
