"""The yearly cycle as staff read it: what the agreement itself says, kept apart from the
organisations' own plan, each point with its date, who is responsible and its state."""

from __future__ import annotations

from bot.agreement.cycle import AGREEMENT, DONE, OVERDUE, Point
from bot.common.i18n import Translator
from storage.models import Person


def responsible(t: Translator, roles: tuple[str, ...], people: list[Person]) -> str:
    """`Brå-samordnare (Anna Lindqvist)`, one per role."""
    parts = []
    for role in roles:
        names = [p.name for p in people if p.has_role(role)]
        label = t(f"role.person.{role}")
        parts.append(f"{label} ({', '.join(names)})" if names else label)
    return ", ".join(parts) or t("cycle.nobody")


def state_text(t: Translator, point: Point) -> str:
    if point.state == DONE:
        if point.check is not None:
            who = point.check.done_by.name if point.check.done_by else "–"
            return t("cycle.state.done_by", date=t.date(point.check.done_on), name=who)
        if point.decided_on is not None:
            return t("cycle.state.done", date=t.date(point.decided_on))
    if point.state == OVERDUE:
        return t("cycle.state.overdue")
    return t("cycle.state.upcoming")


def name_of(t: Translator, point: Point) -> str:
    return point.name(t.language, t("cycle.decisions"))


def point_line(t: Translator, point: Point, people: list[Person]) -> str:
    """One point; for the agreement's own points its words for when and the local plan's date
    beside them, marked as the plan's, never as the agreement's."""
    values = {
        "name": name_of(t, point),
        "date": t.date(point.day),
        "who": responsible(t, point.roles, people),
        "state": state_text(t, point),
    }
    if point.source != AGREEMENT:
        return t("cycle.line.local", **values)
    if point.event is None:
        return t("cycle.line.decisions", **values)
    return t("cycle.line.agreement", when=point.when(t.language) or "", **values)


def quote_line(t: Translator, point: Point) -> str | None:
    if point.event is None or not point.event.quote:
        return None
    return t("cycle.quote", quote=point.event.quote)
