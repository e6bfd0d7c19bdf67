"""Slack's settings, read from the environment; which of them are set decides how Slack runs."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_API_URL = "https://slack.com/api/"


class SlackSettings(BaseSettings):
    """HTTP needs the signing secret; Socket Mode the app token; OAuth the client id and secret."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    signing_secret: str | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    bot_token: str | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    app_token: str | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    api_url: str = Field(default=SLACK_API_URL, validation_alias="SLACK_API_URL")
    client_id: str | None = Field(default=None, validation_alias="SLACK_CLIENT_ID")
    client_secret: str | None = Field(default=None, validation_alias="SLACK_CLIENT_SECRET")
    # Comma-separated team (T…) and Enterprise Grid org (E…) ids that may install or be answered.
    allowed_teams_raw: str = Field(default="", validation_alias="SLACK_ALLOWED_TEAMS")

    @property
    def allowed_teams(self) -> frozenset[str]:
        return frozenset(t.strip() for t in self.allowed_teams_raw.split(",") if t.strip())

    @property
    def base_url(self) -> str:
        """The Web API base URL with the trailing slash slack_sdk expects."""
        return self.api_url if self.api_url.endswith("/") else self.api_url + "/"

    @property
    def oauth_enabled(self) -> bool:
        return bool(self.client_id and self.client_secret)

    @property
    def http_enabled(self) -> bool:
        """The HTTP route is mounted only when requests can be verified."""
        return bool(self.signing_secret) and (bool(self.bot_token) or self.oauth_enabled)

    @property
    def socket_mode_enabled(self) -> bool:
        return bool(self.app_token) and bool(self.bot_token)

    @property
    def enabled(self) -> bool:
        return self.http_enabled or self.socket_mode_enabled
