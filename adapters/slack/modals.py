"""Form submissions (`view_submission`): the core validates inside Slack's acknowledgement.

Invalid input comes back as `response_action: errors`, shown next to each field, and nothing
is saved (the core rolls back). Valid input closes the modal (or shows the next form) and the
answer is posted after the acknowledgement.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.messenger import ChannelPacer, Responder
from adapters.slack.render import render_field_errors, render_form
from adapters.slack.translate import RERUN_ACTION, FormMetadata, SlackUser, submission_request
from bot.core import Bot
from bot.i18n import language_from_locale
from bot.reply import Button, ButtonStyle, Reply
from bot.request import Request

Background = Callable[[Coroutine[Any, Any, None]], None]
# A Slack user id → the user's name, for error messages about people chosen in a picker.
Describe = Callable[[str], Awaitable[str | None]]


async def submit(
    bot: Bot,
    ack: Callable[..., Awaitable[None]],
    body: dict[str, Any],
    user: SlackUser,
    client: AsyncWebClient,
    pacer: ChannelPacer,
    background: Background,
    describe: Describe | None = None,
) -> None:
    request = submission_request(body, user)
    replies = await bot.handle(request)
    errors = {name: text for reply in replies for name, text in reply.field_errors.items()}
    if errors:
        if describe is not None:
            errors = await _named(errors, picked_users(body["view"]), describe)
        await ack(**render_field_errors(errors, body["view"]))
        return
    metadata = FormMetadata.load(body["view"].get("private_metadata", ""))
    next_form = next((reply.form for reply in replies if reply.form is not None), None)
    if next_form is not None:
        follow_up = FormMetadata(next_form.action, metadata.channel_id, next_form.payload)
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


def picked_users(view: dict[str, Any]) -> list[str]:
    """Every user id chosen in the modal's user pickers."""
    chosen: list[str] = []
    for elements in view.get("state", {}).get("values", {}).values():
        for element in elements.values():
            if element.get("type") == "multi_users_select":
                chosen.extend(str(u) for u in element.get("selected_users") or [])
            elif element.get("type") == "users_select" and element.get("selected_user"):
                chosen.append(str(element["selected_user"]))
    return chosen


async def _named(errors: dict[str, str], user_ids: list[str], describe: Describe) -> dict[str, str]:
    """The core reports picked users by id; a field error is plain text, where Slack shows no
    mention, so each picked id in it becomes "Name (id)"."""
    names: dict[str, str] = {}
    for user_id in dict.fromkeys(user_ids):
        if any(user_id in text for text in errors.values()):
            name = await describe(user_id)
            if name:
                names[user_id] = f"{name} ({user_id})"
    if not names:
        return errors
    pattern = re.compile("|".join(re.escape(i) for i in sorted(names, key=len, reverse=True)))
    return {field: pattern.sub(lambda m: names[m.group(0)], text) for field, text in errors.items()}


def forms_as_buttons(bot: Bot, request: Request, replies: list[Reply]) -> list[Reply]:
    """Without a trigger (mentions, DMs) a form is offered as a button that opens it."""
    language = language_from_locale(request.user.locale) or bot.settings.locale
    label = bot.translator("en" if language == "en" else "sv")("slack.open_form")
    changed: list[Reply] = []
    for reply in replies:
        if reply.form is None:
            changed.append(reply)
            continue
        button = Button(label, RERUN_ACTION, {"text": request.text}, ButtonStyle.PRIMARY)
        changed.append(
            Reply(
                text=reply.text or reply.form.title,
                buttons=[button],
                visibility=reply.visibility,
            )
        )
    return changed
