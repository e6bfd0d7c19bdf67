"""Logs an operator can search: JSON or text, each request's lines tied together by ids.

Every module logs with the standard `logging` module; structlog formats the records (one JSON
object per line with SAMVERKAN_LOG_FORMAT=json, `key=value` text otherwise) and adds what the
request's context holds: a request id (taken from a sane `X-Request-Id`, else made here) and the
platform's own id of the event or activity, which the adapters bind as soon as they have read
it. Context variables carry both into every line the request causes, including the work it
leaves running (tasks copy the context they start in). One access line per request says the
method, path, status and duration; never a body, a query string or a header.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from aiohttp import web

ACCESS_LOGGER = "samverkan.access"
REQUEST_ID_HEADER = "X-Request-Id"
# An id from a proxy in front of us is kept when it looks like one (and cannot forge lines).
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

access_log = logging.getLogger(ACCESS_LOGGER)


def configure(log_format: str = "text", level: str = "WARNING", *, verbose: bool = False) -> None:
    """Send every record through structlog's formatter; the bot's loggers at `level`.

    Libraries keep WARNING (DEBUG with `-v`): their INFO lines are mostly request bodies.
    """
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False, pad_event_to=0)
    )
    final: list[Any] = [structlog.stdlib.ProcessorFormatter.remove_processors_meta]
    if log_format == "json":
        final.append(structlog.processors.format_exc_info)  # the traceback as one string
        # `message`, as log shippers expect; structlog's `event` beside our `event_id` misleads.
        final.append(structlog.processors.EventRenamer("message"))
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared, processors=[*final, renderer]
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logging.getLogger("samverkan").setLevel(logging.DEBUG if verbose else level.upper())


@web.middleware
async def request_context(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """A request id for every line of the request, and its one access line at the end."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    request_id = given if _SANE_ID.match(given) else secrets.token_hex(8)
    structlog.contextvars.clear_contextvars()  # a fresh context per request (its own task)
    structlog.contextvars.bind_contextvars(request_id=request_id)
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        response.headers[REQUEST_ID_HEADER] = request_id
        return response
    except web.HTTPException as http_error:
        status = http_error.status
        http_error.headers[REQUEST_ID_HEADER] = request_id
        raise
    finally:
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            status,
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
