"""Installing the app in several workspaces (Slack's OAuth flow), kept in our own database.

Installations and OAuth state live in the project's database through slack_sdk's async
SQLAlchemy stores (tables created by the Alembic migration, never at run time), so any
replica can finish a flow another replica started. Only allow-listed workspaces may install.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.error import BoltError
from slack_bolt.oauth.async_callback_options import AsyncFailureArgs
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

from adapters.slack.installations import CachedInstallationStore
from adapters.slack.manifest import BOT_SCOPES
from adapters.slack.messenger import make_client
from adapters.slack.pages import OAuthPages, install_page
from adapters.slack.settings import SlackSettings
from bot.common.i18n import Translator
from storage.db import Database

log = logging.getLogger("samverkan.slack.oauth")

STATE_SECONDS = 600


class WorkspaceNotAllowed(BoltError):
    """The workspace (or Grid org) that tried to install is not on SLACK_ALLOWED_TEAMS."""


def is_allowed(allowed: frozenset[str], team_id: str | None, enterprise_id: str | None) -> bool:
    return (team_id is not None and team_id in allowed) or (
        enterprise_id is not None and enterprise_id in allowed
    )


class AllowListOAuthFlow(AsyncOAuthFlow):
    """Bolt's flow, refusing to store an installation from a workspace not on the allow-list."""

    allowed_teams: frozenset[str] = frozenset()
    words: Translator | None = None  # the pages' language; Bolt's English pages without it

    async def build_install_page_html(self, url: str, request: AsyncBoltRequest) -> str:
        if self.words is None:
            return await super().build_install_page_html(url, request)
        return install_page(self.words, url)

    async def store_installation(
        self, request: AsyncBoltRequest, installation: Installation
    ) -> None:
        if not is_allowed(self.allowed_teams, installation.team_id, installation.enterprise_id):
            log.warning(
                "refused an installation from team %s (not on SLACK_ALLOWED_TEAMS)",
                installation.team_id or installation.enterprise_id,
            )
            raise WorkspaceNotAllowed("workspace not allowed")
        await super().store_installation(request, installation)


def installation_store(settings: SlackSettings, database: Database) -> CachedInstallationStore:
    assert settings.client_id is not None
    return CachedInstallationStore(
        client_id=settings.client_id,
        engine=database.engine,
        logger=logging.getLogger("samverkan.slack.installations"),
    )


def build_oauth_flow(
    settings: SlackSettings,
    database: Database,
    store: AsyncSQLAlchemyInstallationStore,
    words: Translator | None = None,
) -> AllowListOAuthFlow:
    """Bolt's flow on our stores; with `words`, its web pages are ours (adapters/slack/pages.py)."""
    # Imported only when OAuth is on (this is its only caller).
    from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

    if not settings.allowed_teams:
        log.warning("SLACK_ALLOWED_TEAMS is empty: no workspace can install the app")
    oauth_settings = AsyncOAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=store,
        state_store=AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_SECONDS,
            engine=database.engine,
            logger=logging.getLogger("samverkan.slack.oauth_state"),
        ),
        logger=logging.getLogger("samverkan.slack.oauth"),
    )
    if words is not None:
        oauth_settings.redirect_uri_page_renderer = OAuthPages(
            words, oauth_settings.redirect_uri_page_renderer
        )
    flow = AllowListOAuthFlow(
        client=make_client(settings.base_url, None),
        logger=logging.getLogger("samverkan.slack.oauth"),
        settings=oauth_settings,
    )
    flow.allowed_teams = settings.allowed_teams
    flow.words = words
    flow.failure_handler = _forbidden_when_not_allowed(flow.failure_handler)
    return flow


FailureHandler = Callable[[AsyncFailureArgs], Awaitable[BoltResponse]]


def _forbidden_when_not_allowed(default: FailureHandler) -> FailureHandler:
    """Bolt's failure page, but 403 when the workspace is not on the allow-list."""

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        response = await default(args)
        if isinstance(args.error, WorkspaceNotAllowed):
            response.status = 403
        return response

    return failure
