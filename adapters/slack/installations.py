"""Installations looked up once a minute, not on every request (Slack with several workspaces).

With OAuth, Bolt asks the installation store for the workspace's installation on every request
(and again for the user's own, which this app never has). Both answers, a missing one included,
are kept for a short time in a bounded cache. An uninstall or token revocation reaches one
replica, which forgets the workspace at once; every other replica's copy lapses within
`TTL_SECONDS`, and in between its calls with the revoked token are refused by Slack, which
is harmless for an app that is gone. A token rotation saves a new installation and is
forgotten the same way.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

from cachetools import TTLCache
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

TTL_SECONDS = 60.0
MAX_ENTRIES = 1_000

_Key = tuple[str, str | None, str | None, str | None, bool | None]


class CachedInstallationStore(AsyncSQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy store with its two look-ups cached; writes forget the workspace."""

    def __init__(
        self,
        *args: Any,
        ttl_seconds: float = TTL_SECONDS,
        timer: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._found: TTLCache[_Key, Installation | Bot | None] = TTLCache(
            maxsize=MAX_ENTRIES, ttl=ttl_seconds, timer=timer
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        key: _Key = ("installation", enterprise_id, team_id, user_id, is_enterprise_install)
        if key not in self._found:
            self._found[key] = await super().async_find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            )
        found = self._found[key]
        assert found is None or isinstance(found, Installation)
        return copy.copy(found)  # Bolt clears a copy's user token for other users

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        key: _Key = ("bot", enterprise_id, team_id, None, is_enterprise_install)
        if key not in self._found:
            self._found[key] = await super().async_find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )
        found = self._found[key]
        assert found is None or isinstance(found, Bot)
        return copy.copy(found)

    def forget(self, enterprise_id: str | None, team_id: str | None) -> None:
        """Drop every cached answer about this workspace (or Grid org)."""
        for key in list(self._found.keys()):
            if key[1] == enterprise_id and (team_id is None or key[2] in (team_id, None)):
                self._found.pop(key, None)

    async def async_save(self, installation: Installation) -> None:
        await super().async_save(installation)
        self.forget(installation.enterprise_id, installation.team_id)

    async def async_save_bot(self, bot: Bot) -> None:
        await super().async_save_bot(bot)
        self.forget(bot.enterprise_id, bot.team_id)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await super().async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        self.forget(enterprise_id, team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await super().async_delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )
        self.forget(enterprise_id, team_id)
