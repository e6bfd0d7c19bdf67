"""Bolt's authorization with several workspaces, without a call to Slack on every request.

Bolt's default authorization (OAuth) asks `auth.test` for the bot's ids on every request: a
round trip to Slack before the listener may run. Its answer depends only on the token, so it
is kept per token, as Bolt's own `cache_enabled` does, but in a bounded cache that is emptied
whenever the installation store forgets anything (its `generation` moves: an uninstall, a
revocation, a reinstall, or another replica's change seen through the store's fingerprint).
The token itself always comes from the store first, so a workspace the store no longer knows
gets no authorization at all, whatever this cache holds.
"""

from __future__ import annotations

import logging

from cachetools import LRUCache
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.installations import MAX_ENTRIES, CachedInstallationStore


class _FollowingStore(LRUCache[str, AuthorizeResult]):
    """Bolt's per-token cache, emptied when the store has forgotten anything since last asked.

    Bolt asks `token in cache` only after it has read the token from the store, so a change the
    store noticed during that read empties this cache before the answer is looked up.
    """

    def __init__(self, store: CachedInstallationStore) -> None:
        super().__init__(maxsize=MAX_ENTRIES)
        self._store = store
        self._generation = store.generation

    def __contains__(self, token: object) -> bool:
        if self._generation != self._store.generation:
            self.clear()
            self._generation = self._store.generation
        return super().__contains__(token)


class CachedAuthorize(AsyncInstallationStoreAuthorize):
    """`AsyncInstallationStoreAuthorize` whose per-token cache follows the installation store."""

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
        # Bolt reads it with `in` then `[]`: an LRU has no expiry in between.
        self.authorize_result_cache = _FollowingStore(store)  # type: ignore[assignment]
