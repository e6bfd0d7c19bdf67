"""Teams settings from the environment: our names and the spellings of Azure's own docs.

Azure's portal and samples say `MicrosoftAppId`; twelve-factor deployments say
`MICROSOFT_APP_ID`. Both are accepted so an admin can paste either.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where Teams' Bot Framework service sends from when nothing better is known (proactive 1:1).
DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams/"
LOGIN_URL = "https://login.microsoftonline.com"


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

    def check(self) -> None:
        """Refuse combinations that would fail at the first message instead of at startup."""
        if self.local_mode:
            return
        if not self.app_password.get_secret_value():
            raise TeamsSettingsError("MICROSOFT_APP_PASSWORD is required with MICROSOFT_APP_ID")
        if self.app_type == "SingleTenant" and not self.tenant_id:
            raise TeamsSettingsError(
                "MICROSOFT_APP_TENANT_ID is required for a SingleTenant bot "
                "(or set MICROSOFT_APP_TYPE=MultiTenant)"
            )
        if not self.allowed_tenants:
            raise TeamsSettingsError(
                "TEAMS_ALLOWED_TENANTS is required for a MultiTenant bot without a tenant id"
            )
