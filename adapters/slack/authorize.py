"""Bolt's authorization with several workspaces, without a call to Slack on every request.

Bolt's default authorization (OAuth) asks `auth.test` for the bot's ids on every request: a
round trip to Slack before the listener may run, after two installation look-ups. Its result
depends only on the installation, so it is kept, per asker (workspace and user) in front and per
token behind (as Bolt's own `cache_enabled` does), in bounded caches that are emptied whenever
the installation store forgets anything: its `generation` moves on an uninstall, a revocation, a
reinstall, or another replica's change seen through the store's fingerprint, which a kept answer
asks the store to check (at most every CHECK_SECONDS) before it is used. No authorization is
kept for a workspace the store does not know. Token rotation, which would change an
installation without a new row, is off for this app (manifest).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable

from cachetools import LRUCache
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.installations import MAX_ENTRIES, CachedInstallationStore

Asker = tuple[str | None, str | None, str | None, bool]
MAX_ASKERS = 10_000  # users remembered at once, as adapters/slack/identity.py does


class _FollowingStore(LRUCache[Hashable, AuthorizeResult]):
    """A cache emptied when the store has forgotten anything since it was last asked.

    Bolt asks `token in cache` only after it has read the token from the store, so a change the
    store noticed during that read empties this cache before the answer is looked up.
    """

    def __init__(self, store: CachedInstallationStore, maxsize: int = MAX_ENTRIES) -> None:
        super().__init__(maxsize=maxsize)
        self._store = store
        self._generation = store.generation

    def __contains__(self, key: object) -> bool:
        if self._generation != self._store.generation:
            self.clear()
            self._generation = self._store.generation
        return super().__contains__(key)


class CachedAuthorize(AsyncInstallationStoreAuthorize):
    """Bolt's installation-store authorization, its answers kept as long as the store's are."""

    def __init__(
        self,
        store: CachedInstallationStore,
        *,
        client_id: str | None,
        client_secret: str | None,
        client: AsyncWebClient,
        logger: logging.Logger,
    ) -> None:
        super().__init__(
            logger=logger,
            installation_store=store,
            client_id=client_id,
            client_secret=client_secret,
            cache_enabled=True,
            client=client,
        )
        self.store = store
        # Bolt reads it with `in` then `[]`: an LRU has no expiry in between.
        self.authorize_result_cache = _FollowingStore(store)  # type: ignore[assignment]
        self._answers = _FollowingStore(store, MAX_ASKERS)

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **actor: str | None,
    ) -> AuthorizeResult | None:
        await self.store.keep_fresh()
        asker: Asker = (enterprise_id, team_id, user_id, bool(context.is_enterprise_install))
        if asker in self._answers:
            return self._answers[asker]
        generation = self.store.generation
        found = await super().__call__(
            context=context, enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, **actor
        )
        if found is not None and generation == self.store.generation:
            self._answers[asker] = found
        return found
