"""Installations looked up once a minute, not on every request (Slack with several workspaces).

With OAuth, Bolt asks the installation store for the workspace's installation on every request
(and again for the user's own, which this app never has). Both answers, a missing one included,
are kept for a short time in a bounded cache. An uninstall or token revocation reaches one
replica, which forgets the workspace at once. Every other replica notices within
`CHECK_SECONDS`: on the first request after that long it reads a fingerprint of the two tables
(row count, highest id and latest `installed_at` of each, one small query) and forgets
everything when it changed. An uninstall deletes rows and an install or reinstall adds one, so
either changes the fingerprint. Token rotation would update a row in place without changing
it, but this app has rotation off (adapters/slack/manifest.py); `TTL_SECONDS` bounds any
copy regardless. Every forgetting bumps `generation`, which a look-up that was already under
way checks before it stores its answer, so an answer read before a change is never kept after
it; the authorization cache (adapters/slack/authorize.py) follows `generation` too.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from cachetools import TTLCache
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

TTL_SECONDS = 60.0
CHECK_SECONDS = 5.0  # how soon a replica notices another's install, uninstall or revocation
MAX_ENTRIES = 1_000

_Key = tuple[str, str | None, str | None, str | None, bool | None]
Fingerprint = tuple[int, int | None, datetime | None, int, int | None, datetime | None]


_MISSING: Any = object()  # not cached (None is a cached answer: no installation)


class CachedInstallationStore(AsyncSQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy store with its two look-ups cached; writes forget the workspace."""

    def __init__(
        self,
        *args: Any,
        ttl_seconds: float = TTL_SECONDS,
        check_seconds: float = CHECK_SECONDS,
        timer: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._found: TTLCache[_Key, Installation | Bot | None] = TTLCache(
            maxsize=MAX_ENTRIES, ttl=ttl_seconds, timer=timer
        )
        self._timer = timer
        self.check_seconds = check_seconds
        self._checked_at = -float("inf")  # the first look-up reads the fingerprint first
        self._fingerprint: Fingerprint | None = None
        self.generation = 0  # bumped whenever cached answers are forgotten

    def _fingerprint_query(self) -> sa.Select[Any]:
        columns = []
        for table in (self.installations, self.bots):
            mine = table.c.client_id == self.client_id
            columns += [
                sa.select(sa.func.count()).select_from(table).where(mine).scalar_subquery(),
                sa.select(sa.func.max(table.c.id)).where(mine).scalar_subquery(),
                sa.select(sa.func.max(table.c.installed_at)).where(mine).scalar_subquery(),
            ]
        return sa.select(*columns)

    async def keep_fresh(self) -> None:
        """Forget everything if another replica changed the installations since the last check."""
        if self._timer() - self._checked_at < self.check_seconds:
            return
        self._checked_at = self._timer()  # first, so concurrent requests do not check as well
        async with self.engine.connect() as connection:
            row = (await connection.execute(self._fingerprint_query())).one()
        fingerprint: Fingerprint = tuple(row)
        if fingerprint != self._fingerprint:
            self._fingerprint = fingerprint
            self._forget_all()

    def _forget_all(self) -> None:
        self._found.clear()
        self.generation += 1

    def _keep(self, key: _Key, generation: int, found: Installation | Bot | None) -> None:
        """Keep an answer only if nothing was forgotten while it was being read."""
        if generation == self.generation:
            self._found[key] = found

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        await self.keep_fresh()
        key: _Key = ("installation", enterprise_id, team_id, user_id, is_enterprise_install)
        found = self._found.get(key, _MISSING)
        if found is _MISSING:
            generation = self.generation
            found = await super().async_find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            )
            self._keep(key, generation, found)
        assert found is None or isinstance(found, Installation)
        return copy.copy(found)  # Bolt clears a copy's user token for other users

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        await self.keep_fresh()
        key: _Key = ("bot", enterprise_id, team_id, None, is_enterprise_install)
        found = self._found.get(key, _MISSING)
        if found is _MISSING:
            generation = self.generation
            found = await super().async_find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )
            self._keep(key, generation, found)
        assert found is None or isinstance(found, Bot)
        return copy.copy(found)

    def forget(self, enterprise_id: str | None, team_id: str | None) -> None:
        """Drop every cached answer about this workspace (or Grid org)."""
        self.generation += 1
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
