"""Form submissions (`view_submission`): the core validates inside Slack's acknowledgement.

Invalid input comes back as `response_action: errors`, shown next to each field, and nothing
is saved (the core rolls back). Valid input closes the modal (or shows the next form) and the
answer is posted after the acknowledgement.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.messenger import ChannelPacer, Responder
from adapters.slack.render import render_field_errors, render_form
from adapters.slack.translate import RERUN_ACTION, FormMetadata, SlackUser, submission_request
from bot.common.i18n import choose_language
from bot.core.engine import Bot
from bot.core.reply import USER_EMAILS_SUFFIX, Button, ButtonStyle, Reply
from bot.core.request import ButtonPress, Request

Background = Callable[[Coroutine[Any, Any, None]], None]
# A Slack user id → what users.info says about them (cached), for people chosen in a picker.
LookUp = Callable[[str], Awaitable[SlackUser]]


async def submit(
    bot: Bot,
    ack: Callable[..., Awaitable[None]],
    body: dict[str, Any],
    user: SlackUser,
    client: AsyncWebClient,
    pacer: ChannelPacer,
    background: Background,
    look_up: LookUp | None = None,
) -> None:
    request = submission_request(body, user)
    picked = picked_users(body["view"])
    known: dict[str, SlackUser] = {}
    if look_up is not None and picked:
        ids = list(dict.fromkeys(i for ids in picked.values() for i in ids))
        known = dict(zip(ids, await asyncio.gather(*(look_up(i) for i in ids)), strict=True))
        request = _with_emails(request, picked, known)
    replies = await bot.handle(request)
    errors = {name: text for reply in replies for name, text in reply.field_errors.items()}
    if errors:
        await ack(**render_field_errors(_named(errors, known), body["view"]))
        return
    metadata = FormMetadata.load(body["view"].get("private_metadata", ""))
    next_form = next((reply.form for reply in replies if reply.form is not None), None)
    if next_form is not None:
        follow_up = FormMetadata(next_form.route, metadata.channel_id, next_form.payload)
        view = render_form(next_form, follow_up, bot.settings.tz)
        await ack(response_action="update", view=view)
        replies = [reply for reply in replies if reply.form is None]
    else:
        await ack()
    if replies:
        responder = Responder(
            client,
            pacer,
            user_id=user.user_id,
            channel_id=metadata.channel_id,
            tz=bot.settings.tz,
        )
        background(responder.send(replies))


def picked_users(view: dict[str, Any]) -> dict[str, list[str]]:
    """Field name → the user ids chosen in that user picker of the modal."""
    chosen: dict[str, list[str]] = {}
    for block_id, elements in ((view.get("state") or {}).get("values") or {}).items():
        for element in elements.values():
            if element.get("type") == "multi_users_select":
                chosen[block_id] = [str(u) for u in element.get("selected_users") or []]
            elif element.get("type") == "users_select" and element.get("selected_user"):
                chosen[block_id] = [str(element["selected_user"])]
    return chosen


def _with_emails(
    request: Request, picked: dict[str, list[str]], known: dict[str, SlackUser]
) -> Request:
    """Beside each picker, the e-mails Slack vouches for (allowed workspaces only), so the
    core can link a picked colleague who never wrote to the bot, as on first contact.

    Only for users of the submitter's own workspace: the core resolves picked ids in that
    workspace, and a Slack Connect guest from another one is identified by their own team.
    """
    assert request.press is not None
    team = request.user.workspace
    extra = {
        name + USER_EMAILS_SUFFIX: {
            i: known[i].email for i in ids if known[i].email and known[i].team_id == team
        }
        for name, ids in picked.items()
    }
    action = ButtonPress(request.press.name, {**request.press.payload, **extra})
    return replace(request, press=action)


def _named(errors: dict[str, str], known: dict[str, SlackUser]) -> dict[str, str]:
    """The core reports picked users by id; a field error is plain text, where Slack shows no
    mention, so each picked id in it becomes "Name (id)"."""
    names = {i: f"{u.name} ({i})" for i, u in known.items() if u.name}
    names = {i: n for i, n in names.items() if any(i in text for text in errors.values())}
    if not names:
        return errors
    pattern = re.compile("|".join(re.escape(i) for i in sorted(names, key=len, reverse=True)))
    return {field: pattern.sub(lambda m: names[m.group(0)], text) for field, text in errors.items()}


def forms_as_buttons(bot: Bot, request: Request, replies: list[Reply]) -> list[Reply]:
    """Without a trigger (mentions, DMs) a form is offered as a button that opens it."""
    t = bot.translator(choose_language(request.user.locale, bot.settings.locale))
    changed: list[Reply] = []
    for reply in replies:
        if reply.form is None:
            changed.append(reply)
            continue
        spoken = t("slack.open_form_named", title=reply.form.title)
        button = Button(
            t("slack.open_form"), RERUN_ACTION, {"text": request.text}, ButtonStyle.PRIMARY, spoken
        )
        changed.append(
            Reply(
                text=reply.text or reply.form.title,
                buttons=[button],
                visibility=reply.visibility,
            )
        )
    return changed
