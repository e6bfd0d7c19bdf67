"""`utkast [text | U7]` / `draft [text | U7]`: joint messages that both parties co-sign.

`utkast <text>` creates a draft for the agreement's default target channels and posts its card
to the joint channel (and its linked rooms); `utkast` alone lists drafts by state, with a
button for the full form; `utkast U7` shows one draft with its history. The card's buttons
are the ROUTES below; the rules they follow live in `bot.drafts.service`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.common.ids import IdKind, parse_typed_id
from bot.common.untrusted import row_id
from bot.core.context import CommandError, Context, FieldErrors
from bot.core.registry import ButtonRoute, Command, Param
from bot.core.reply import Button, ButtonStyle, Form, FormField, Reply, Section, Visibility
from bot.drafts import service
from bot.drafts.author_notice import tell_author
from bot.drafts.card import (
    edit_button,
    listing_line,
    render_card,
    send_anyway_button,
    withdraw_button,
)
from bot.drafts.checks import MAX_TEXT, MAX_TITLE, TARGETS, parse_targets
from bot.drafts.content import Content, problems
from bot.drafts.names import (
    APPROVE_ROUTE,
    CREATE_ROUTE,
    EDIT_ROUTE,
    NEW_FORM_ROUTE,
    REQUEST_CHANGES_ROUTE,
    SEND_ANYWAY_ROUTE,
    WITHDRAW_ROUTE,
)
from bot.drafts.nudge import unreachable_signers
from bot.drafts.policy import organisations
from bot.drafts.publish import channel_names, publish
from bot.drafts.published_reply import published, wants_published
from bot.drafts.service import Outcome, draft_ref
from storage.models import Draft

LIST_ORDER = (
    service.PENDING,
    service.CHANGES_REQUESTED,
    service.HELD,
    service.APPROVED,
    service.WITHDRAWN,
)


def _private(text: str, buttons: list[Button] | None = None) -> Reply:
    return Reply(text=text, buttons=buttons or [], visibility=Visibility.ONLY_TO_YOU)


async def run(context: Context, args: dict[str, str]) -> Reply | list[Reply]:
    text = args.get("text", "").strip()
    if not text:
        return await _listing(context)
    typed = parse_typed_id(text, IdKind.DRAFT)
    if typed is not None:
        return await _show(context, typed.number)
    publication = wants_published(text)
    if publication is not None:
        return await published(context, *publication)
    policy = await service.policy_for(context)
    content = Content(title="", text=text, targets=list(policy.default_targets))
    return await _created(context, await service.create(context, content))


async def _created(context: Context, draft: Draft) -> Reply:
    t = context.t
    ref = draft_ref(draft)
    if draft.state == service.HELD:
        return _hold_warning(context, draft)
    channels = await publish(context, draft)
    created = t("drafts.created", id=ref, channels=channel_names(channels))
    unreachable = await unreachable_signers(context.session, draft)
    if unreachable:
        names = ", ".join(p.name for p in unreachable)
        created += "\n" + t("people.unreachable.signers", names=names)
    return _private(created)


def _hold_warning(context: Context, draft: Draft) -> Reply:
    t = context.t
    return _private(
        t("drafts.hold.warning", id=draft_ref(draft)),
        [
            send_anyway_button(t, draft),
            edit_button(t, draft, ButtonStyle.PRIMARY),
            withdraw_button(t, draft),
        ],
    )


async def _listing(context: Context) -> Reply:
    t = context.t
    drafts = await service.list_drafts(context.session, LIST_ORDER, limit=100)
    keys = sorted({key for d in drafts for key in d.parties})
    orgs = {org.key: org for org in await organisations(context.session, keys)}
    sections = []
    for state in LIST_ORDER:
        here = [d for d in drafts if d.state == state][:20]
        if not here:
            continue
        lines = [listing_line(t, d, [orgs[k] for k in d.parties if k in orgs]) for d in here]
        sections.append(Section(t(f"drafts.state.{state}"), lines))
    return Reply(
        heading=t("drafts.list.heading"),
        text=t("drafts.list.intro") if sections else t("drafts.list.empty"),
        sections=sections,
        buttons=[Button(t("drafts.button.new"), NEW_FORM_ROUTE, {}, ButtonStyle.PRIMARY)],
        visibility=Visibility.ONLY_TO_YOU,
    )


async def _show(context: Context, number: int) -> Reply:
    draft = await service.load(context.session, number)
    if draft is None:
        raise CommandError("drafts.error.not_found", id=draft_ref(number))
    parties = await organisations(context.session, draft.parties)
    return render_card(
        context.t,
        draft,
        parties,
        context.now(),
        visibility=Visibility.ONLY_TO_YOU,
        history=True,
        viewer_id=context.person.id if context.person else None,
    )


# --- the form ---------------------------------------------------------------------------


def _form(
    context: Context, action: str, content: Content | None, payload: dict[str, object]
) -> Form:
    t = context.t
    initial_targets = ",".join(content.targets) if content else None
    planned = None
    if content is not None and content.planned_at is not None:
        planned = content.planned_at.astimezone(context.settings.tz).strftime("%Y-%m-%dT%H:%M")
    return Form(
        title=t("drafts.form.title_edit" if payload else "drafts.form.title_new"),
        submit_label=t("drafts.form.submit"),
        route=action,
        fields=[
            FormField(
                "title",
                t("drafts.form.field.title"),
                required=False,
                initial=content.title if content else None,
                max_length=MAX_TITLE,
                hint=t("drafts.form.hint.title"),
            ),
            FormField(
                "text",
                t("drafts.form.field.text"),
                kind="multiline",
                initial=content.text if content else None,
                max_length=MAX_TEXT,
                hint=t("drafts.form.hint.text"),
                error=t("drafts.form.missing.text"),
            ),
            FormField(
                "targets",
                t("drafts.form.field.targets"),
                kind="multichoice",
                options=[(key, t(f"drafts.target.{key}")) for key in TARGETS],
                initial=initial_targets,
                hint=t("drafts.form.hint.targets"),
                error=t("drafts.form.missing.targets"),
            ),
            FormField(
                "planned_at",
                t("drafts.form.field.planned_at"),
                kind="datetime",
                required=False,
                initial=planned,
                hint=t("drafts.form.hint.planned_at"),
            ),
        ],
        payload=dict(payload),
    )


def _content_from(context: Context, payload: dict[str, object]) -> Content:
    """Form values → Content; every invalid field is reported next to it, nothing saved."""
    t = context.t
    errors: dict[str, str] = {}
    planned_at = None
    raw_planned = payload.get("planned_at")
    if raw_planned not in (None, ""):
        planned_at = _parse_moment(context, raw_planned)
        if planned_at is None:
            errors["planned_at"] = t("drafts.error.bad_time")
        elif planned_at <= context.now():
            errors["planned_at"] = t("drafts.error.past_time")
    content = Content(
        title=str(payload.get("title") or "").strip(),
        text=str(payload.get("text") or "").strip(),
        targets=parse_targets(payload.get("targets")),
        planned_at=planned_at,
    )
    for problem in problems(content):
        errors.setdefault(problem.field, t(problem.key, **problem.values))
    if errors:
        raise FieldErrors(errors)
    return content


def _parse_moment(context: Context, value: object) -> datetime | None:
    """An ISO time (local Stockholm time unless it says otherwise) or a Unix timestamp."""
    try:
        if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
            return datetime.fromtimestamp(int(value), UTC)
        moment = datetime.fromisoformat(str(value))
    except (ValueError, OverflowError, OSError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=context.settings.tz)
    return moment.astimezone(UTC)


def _ids(payload: dict[str, object]) -> tuple[int, int]:
    """The draft and the version a button was drawn for: a decision is about that text only,
    so a payload without its version is refused, never applied to the current one."""
    try:
        draft_id = row_id(payload["draft"])
        version = row_id(payload["version"])
    except (KeyError, ValueError):
        raise CommandError("error.unknown_action") from None
    return draft_id, version


# --- actions ----------------------------------------------------------------------------


async def new_form(context: Context, payload: dict[str, object]) -> Reply:
    """The empty form, or one that starts from a text (a message a shortcut was used on);
    the text is checked like any other when the form is sent."""
    context.require_person()
    policy = await service.policy_for(context)
    start = payload.get("text")
    text = start.strip()[:MAX_TEXT] if isinstance(start, str) else ""
    content = Content(title="", text=text, targets=list(policy.default_targets))
    return Reply(
        form=_form(context, "draft.create", content, {}), visibility=Visibility.ONLY_TO_YOU
    )


async def create(context: Context, payload: dict[str, object]) -> Reply:
    draft = await service.create(context, _content_from(context, payload))
    return await _created(context, draft)


async def _decided(context: Context, outcome: Outcome, key: str) -> Reply:
    draft = outcome.draft
    await publish(context, draft, announce=outcome.became_approved)
    if outcome.became_approved:
        key = "drafts.done.approved_by_all"
    return _private(
        context.t(
            key,
            id=draft_ref(draft),
            version=draft.current_version,
            org=context.require_person().organization.short_name,
        )
    )


async def approve(context: Context, payload: dict[str, object]) -> Reply:
    draft_id, version = _ids(payload)
    organisation = payload.get("organisation")
    outcome = await service.approve(
        context, draft_id, version, str(organisation) if organisation else None
    )
    return await _decided(context, outcome, "drafts.done.approved")


async def request_changes(context: Context, payload: dict[str, object]) -> Reply:
    draft_id, version = _ids(payload)
    comment = payload.get("comment")
    if comment is None:
        t = context.t
        form = Form(
            title=t("drafts.form.title_changes", id=draft_ref(draft_id)),
            submit_label=t("drafts.form.submit_changes"),
            route=REQUEST_CHANGES_ROUTE,
            fields=[
                FormField(
                    "comment",
                    t("drafts.form.field.comment"),
                    kind="multiline",
                    hint=t("drafts.form.hint.comment"),
                    error=t("drafts.error.comment_missing"),
                )
            ],
            payload={"draft": draft_id, "version": version},
        )
        return Reply(form=form, visibility=Visibility.ONLY_TO_YOU)
    if not str(comment).strip():
        raise FieldErrors({"comment": context.t("drafts.error.comment_missing")})
    outcome = await service.request_changes(context, draft_id, version, str(comment))
    assert outcome.change_request is not None
    await tell_author(context, outcome.draft, outcome.change_request)
    return await _decided(context, outcome, "drafts.done.changes_requested")


async def edit(context: Context, payload: dict[str, object]) -> Reply:
    draft_id, version = _ids(payload)
    if "text" not in payload:
        draft = await service.load(context.session, draft_id)
        if draft is None:
            raise CommandError("drafts.error.not_found", id=draft_ref(draft_id))
        person = context.require_person()
        if person.id != draft.author_id and not person.is_admin:
            raise CommandError("drafts.error.edit_not_allowed", author=draft.author.name)
        now = service.current(draft)
        content = Content(now.title, now.text, list(now.targets), now.planned_at)
        form = _form(context, "draft.edit", content, {"draft": draft_id, "version": version})
        return Reply(form=form, visibility=Visibility.ONLY_TO_YOU)
    draft = await service.load(context.session, draft_id)
    if draft is None:
        raise CommandError("drafts.error.not_found", id=draft_ref(draft_id))
    # Fields a form leaves out keep their current value.
    was = service.current(draft)
    merged: dict[str, object] = {
        "title": was.title,
        "targets": list(was.targets),
        "planned_at": was.planned_at.isoformat() if was.planned_at else None,
        **payload,
    }
    outcome = await service.edit(context, draft_id, version, _content_from(context, merged))
    if outcome.draft.state == service.HELD:
        await publish(context, outcome.draft)
        return _hold_warning(context, outcome.draft)
    return await _decided(context, outcome, "drafts.done.edited")


async def withdraw(context: Context, payload: dict[str, object]) -> Reply:
    draft_id, version = _ids(payload)
    outcome = await service.withdraw(context, draft_id, version)
    return await _decided(context, outcome, "drafts.done.withdrawn")


async def send_anyway(context: Context, payload: dict[str, object]) -> Reply:
    draft_id, version = _ids(payload)
    outcome = await service.send_anyway(context, draft_id, version)
    channels = await publish(context, outcome.draft)
    return _private(
        context.t(
            "drafts.done.sent_anyway", id=draft_ref(outcome.draft), channels=channel_names(channels)
        )
    )


COMMAND = Command(
    key="draft",
    names_sv=("utkast",),
    names_en=("draft", "drafts"),
    handler=run,
    params=(Param("text", required=False, greedy=True),),
    featured=True,
)

ROUTES = [
    ButtonRoute(NEW_FORM_ROUTE, new_form),
    ButtonRoute(CREATE_ROUTE, create),
    ButtonRoute(APPROVE_ROUTE, approve),
    ButtonRoute(REQUEST_CHANGES_ROUTE, request_changes),
    ButtonRoute(EDIT_ROUTE, edit),
    ButtonRoute(WITHDRAW_ROUTE, withdraw),
    ButtonRoute(SEND_ANYWAY_ROUTE, send_anyway),
]
