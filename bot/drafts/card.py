"""The draft card: one neutral Reply that Slack, Teams and the terminal each render.

Everything shown comes from the stored draft, so the same card can be rebuilt at any time and
sent as an update to every posted copy.
"""

from __future__ import annotations

from datetime import datetime

from bot.common.i18n import Translator
from bot.core.reply import Button, ButtonStyle, FieldItem, Reply, Section, Visibility
from bot.drafts.checks import counts
from bot.drafts.service import (
    APPROVE,
    APPROVED,
    CHANGES_REQUESTED,
    HELD,
    MESSAGE,
    PENDING,
    REQUEST_CHANGES,
    SEND_ANYWAY,
    WITHDRAW,
    WITHDRAWN,
    approvals_by_org,
    current,
    draft_ref,
    open_change_request,
)
from storage.models import Draft, Organization


def short_time(t: Translator, moment: datetime, now: datetime) -> str:
    """`14.32` today, `25 nov. 14.32` another day (Stockholm time)."""
    from babel.dates import format_datetime  # imported on first use, as in bot.common.i18n

    local, today = moment.astimezone(t.timezone), now.astimezone(t.timezone)
    key = "drafts.format.time" if local.date() == today.date() else "drafts.format.day_time"
    return format_datetime(local, t(key), locale=t.language, tzinfo=t.timezone)


def sender_line(t: Translator, parties: list[Organization]) -> str:
    """The joint sender: every party's sender name, e.g. `Östra Göinge kommun och Polisen, …`."""
    names = [org.sender_name for org in parties]
    if len(names) <= 1:
        return "".join(names)
    return t("drafts.sender_join").join([", ".join(names[:-1]), names[-1]])


def target_label(t: Translator, target: str) -> str:
    return t(f"drafts.target.{target}")


def title_of(t: Translator, draft: Draft, *, reveal: bool = False) -> str:
    """The title, or the start of the text's first line when the author gave none.

    A held draft (it may hold a personnummer) shows neither, unless `reveal` (its author).
    """
    version = current(draft)
    if draft.state == HELD and not reveal:
        return t("drafts.untitled")
    if version.title:
        return version.title
    first = version.text.strip().splitlines()[0] if version.text.strip() else ""
    if not first:
        return t("drafts.untitled")
    return first if len(first) <= 60 else first[:59].rstrip() + "…"


def org_lines(t: Translator, draft: Draft, parties: list[Organization], now: datetime) -> list[str]:
    """Per party: `Kommunen: väntar` or `Polisen: godkänd av Veronica Gustafsson 14.32`."""
    approved = approvals_by_org(draft, draft.current_version)
    lines = []
    for org in parties:
        approval = approved.get(org.id)
        if approval is None:
            lines.append(t("drafts.card.org_waiting", org=org.short_name))
        else:
            lines.append(
                t(
                    "drafts.card.org_approved",
                    org=org.short_name,
                    name=approval.person.name,
                    time=short_time(t, approval.at, now),
                )
            )
    return lines


def render_card(
    t: Translator,
    draft: Draft,
    parties: list[Organization],
    now: datetime,
    *,
    visibility: Visibility = Visibility.CHANNEL,
    history: bool = False,
    viewer_id: int | None = None,
) -> Reply:
    """The card; a held draft's text and title are shown to its author only."""
    version = current(draft)
    ref = draft_ref(draft)
    reveal = draft.state != HELD or viewer_id == draft.author_id
    heading_key = (
        "drafts.card.heading_approved" if draft.state == APPROVED else "drafts.card.heading"
    )
    sender = sender_line(t, parties)
    fields = [
        FieldItem(t("drafts.card.state"), t(f"drafts.state.{draft.state}")),
        FieldItem(t("drafts.card.version"), str(version.number)),
        FieldItem(t("drafts.card.sender"), sender),
    ]
    if draft.kind != MESSAGE:
        fields.append(FieldItem(t("drafts.card.kind"), t(f"drafts.kind.{draft.kind}")))
    if draft.event_at is not None:
        fields.append(FieldItem(t("press.card.when"), t.datetime(draft.event_at)))
    if draft.event_place:
        fields.append(FieldItem(t("press.card.place"), draft.event_place))
    if version.planned_at is not None:
        fields.append(FieldItem(t("drafts.card.planned"), t.datetime(version.planned_at)))
    sections = [Section(t("drafts.card.targets"), _count_lines(t, version.text, version.targets))]
    if history and not reveal:
        history = False
    status = org_lines(t, draft, parties, now)
    change = open_change_request(draft)
    if change is not None:
        status.append(
            t(
                "drafts.card.change_requested",
                name=change.person.name,
                org=change.organization.short_name,
                time=short_time(t, change.at, now),
                comment=change.comment or "",
            )
        )
    if draft.state == WITHDRAWN:
        gone = [d for d in draft.decisions if d.decision == WITHDRAW][-1:]
        for decision in gone:
            status.append(
                t(
                    "drafts.card.withdrawn_by",
                    name=decision.person.name,
                    time=short_time(t, decision.at, now),
                )
            )
    sections.append(Section(t("drafts.card.approvals"), status))
    if draft.state == APPROVED:
        sections.append(
            Section(t("drafts.card.copy"), [f"{version.text}\n\n{sender}"]),
        )
    if draft.publications:
        sections.append(Section(t("published.card.heading"), publication_lines(t, draft, now)))
    if history:
        sections.append(Section(t("drafts.card.history"), history_lines(t, draft, now)))
    return Reply(
        heading=t(heading_key, id=ref, title=title_of(t, draft, reveal=reveal)),
        text=version.text if reveal else t("drafts.card.held_text"),
        fields=fields,
        sections=sections,
        buttons=_buttons(t, draft),
        context=t(
            "drafts.card.context",
            id=ref,
            version=version.number,
            author=draft.author.name,
            org=draft.author.organization.short_name,
        ),
        visibility=visibility,
    )


def _count_lines(t: Translator, text: str, targets: list[str]) -> list[str]:
    lines = []
    for count in counts(text, targets):
        label = target_label(t, count.target)
        if count.too_long:
            lines.append(
                t("drafts.card.count_over", target=label, length=count.length, limit=count.limit)
            )
        elif count.limit is not None:
            lines.append(
                t("drafts.card.count_limit", target=label, length=count.length, limit=count.limit)
            )
        else:
            lines.append(t("drafts.card.count", target=label, length=count.length))
    return lines


def _buttons(t: Translator, draft: Draft) -> list[Button]:
    approve, change = approve_buttons(t, draft)
    edit = edit_button(t, draft)
    withdraw = withdraw_button(t, draft, ButtonStyle.DANGER)
    if draft.state == PENDING:
        return [approve, change, edit, withdraw]
    if draft.state in (CHANGES_REQUESTED, HELD):
        return [edit, withdraw]
    return []


def history_lines(t: Translator, draft: Draft, now: datetime) -> list[str]:
    """Every version and decision in order: the public record, as staff read it."""
    events: list[tuple[datetime, int, str]] = []
    for version in draft.versions:
        events.append(
            (
                version.created_at,
                0,
                t(
                    "drafts.history.version",
                    version=version.number,
                    name=version.created_by.name,
                    time=short_time(t, version.created_at, now),
                    hash=version.content_hash[:12],
                ),
            )
        )
    keys = {
        APPROVE: "drafts.history.approve",
        REQUEST_CHANGES: "drafts.history.request_changes",
        WITHDRAW: "drafts.history.withdraw",
        SEND_ANYWAY: "drafts.history.send_anyway",
    }
    for decision in draft.decisions:
        events.append(
            (
                decision.at,
                1,
                t(
                    keys[decision.decision],
                    version=decision.version,
                    name=decision.person.name,
                    org=decision.organization.short_name,
                    time=short_time(t, decision.at, now),
                    comment=decision.comment or "",
                ),
            )
        )
    for publication in draft.publications:
        events.append(
            (
                publication.published_at,
                2,
                t(
                    "published.history",
                    name=publication.recorded_by.name,
                    time=short_time(t, publication.published_at, now),
                    where=_where(t, publication.channel, publication.url),
                ),
            )
        )
    return [line for _at, _order, line in sorted(events, key=lambda e: (e[0], e[1]))]


def _where(t: Translator, channel: str, url: str) -> str:
    return t("published.where", channel=channel, url=url) if channel else url


def publication_lines(t: Translator, draft: Draft, now: datetime) -> list[str]:
    """`26 nov. 10.15 – webben: https://… (Anna Lindqvist)`: where the message went out."""
    return [
        t(
            "published.card.line",
            time=short_time(t, p.published_at, now),
            where=_where(t, p.channel, p.url),
            name=p.recorded_by.name,
        )
        for p in draft.publications
    ]


def listing_line(t: Translator, draft: Draft, parties: list[Organization]) -> str:
    """`U7 – Trygghetsvandring i Broby – version 2 – väntar på Polisen`."""
    approved = approvals_by_org(draft, draft.current_version)
    waiting = [org.short_name for org in parties if org.id not in approved]
    values = {"id": draft_ref(draft), "title": title_of(t, draft), "version": draft.current_version}
    if draft.state == PENDING and waiting:
        return t("drafts.list.line_waiting", waiting=", ".join(waiting), **values)
    return t("drafts.list.line", **values)


# A draft's buttons say which draft to a screen reader ("Godkänn utkast U7"): their short labels
# alone are ambiguous where several drafts' cards and notices sit in one conversation.


def _payload(draft: Draft) -> dict[str, int]:
    return {"draft": draft.id, "version": draft.current_version}


def approve_buttons(t: Translator, draft: Draft) -> tuple[Button, Button]:
    """Approve and request changes, for a signer."""
    ref = draft_ref(draft)
    return (
        Button(
            t("drafts.button.approve"),
            "draft.approve",
            _payload(draft),
            ButtonStyle.PRIMARY,
            t("drafts.named.approve", id=ref),
        ),
        Button(
            t("drafts.button.request_changes"),
            "draft.request_changes",
            _payload(draft),
            accessible_label=t("drafts.named.request_changes", id=ref),
        ),
    )


def edit_button(t: Translator, draft: Draft, style: ButtonStyle = ButtonStyle.DEFAULT) -> Button:
    label = t("drafts.named.edit", id=draft_ref(draft))
    return Button(t("drafts.button.edit"), "draft.edit", _payload(draft), style, label)


def withdraw_button(
    t: Translator, draft: Draft, style: ButtonStyle = ButtonStyle.DEFAULT
) -> Button:
    label = t("drafts.named.withdraw", id=draft_ref(draft))
    return Button(t("drafts.button.withdraw"), "draft.withdraw", _payload(draft), style, label)


def send_anyway_button(t: Translator, draft: Draft) -> Button:
    label = t("drafts.named.send_anyway", id=draft_ref(draft))
    return Button(
        t("drafts.button.send_anyway"),
        "draft.send_anyway",
        _payload(draft),
        ButtonStyle.DANGER,
        label,
    )
