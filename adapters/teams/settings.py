"""Teams settings from the environment: our names and the spellings of Azure's own docs.

Azure's portal and samples say `MicrosoftAppId`; twelve-factor deployments say
`MICROSOFT_APP_ID`. Both are accepted so an admin can paste either.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.common.config import SettingProblem, is_http_url

# Where Teams' Bot Framework service sends from when nothing better is known (proactive 1:1).
DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams/"
LOGIN_URL = "https://login.microsoftonline.com"
# Examples of right values, shaped like Azure's (none of them works anywhere).
EXAMPLES = {
    "MICROSOFT_APP_ID": "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
    "MICROSOFT_APP_PASSWORD": "Abc8Q~0123456789abcdefghijklmnopqrstuvwx",
    "MICROSOFT_APP_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47",
    "TEAMS_ALLOWED_TENANTS": "72f988bf-86f1-41af-91ab-2d7cd011db47",
}


class TeamsSettingsError(ValueError):
    """The settings cannot work together (say, SingleTenant without a tenant id)."""


class TeamsSettings(BaseSettings):
    """Everything the Teams adapter reads; with no app id it runs in local (emulator) mode."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    app_id: str = Field(
        default="", validation_alias=AliasChoices("MICROSOFT_APP_ID", "MicrosoftAppId")
    )
    app_password: SecretStr = Field(
        default=SecretStr(""),
        validation_alias=AliasChoices("MICROSOFT_APP_PASSWORD", "MicrosoftAppPassword"),
    )
    app_type: Literal["SingleTenant", "MultiTenant"] = Field(
        default="SingleTenant",
        validation_alias=AliasChoices("MICROSOFT_APP_TYPE", "MicrosoftAppType"),
    )
    tenant_id: str = Field(
        default="",
        validation_alias=AliasChoices("MICROSOFT_APP_TENANT_ID", "MicrosoftAppTenantId"),
    )
    allowed_tenants_raw: str = Field(default="", validation_alias="TEAMS_ALLOWED_TENANTS")
    # Where inbound tokens' signing keys are published; only changed for sovereign clouds and
    # for offline tests that serve their own keys.
    openid_metadata_url: str = Field(default="", validation_alias="TEAMS_OPENID_METADATA_URL")
    # Run without an app id (no token checks) only when asked for explicitly.
    local_mode_requested: bool = Field(default=False, validation_alias="TEAMS_LOCAL_MODE")
    service_url: str = Field(default=DEFAULT_SERVICE_URL, validation_alias="TEAMS_SERVICE_URL")
    # Where the bot's own token is fetched; only changed for sovereign clouds and offline tests.
    token_url: str = Field(default="", validation_alias="TEAMS_TOKEN_URL")

    @property
    def token_endpoint(self) -> str:
        """Entra ID's token endpoint: the bot's tenant (SingleTenant) or botframework.com."""
        if self.token_url:
            return self.token_url
        tenant = self.tenant_id if self.app_type == "SingleTenant" else ""
        return f"{LOGIN_URL}/{tenant or 'botframework.com'}/oauth2/v2.0/token"

    @property
    def local_mode(self) -> bool:
        """No app id: tokens are not checked, as with the Bot Framework Emulator."""
        return not self.app_id

    @property
    def allowed_tenants(self) -> frozenset[str]:
        """Tenants that are answered: the list, else the bot's own tenant; empty = any (local)."""
        listed = {part.strip() for part in self.allowed_tenants_raw.split(",") if part.strip()}
        if not listed and self.tenant_id:
            listed = {self.tenant_id}
        return frozenset(listed)

    def tenant_allowed(self, tenant_id: str | None) -> bool:
        allowed = self.allowed_tenants
        if not allowed:
            return self.local_mode
        return tenant_id in allowed

    @property
    def configured(self) -> bool:
        """Anything of Teams is set: the admin means Teams to run, so it must be complete."""
        return bool(
            self.app_id
            or self.local_mode_requested
            or self.app_password.get_secret_value()
            or self.tenant_id
        )

    def problems(self) -> list[SettingProblem]:
        """Combinations that would fail at the first message, each naming what is missing."""
        found: list[SettingProblem] = []

        def missing(variable: str, because: str) -> None:
            found.append(
                SettingProblem(
                    variable, "config.missing_beside", EXAMPLES[variable], {"other": because}
                )
            )

        for variable, url in (
            ("TEAMS_OPENID_METADATA_URL", self.openid_metadata_url),
            ("TEAMS_TOKEN_URL", self.token_url),
            ("TEAMS_SERVICE_URL", self.service_url),
        ):
            if url and not is_http_url(url):
                found.append(
                    SettingProblem(
                        variable, "config.not_a_url", DEFAULT_SERVICE_URL, {"value": url}
                    )
                )
        if self.local_mode:
            if self.app_password.get_secret_value():
                missing("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD")
            elif self.tenant_id and not self.local_mode_requested:
                missing("MICROSOFT_APP_ID", "MICROSOFT_APP_TENANT_ID")
            return found
        if not self.app_password.get_secret_value():
            missing("MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_ID")
        if self.app_type == "SingleTenant" and not self.tenant_id:
            missing("MICROSOFT_APP_TENANT_ID", "MICROSOFT_APP_TYPE=SingleTenant")
        elif not self.allowed_tenants:
            missing("TEAMS_ALLOWED_TENANTS", "MICROSOFT_APP_TYPE=MultiTenant")
        return found

    def check(self) -> None:
        """Refuse combinations that would fail at the first message instead of at startup."""
        found = self.problems()
        if found:
            first = found[0]
            raise TeamsSettingsError(f"{first.variable}: {first.key} {first.values}")
