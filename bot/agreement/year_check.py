"""A date written without a year, that the bot placed far ahead or after the agreement's end.

"möte brå 1/11 10:00" in December reads as 1 November next year: perhaps meant, perhaps a
slip for a past date. Before anything is saved the asker is asked "Menar du 1 november 2027?",
with Ja/Nej buttons that carry the original words and the day read, so that `Ja` saves exactly
what was asked about (and nothing, if the words now mean another day).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from bot.agreement.in_force import agreement_in_force
from bot.agreement.names import YEAR_DECLINED_ROUTE
from bot.common.when import year_guessed
from bot.core.context import CommandError, Context
from bot.core.registry import ButtonRoute
from bot.core.reply import Button, ButtonStyle, Reply, Visibility

FAR_AHEAD = timedelta(days=183)


def doubtful(text: str, day: date, today: date, agreement_end: date | None) -> bool:
    """A guessed year that put a day already past this year more than about six months ahead,
    or that puts the day after the agreement's end."""
    if not year_guessed(text) or day <= today:
        return False
    rolled_far = day.year > today.year and day > today + FAR_AHEAD
    return rolled_far or (agreement_end is not None and day > agreement_end)


async def agreement_end(context: Context, today: date) -> date | None:
    current, successor = await agreement_in_force(context.session, today)
    if successor is not None:
        return successor.ends_on
    return current.ends_on if current is not None else None


async def year_question(
    context: Context,
    text: str,
    day: date,
    route: str,
    payload: dict[str, object],
    confirmed: date | None,
) -> Reply | None:
    """The question to ask before saving, or None when the day needs no confirmation."""
    today = context.now().astimezone(context.settings.tz).date()
    if confirmed == day or day <= today or not year_guessed(text):
        return None  # without a guessed year there is nothing to ask, nor to look up
    end = await agreement_end(context, today)
    if not doubtful(text, day, today, end):
        return None
    t = context.t
    question = t("dates.year_question", date=t.date(day, weekday=True))
    if end is not None and day > end:
        question += " " + t("dates.after_agreement", end=t.date(end))
    question += "\n" + t(
        "dates.year_hint",
        same=f"{day.day}/{day.month}/{day.year}",
        other=f"{day.day}/{day.month}/{day.year - 1}",
    )
    carried = {**payload, "day": day.isoformat()}
    return Reply(
        text=question,
        buttons=[
            Button(t("dates.yes"), route, carried, ButtonStyle.PRIMARY, t("dates.named.yes")),
            Button(t("dates.no"), YEAR_DECLINED_ROUTE, {}, accessible_label=t("dates.named.no")),
        ],
        visibility=Visibility.ONLY_TO_YOU,
    )


def confirmed_day(payload: dict[str, object]) -> date | None:
    """The day a `Ja` press confirmed, or None when the button carries none that reads."""
    try:
        return date.fromisoformat(str(payload.get("day")))
    except ValueError:
        return None


# A command's own saving of its typed words, with the day a `Ja` press confirmed (or None).
SaveWords = Callable[[Context, str, date | None], Awaitable[Reply]]
ButtonHandler = Callable[[Context, dict[str, object]], Awaitable[Reply]]


def confirming_with(save: SaveWords) -> ButtonHandler:
    """The `Ja` route of a command whose question carries only its typed words (`what`): the
    words are saved again through `save`, with the day confirmed, in place of the question."""

    async def confirm_year(context: Context, payload: dict[str, object]) -> Reply:
        day = confirmed_day(payload)
        if day is None or not isinstance(payload.get("what"), str):
            raise CommandError("dates.stale_question")
        reply = await save(context, str(payload["what"]), day)
        reply.replace_original = True
        return reply

    return confirm_year


async def declined(context: Context, payload: dict[str, object]) -> Reply:
    """`Nej`: nothing is saved; how to write the date with its year. (`Ja` is each command's
    own route, so that it saves through that command's rules.)"""
    return Reply(
        text=context.t("dates.year_declined"),
        visibility=Visibility.ONLY_TO_YOU,
        replace_original=True,
    )


ROUTES = [ButtonRoute(YEAR_DECLINED_ROUTE, declined)]
