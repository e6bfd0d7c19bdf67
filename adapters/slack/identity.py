"""Who a Slack user is: `users.info` (e-mail, locale, home team), cached, allow-list aware.

The e-mail is handed to the core for linking only when the user's own workspace (or Grid org)
is allowed: a stranger's workspace could otherwise put a signer's address on its own user and
be linked as that signer. With no allow-list, only users of the answering workspace qualify.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from cachetools import TTLCache
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.translate import SlackUser

log = logging.getLogger("samverkan.slack.identity")

MAX_CACHED = 10_000  # users remembered at once; the least recent are forgotten first


class UserDirectory:
    """A small time-limited cache of `users.info` answers, one entry per user id."""

    def __init__(
        self,
        allowed_teams: frozenset[str],
        ttl_seconds: float = 3600.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.allowed_teams = allowed_teams
        self.ttl_seconds = ttl_seconds
        self._monotonic = monotonic
        self._cache: TTLCache[str, dict[str, Any]] = TTLCache(
            maxsize=MAX_CACHED, ttl=ttl_seconds, timer=monotonic
        )

    def may_link(self, team_id: str, enterprise_id: str | None, answering_team: str) -> bool:
        """Whether this user's e-mail may link them to a Person."""
        if self.allowed_teams:
            return team_id in self.allowed_teams or (
                enterprise_id is not None and enterprise_id in self.allowed_teams
            )
        return bool(team_id) and team_id == answering_team

    async def _info(self, client: AsyncWebClient, user_id: str) -> dict[str, Any] | None:
        cached = self._cache.get(user_id)
        if cached is not None:
            return cached
        try:
            response = await client.users_info(user=user_id, include_locale=True)
        except SlackApiError as error:
            log.warning("users.info failed: %s", error.response.get("error"))
            return None
        info: dict[str, Any] = response.get("user") or {}
        self._cache[user_id] = info
        return info

    async def lookup(
        self, client: AsyncWebClient, user_id: str, team_hint: str | None, answering_team: str
    ) -> SlackUser:
        """The user as the core should see them; falls back to ids alone if Slack says no."""
        info = await self._info(client, user_id)
        if info is None:
            return SlackUser(user_id=user_id, team_id=team_hint or answering_team)
        team_id = info.get("team_id") or team_hint or answering_team
        enterprise_id = (info.get("enterprise_user") or {}).get("enterprise_id")
        profile = info.get("profile") or {}
        email = profile.get("email")
        linkable = not info.get("is_bot") and self.may_link(team_id, enterprise_id, answering_team)
        return SlackUser(
            user_id=user_id,
            team_id=team_id,
            email=email if linkable and email else None,
            locale=info.get("locale"),
            name=profile.get("real_name") or info.get("real_name") or info.get("name"),
        )
