"""Slack's settings, read from the environment; which of them are set decides how Slack runs."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.common.config import SettingProblem, is_http_url

SLACK_API_URL = "https://slack.com/api/"
# Examples of right values, shaped like Slack's (none of them works anywhere).
EXAMPLES = {
    "SLACK_SIGNING_SECRET": "8f14e45fceea167a5a36dedd4bea2543",
    "SLACK_BOT_TOKEN": "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "SLACK_APP_TOKEN": "xapp-1-A0123456789-1234567890123-abcdef0123456789",
    "SLACK_CLIENT_ID": "1234567890.1234567890123",
    "SLACK_CLIENT_SECRET": "0123456789abcdef0123456789abcdef",
}
# The prefix each token kind has; a token of another kind pasted there never works.
TOKEN_PREFIXES = {"SLACK_BOT_TOKEN": "xoxb-", "SLACK_APP_TOKEN": "xapp-"}


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

    @property
    def configured(self) -> bool:
        """Any credential is set: the admin means Slack to run, so it must be complete."""
        return any(self._present().values())

    def _present(self) -> dict[str, bool]:
        return {
            "SLACK_SIGNING_SECRET": bool(self.signing_secret),
            "SLACK_BOT_TOKEN": bool(self.bot_token),
            "SLACK_APP_TOKEN": bool(self.app_token),
            "SLACK_CLIENT_ID": bool(self.client_id),
            "SLACK_CLIENT_SECRET": bool(self.client_secret),
        }

    def problems(self) -> list[SettingProblem]:
        """Each variable a partial set lacks, named beside the one that is set."""
        has = self._present()
        found: list[SettingProblem] = []

        def missing(variable: str, because: str) -> None:
            found.append(
                SettingProblem(
                    variable, "config.missing_beside", EXAMPLES[variable], {"other": because}
                )
            )

        for variable, prefix in TOKEN_PREFIXES.items():
            value = self.bot_token if variable == "SLACK_BOT_TOKEN" else self.app_token
            if value and not value.startswith(prefix):
                found.append(
                    SettingProblem(
                        variable,
                        "config.token_kind",
                        EXAMPLES[variable],
                        {"prefix": prefix},
                    )
                )
        for one, other in (
            ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"),
            ("SLACK_CLIENT_SECRET", "SLACK_CLIENT_ID"),
        ):
            if has[one] and not has[other]:
                missing(other, one)
        if has["SLACK_APP_TOKEN"] and not has["SLACK_BOT_TOKEN"] and not self.oauth_enabled:
            missing("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
        if (
            has["SLACK_SIGNING_SECRET"]
            and not has["SLACK_BOT_TOKEN"]
            and not (has["SLACK_CLIENT_ID"] or has["SLACK_CLIENT_SECRET"])
        ):
            missing("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
        if not has["SLACK_SIGNING_SECRET"]:
            # Without it no HTTP request can be verified: a bot token alone (and not Socket
            # Mode) or an OAuth installation flow would never hear from Slack.
            if has["SLACK_CLIENT_ID"] or has["SLACK_CLIENT_SECRET"]:
                missing("SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID")
            elif has["SLACK_BOT_TOKEN"] and not has["SLACK_APP_TOKEN"]:
                missing("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN")
        if not is_http_url(self.api_url):
            found.append(
                SettingProblem(
                    "SLACK_API_URL", "config.not_a_url", SLACK_API_URL, {"value": self.api_url}
                )
            )
        return found
