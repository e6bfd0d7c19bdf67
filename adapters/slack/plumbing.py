"""The Slack app's small parts: inline answers, guarded listeners, quiet logs, body checks."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy import update

from adapters.slack.render import render
from adapters.slack.shapes import command_complete, well_shaped
from adapters.slack.translate import (
    PLATFORM,
)
from bot.common.logsafe import log_failure
from bot.common.untrusted import parse_json
from bot.core.engine import Bot
from bot.core.reply import Reply, Visibility
from storage.models import Channel

log = logging.getLogger("samverkan.slack")

BOLT_LOGGER = "samverkan.slack.bolt"
APP_NAME = "samverkansboten"


def _channel_of(body: dict[str, Any]) -> str:
    """Where a button was pressed: the payload's channel, else its container's."""
    channel, container = body.get("channel"), body.get("container")
    found = channel.get("id") if isinstance(channel, dict) else None
    if not found and isinstance(container, dict):
        found = container.get("channel_id")
    return str(found or "")


def inline_answer(replies: list[Reply]) -> dict[str, Any] | None:
    """The acknowledgement body for an answer that is one message, else None (send it later)."""
    if len(replies) != 1 or replies[0].form is not None or replies[0].attachments:
        return None  # a form opens a modal; files are uploaded after the answer
    messages = render(replies[0])
    if len(messages) != 1:
        return None
    ephemeral = replies[0].visibility is Visibility.ONLY_TO_YOU
    return {
        **messages[0].as_kwargs(),
        "response_type": "ephemeral" if ephemeral else "in_channel",
    }


def event_id_of(body: dict[str, Any]) -> str | None:
    """Slack's id for what it sent: an event's `event_id`, else the interaction's `trigger_id`."""
    found = body.get("event_id") or body.get("trigger_id")
    return str(found) if found else None


async def _ack(ack: Callable[..., Awaitable[None]]) -> None:
    await ack()


# What reading a body of an unforeseen shape raises (a 400, not a 500).
_UNREADABLE = (KeyError, IndexError, TypeError, AttributeError, ValueError)


def _guarded(listener: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """A lazy listener whose failure is logged by type and place: Bolt's runner would log the
    exception's message, which may quote the request."""

    @functools.wraps(listener)
    async def run(**kwargs: Any) -> None:
        try:
            await listener(**kwargs)
        except Exception as error:
            log_failure(log, "Slack %s failed", error, listener.__name__)

    return run


async def _on_error(error: Exception, request: AsyncBoltRequest) -> BoltResponse | None:
    """Bolt's error handler: a request nobody handles gets an empty 200; a failure is logged
    by type and place only (Bolt's own handler logs its message, which may quote the body)."""
    if isinstance(error, BoltUnhandledRequestError):
        log.debug("no listener for a Slack request of type %s", _kind(request.body))
        return BoltResponse(status=200, body="")
    log_failure(log, "Slack listener failed on a %s request", error, _kind(request.body))
    if isinstance(error, _UNREADABLE):  # a body of a shape the listener could not read
        return BoltResponse(status=400, body="")
    return None


def _kind(body: dict[str, Any]) -> str:
    event = body.get("event")
    event_type = event.get("type") if isinstance(event, dict) else None
    return str(event_type or body.get("type") or ("command" if "command" in body else "?"))[:40]


def _log_failure(task: asyncio.Task[None]) -> None:
    error = None if task.cancelled() else task.exception()
    if error is not None:
        log_failure(log, "Slack background work failed", error)


def _quiet_bolt_loggers() -> None:
    """Bolt logs whole request bodies at INFO/DEBUG and copies levels when an app is built;
    slack_sdk logs every Web API call and answer (messages, users' e-mails) at DEBUG."""
    names = [BOLT_LOGGER, APP_NAME, "slack_sdk"]
    names += [n for n in logging.root.manager.loggerDict if n.startswith(("slack_bolt", APP_NAME))]
    for name in names:
        logging.getLogger(name).setLevel(logging.WARNING)


def _well_formed(text: str, content_type: str) -> str | None:
    """The body if it is one of Slack's formats (JSON event or form) with the types Bolt and
    the listeners read, nested no deeper than any real payload; else None."""
    try:
        if content_type.startswith("application/json"):
            body = parse_json(text)
            return text if isinstance(body, dict) and well_shaped(body) else None
        fields = parse_qs(text, strict_parsing=True)
        if "payload" in fields:
            payload = parse_json(fields["payload"][0])
            return text if isinstance(payload, dict) and well_shaped(payload) else None
        return text if command_complete(fields) else None
    except ValueError:
        return None


async def _deactivate_channels(bot: Bot, team_id: str, channel_id: str | None) -> None:
    """The bot can no longer speak there: mark the stored channel(s) inactive."""
    query = update(Channel).where(Channel.platform == PLATFORM, Channel.workspace == team_id)
    if channel_id is not None:
        query = query.where(Channel.channel_id == channel_id)
    async with bot.database.transaction() as session:
        await session.execute(query.values(active=False))


def _headers(request: web.Request) -> dict[str, str | Sequence[str]]:
    return {k.lower(): request.headers.getall(k) for k in request.headers}


class BackgroundWork:
    """Work that outlives the acknowledgement (lazy listeners, answers through response_url),
    kept referenced so it is not collected, and awaited by shutdown and by tests."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[None]] = set()

    def track(self) -> None:
        """Remember the running lazy listener, so shutdown (and tests) can wait for it."""
        task = asyncio.current_task()
        if task is not None:
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    def start(self, work: Coroutine[Any, Any, None]) -> None:
        """Run after the acknowledgement, keeping a reference so the task is not collected."""
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        task.add_done_callback(_log_failure)

    async def settle(self) -> None:
        """Wait until every piece of work started after an acknowledgement has finished."""
        for _ in range(3):
            await asyncio.sleep(0)
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
            await asyncio.sleep(0)
