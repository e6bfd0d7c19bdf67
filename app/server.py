"""The one aiohttp server: health, readiness and metrics, plus each platform's routes.

Platform adapters implement `WebAdapter` (`adapters/web.py`) and mount their own routes; the
server knows no platform.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web

from adapters.shutdown import Shutdown
from adapters.web import BOT_KEY, READINESS_KEY, SHUTDOWN_KEY, WebAdapter
from app.logs import request_context
from bot.core.engine import Bot
from bot.scheduler.stats import record_job_counts

log = logging.getLogger("samverkan.server")


@web.middleware
async def _measure(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Count requests by route and outcome and time them; never count by raw path."""
    metrics = request.app[BOT_KEY].metrics
    route = request.match_info.route.resource
    label = route.canonical if route is not None else "unmatched"
    started = time.perf_counter()
    outcome = "error"
    try:
        response = await handler(request)
        outcome = str(response.status // 100) + "xx"
        return response
    except web.HTTPException as http_error:
        outcome = str(http_error.status // 100) + "xx"
        raise
    finally:
        metrics.requests.labels(label, outcome).inc()
        metrics.latency.labels(label).observe(time.perf_counter() - started)


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Ready when the database answers and every adapter's own check passes."""
    checks: dict[str, bool] = {}
    try:
        await request.app[BOT_KEY].database.ping()
        checks["database"] = True
    except Exception:
        log.warning("readiness: database unreachable", exc_info=True)
        checks["database"] = False
    for check in request.app[READINESS_KEY]:
        name, ok = await check()
        checks[name] = ok
    ready = all(checks.values())
    return web.json_response(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )


async def metrics(request: web.Request) -> web.Response:
    """Prometheus' text format; behind SAMVERKAN_METRICS_TOKEN (a bearer token) when set."""
    bot = request.app[BOT_KEY]
    token = bot.settings.metrics_token
    if token is not None and not _bearer_matches(request, token.get_secret_value()):
        return web.Response(status=401, headers={"WWW-Authenticate": "Bearer"})
    try:
        await record_job_counts(bot.database, bot.metrics, bot.clock.now())
    except Exception:  # the database is down: say so in /readyz, still serve the rest
        log.warning("metrics: the jobs could not be counted", exc_info=True)
    body = bot.metrics.render()
    return web.Response(body=body, content_type="text/plain", charset="utf-8")


def _bearer_matches(request: web.Request, token: str) -> bool:
    """`Authorization: Bearer <token>`, compared in constant time."""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def build_metrics_app(bot: Bot) -> web.Application:
    """`/metrics` alone, for SAMVERKAN_METRICS_PORT: a port the webhooks' proxy never exposes."""
    app = web.Application(middlewares=[request_context])
    app[BOT_KEY] = bot
    app.router.add_get("/metrics", metrics)
    return app


def build_app(
    bot: Bot, adapters: Sequence[WebAdapter] = (), shutdown: Shutdown | None = None
) -> web.Application:
    app = web.Application(middlewares=[request_context, _measure], client_max_size=1024 * 1024)
    app[BOT_KEY] = bot
    app[READINESS_KEY] = []
    app[SHUTDOWN_KEY] = shutdown or Shutdown()
    # First of the clean-ups: work started by requests finishes while the clients are open.
    app.on_cleanup.append(app[SHUTDOWN_KEY].drain)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    if bot.settings.metrics_port is None:  # else served by `build_metrics_app` on that port
        app.router.add_get("/metrics", metrics)
    for adapter in adapters:
        adapter.mount(app)
        log.info("mounted the %s adapter", adapter.name)
    return app
