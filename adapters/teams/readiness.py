"""Can the bot work with Teams? A token can be fetched and Microsoft's signing keys loaded.

Both are what every turn needs: the token to answer, the keys to check the request's own token.
A success is trusted for five minutes (tokens are cached anyway; the keys change rarely), a
failure is asked again at the next probe. Local mode is never ready: it checks no token.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from botframework.connector.auth import AuthenticationConstants

from adapters.teams.connector import BOT_FRAMEWORK_AUDIENCE, PooledConnector
from adapters.teams.settings import TeamsSettings

log = logging.getLogger("samverkan.teams.readiness")

READINESS_NAME = "teams"
FRESH_SECONDS = 300.0


class TeamsReadiness:
    def __init__(
        self,
        settings: TeamsSettings,
        connectors: PooledConnector,
        fresh_for: float = FRESH_SECONDS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.connectors = connectors
        self.fresh_for = fresh_for
        self.now = now
        self._succeeded_at: float | None = None

    async def readiness(self) -> tuple[str, bool]:
        if self.settings.local_mode:
            return READINESS_NAME, False
        if self._succeeded_at is not None and self.now() - self._succeeded_at < self.fresh_for:
            return READINESS_NAME, True
        try:
            await self.connectors.tokens.token(BOT_FRAMEWORK_AUDIENCE)
            await self._signing_keys()
        except Exception as error:
            log.warning("readiness: Teams is not ready: %s: %s", type(error).__name__, error)
            return READINESS_NAME, False
        self._succeeded_at = self.now()
        return READINESS_NAME, True

    async def _signing_keys(self) -> None:
        """The OpenID metadata botbuilder reads, and at least one key from its JWKS."""
        url = (
            self.settings.openid_metadata_url
            or AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
        )
        session = self.connectors.session()
        async with session.get(url) as response:
            response.raise_for_status()
            metadata = await response.json(content_type=None)
        async with session.get(str(metadata["jwks_uri"])) as response:
            response.raise_for_status()
            keys = (await response.json(content_type=None)).get("keys")
        if not keys:
            raise LookupError("the signing keys document holds no key")
