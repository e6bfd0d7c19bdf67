"""How promises read: one line per commitment, a commitment with its history, the buttons
that set its status and outcome, and a year's document by focus area."""

from __future__ import annotations

from collections import Counter

from bot.common.i18n import Translator
from bot.core.reply import Button, ButtonStyle, FieldItem, Reply, Section, Visibility
from bot.promises.commitments import Overdue, commitment_ref
from bot.promises.names import OUTCOME_ROUTE, STATUS_ROUTE
from bot.promises.words import CLOSED, DELAYED, DONE, DROPPED, IN_PROGRESS, JOINT, STATUSES
from storage.models import Organization
from storage.models_lifecycle import BasisDocument, Commitment, CommitmentEvent, FocusArea

BUTTON_STATUSES = (IN_PROGRESS, DONE, DELAYED, DROPPED)


def party_name(t: Translator, party: str, orgs: dict[str, Organization]) -> str:
    if party == JOINT:
        return t("promises.party.joint")
    org = orgs.get(party)
    return org.short_name if org is not None else party


def status_name(t: Translator, status: str) -> str:
    return t(f"promises.status.{status}")


def progress(t: Translator, item: Commitment, *, bare: bool = False) -> str:
    """`utfall 12 av 40 trafikkontroller`; `bare`: `12 av 40 trafikkontroller`."""
    key = "promises.progress_value" if bare else "promises.progress"
    if item.target_count is not None:
        key = "promises.progress_target_value" if bare else "promises.progress_target"
        return t(
            key, outcome=item.outcome, target=item.target_count, unit=item.target_unit or ""
        ).strip()
    return t(key, outcome=item.outcome)


def line(t: Translator, item: Commitment, orgs: dict[str, Organization]) -> str:
    """`L7 Trafikkontroller vid skolorna (Polisen; Ahmed Karimi; 12 av 40 …; pågår)`."""
    return t(
        "promises.line",
        id=commitment_ref(item),
        text=item.text,
        party=party_name(t, item.party, orgs),
        owner=item.owner.name if item.owner else t("promises.no_owner"),
        progress=progress(t, item),
        status=status_name(t, item.status),
    )


def overdue_line(t: Translator, late: Overdue) -> str:
    item = late.item
    values = {
        "id": commitment_ref(item),
        "text": item.text,
        "owner": item.owner.name if item.owner else t("promises.no_owner"),
        "date": t.date(late.day),
    }
    return t(f"promises.overdue.{late.reason}", **values)


def buttons(t: Translator, item: Commitment) -> list[Button]:
    """Set the status (one press) or record the outcome (a small form)."""
    if item.status in CLOSED:
        return []
    found = [
        Button(
            t(f"promises.button.{status}"),
            STATUS_ROUTE,
            {"commitment": item.id, "status": status},
            ButtonStyle.PRIMARY if status == DONE else ButtonStyle.DEFAULT,
        )
        for status in BUTTON_STATUSES
        if status != item.status
    ]
    found.append(Button(t("promises.button.outcome"), OUTCOME_ROUTE, {"commitment": item.id}))
    return found


def counts(t: Translator, items: list[Commitment], orgs: dict[str, Organization]) -> list[str]:
    """Per party: how many commitments in each status."""
    parties = [*[key for key in orgs if any(i.party == key for i in items)], JOINT]
    lines = []
    for party in parties:
        mine = Counter(i.status for i in items if i.party == party)
        if not mine:
            continue
        parts = [
            t("promises.count", count=mine[status], status=status_name(t, status))
            for status in STATUSES
            if mine[status]
        ]
        lines.append(
            t("promises.count_line", party=party_name(t, party, orgs), counts=", ".join(parts))
        )
    return lines


def basis_label(t: Translator, basis: BasisDocument) -> str:
    return t(f"basis.kind.{basis.kind}", date=t.date(basis.dated))


def area_title(t: Translator, area: FocusArea | None) -> str:
    if area is None:
        return t("promises.no_area")
    return t("promises.area", name=area.name)


def area_answers(t: Translator, area: FocusArea) -> str | None:
    if area.basis is None and not area.finding:
        return None
    basis = basis_label(t, area.basis) if area.basis is not None else "–"
    if area.finding:
        return t("promises.answers_finding", basis=basis, finding=area.finding)
    return t("promises.answers", basis=basis)


def history_line(t: Translator, event: CommitmentEvent) -> str:
    who = event.person.name if event.person else "–"
    when = t.datetime(event.at)
    comment = t("promises.history.comment", comment=event.comment) if event.comment else ""
    if event.change == "status":
        what = t("promises.history.status", status=status_name(t, event.status or ""))
    elif event.change == "outcome":
        what = t("promises.history.outcome", outcome=event.outcome or 0)
    else:
        what = t(f"promises.history.{event.change}")
    return f"{when} – {who}: {what}{comment}"


def show(
    t: Translator,
    item: Commitment,
    orgs: dict[str, Organization],
    events: list[CommitmentEvent],
    *,
    late: Overdue | None,
    with_buttons: bool,
) -> Reply:
    fields = [
        FieldItem(t("promises.field.party"), party_name(t, item.party, orgs)),
        FieldItem(
            t("promises.field.owner"), item.owner.name if item.owner else t("promises.no_owner")
        ),
        FieldItem(
            t("promises.field.area"),
            item.focus_area.name if item.focus_area else t("promises.no_area"),
        ),
        FieldItem(t("promises.field.progress"), progress(t, item, bare=True)),
        FieldItem(t("promises.field.status"), status_name(t, item.status)),
    ]
    if item.due is not None:
        fields.append(FieldItem(t("promises.field.due"), t.date(item.due, weekday=True)))
    return Reply(
        heading=t(
            "promises.show.heading",
            id=commitment_ref(item),
            text=item.text,
            year=item.document.year,
        ),
        fields=fields,
        sections=[Section(t("promises.history"), [history_line(t, e) for e in events])],
        buttons=buttons(t, item) if with_buttons else [],
        context=overdue_line(t, late) if late else t("privacy.no_personal_data"),
        visibility=Visibility.ONLY_TO_YOU,
    )
