"""`överenskommelse [del]` / `agreement [part]`: parties, validity, days left, successor,
follow-up and forums; with a part (`forum`, `kommunikation`, `uppföljning`, `organisation`,
`budget`, …) that part of the agreement quoted word for word.

After its end, with no successor or extension registered, it says plainly that the agreement
has run out and what is missing, and nothing in it claims the agreement is still in force.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.agreement.in_force import agreement_in_force, has_run_out, next_occurrence
from bot.agreement.quotes import quote_reply
from bot.agreement.status import run_out_note
from bot.core.context import CommandError, Context
from bot.core.registry import Access, Command, Param
from bot.core.reply import FieldItem, Reply, Section, Visibility
from bot.directory.forums import forum_name, load_forum_index
from storage.models import Agreement, Organization

EXPIRY_WARNING_DAYS = 90


async def run(context: Context, args: dict[str, str]) -> Reply:
    t = context.t
    today = context.now().astimezone(context.settings.tz).date()
    current, successor = await agreement_in_force(context.session, today)
    if current is None:
        if successor is None:
            raise CommandError("agreement.none")
        current, successor = successor, None
    if args.get("part"):
        return quote_reply(t, current, args["part"])
    run_out = has_run_out(current, successor, today)
    orgs = {o.key: o for o in (await context.session.scalars(select(Organization))).all()}
    parties = [orgs[key].name for key in current.parties if key in orgs]
    days_left = (current.ends_on - today).days
    period = f"{t.date(current.valid_from)} – {t.date(current.ends_on)}"
    if current.extended_to is not None:
        period += f" ({t('agreement.extended_note', date=t.date(current.valid_to))})"
    fields = [
        FieldItem(
            t("agreement.parties"), t("list.and", first=", ".join(parties[:-1]), last=parties[-1])
        ),
        FieldItem(t("agreement.valid_until" if days_left < 0 else "agreement.valid"), period),
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
    elif run_out:
        fields.append(FieldItem(t("agreement.status"), t("agreement.run_out_status")))
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
    index = await load_forum_index(context.session)
    sections.append(
        Section(t("agreement.forums"), [forum_name(f, context.language) for f in index.top_level()])
    )
    warning = await run_out_note(context.session, t, current, successor, today)
    if warning is None and successor is None and 0 <= days_left <= EXPIRY_WARNING_DAYS:
        warning = t("agreement.no_successor_warning", days=days_left)
    elif warning is None and successor is None:
        warning = t("agreement.no_successor")
    return Reply(
        heading=current.title,
        fields=fields,
        sections=sections,
        context=warning,
        visibility=Visibility.ONLY_TO_YOU,
    )


def _next_follow_up(agreement: Agreement, today: date) -> date | None:
    if today > agreement.ends_on:
        return None
    in_month = [e for e in agreement.cycle_events if e.month == agreement.follow_up_month]
    if in_month:
        candidate = min(next_occurrence(e, today) for e in in_month)
    else:
        year = today.year if today.month <= agreement.follow_up_month else today.year + 1
        candidate = date(year, agreement.follow_up_month, 1)
    return candidate if candidate <= agreement.ends_on else None


COMMAND = Command(
    key="agreement",
    names_sv=("överenskommelse", "överenskommelsen", "samverkansöverenskommelse"),
    names_en=("agreement",),
    handler=run,
    params=(Param("part", required=False, greedy=True),),
    access=Access.REGISTERED,
    featured=True,
)
