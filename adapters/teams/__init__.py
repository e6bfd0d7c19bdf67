"""Microsoft Teams: every botbuilder import of the project lives in this package.

`TeamsAdapter` wires the transport (POST /api/messages), the activity handler and the
messenger together; moving to the Microsoft 365 Agents SDK later touches this folder alone.
"""

from __future__ import annotations

import logging

from aiohttp import web
from botframework.connector.auth import ServiceClientCredentialsFactory

from adapters.teams.handler import TeamsHandler
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.readiness import TeamsReadiness
from adapters.teams.settings import TeamsSettings
from adapters.teams.transport import TeamsTransport
from adapters.web import READINESS_KEY, SHUTDOWN_KEY
from bot.core.engine import Bot

log = logging.getLogger("samverkan.teams")

ROUTE = "/api/messages"


class TeamsAdapter:
    """The Teams platform on the shared server; registers its messenger with the core."""

    name = "teams"

    def __init__(
        self,
        bot: Bot,
        settings: TeamsSettings,
        credentials_factory: ServiceClientCredentialsFactory | None = None,
    ) -> None:
        settings.check()
        self.settings = settings
        self.transport = TeamsTransport(settings, credentials_factory)
        self.messenger = TeamsMessenger(self.transport.cloud_adapter, settings, bot.database)
        self.handler = TeamsHandler(bot, self.messenger, settings)
        self.readiness = TeamsReadiness(settings, self.transport.connectors)
        bot.messengers[self.name] = self.messenger
        if settings.local_mode:
            log.warning(
                "TEAMS LOCAL MODE: MICROSOFT_APP_ID is not set, so Bot Framework tokens are "
                "NOT checked on %s. Use this only with the Bot Framework Emulator or in tests: "
                "only loopback clients and serviceUrls are answered, and /readyz says not ready.",
                ROUTE,
            )

    async def handle(self, request: web.Request) -> web.Response:
        return await self.transport.process(request, self.handler.on_turn)

    def mount(self, app: web.Application) -> None:
        app.router.add_post(ROUTE, self.handle)
        app[READINESS_KEY].append(self.readiness.readiness)
        app[SHUTDOWN_KEY].drains.append(self.handler.settle)

        async def close_connections(_app: web.Application) -> None:
            await self.transport.connectors.close()

        app.on_cleanup.append(close_connections)


def configured(bot: Bot, settings: TeamsSettings | None = None) -> TeamsAdapter | None:
    """The Teams adapter when Teams is configured (or local mode is asked for), else None."""
    settings = settings or TeamsSettings()
    if settings.local_mode and not settings.local_mode_requested:
        return None
    return TeamsAdapter(bot, settings)
