"""Teams settings from the environment: our names and the spellings of Azure's own docs.

Azure's portal and samples say `MicrosoftAppId`; twelve-factor deployments say
`MICROSOFT_APP_ID`. Both are accepted so an admin can paste either.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
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
    "MICROSOFT_APP_CERTIFICATE_PATH": "/etc/samverkan/bot-certificate.pem",
    "MICROSOFT_APP_CERTIFICATE_THUMBPRINT": "3a1f6c1e0b5d4c2e9f8a7b6c5d4e3f2a1b0c9d8e",
}


def is_loopback(host: str | None) -> bool:
    """`localhost` or an address of 127.0.0.0/8 or ::1: reachable from this machine only."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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
    app_type: Literal["SingleTenant", "MultiTenant", "UserAssignedMSI"] = Field(
        default="SingleTenant",
        validation_alias=AliasChoices("MICROSOFT_APP_TYPE", "MicrosoftAppType"),
    )
    # A certificate instead of a secret: a PEM file with the private key and the certificate
    # (the thumbprint is read from it unless given), its key's password if it has one.
    certificate_path: Path | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "MICROSOFT_APP_CERTIFICATE_PATH", "MicrosoftAppCertificatePath"
        ),
    )
    certificate_thumbprint: str = Field(
        default="",
        validation_alias=AliasChoices(
            "MICROSOFT_APP_CERTIFICATE_THUMBPRINT", "MicrosoftAppCertificateThumbprint"
        ),
    )
    certificate_password: SecretStr = Field(
        default=SecretStr(""), validation_alias="MICROSOFT_APP_CERTIFICATE_PASSWORD"
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
            or self.certificate_path
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
            for given in ("MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_CERTIFICATE_PATH"):
                if self._given(given):
                    missing("MICROSOFT_APP_ID", given)
                    return found
            if self.tenant_id and not self.local_mode_requested:
                missing("MICROSOFT_APP_ID", "MICROSOFT_APP_TENANT_ID")
            return found
        if self.app_type == "UserAssignedMSI":
            if not self.tenant_id:  # a managed identity lives in one tenant
                missing("MICROSOFT_APP_TENANT_ID", "MICROSOFT_APP_TYPE=UserAssignedMSI")
            return found
        found += self._credential_problems()
        if self.app_type == "SingleTenant" and not self.tenant_id:
            missing("MICROSOFT_APP_TENANT_ID", "MICROSOFT_APP_TYPE=SingleTenant")
        elif self.app_type == "MultiTenant" and not self.allowed_tenants:
            missing("TEAMS_ALLOWED_TENANTS", "MICROSOFT_APP_TYPE=MultiTenant")
        return found

    def _given(self, variable: str) -> bool:
        if variable == "MICROSOFT_APP_PASSWORD":
            return bool(self.app_password.get_secret_value())
        return self.certificate_path is not None

    def _credential_problems(self) -> list[SettingProblem]:
        """A secret or a certificate, exactly one; a certificate file the bot can use."""
        path = self.certificate_path
        if not self._given("MICROSOFT_APP_PASSWORD") and path is None:
            return [
                SettingProblem(
                    "MICROSOFT_APP_PASSWORD",
                    "config.missing_credential",
                    EXAMPLES["MICROSOFT_APP_PASSWORD"],
                    {"other": "MICROSOFT_APP_ID"},
                )
            ]
        if path is None:
            return []
        example = EXAMPLES["MICROSOFT_APP_CERTIFICATE_PATH"]
        variable = "MICROSOFT_APP_CERTIFICATE_PATH"
        if self._given("MICROSOFT_APP_PASSWORD"):
            return [SettingProblem(variable, "config.one_credential", example)]
        if not path.is_file():
            return [SettingProblem(variable, "config.file_missing", example, {"value": str(path)})]
        pem = path.read_bytes()
        if b"PRIVATE KEY-----" not in pem:
            return [
                SettingProblem(variable, "config.no_private_key", example, {"value": str(path)})
            ]
        if b"CERTIFICATE-----" not in pem and not self.certificate_thumbprint:
            return [
                SettingProblem(
                    "MICROSOFT_APP_CERTIFICATE_THUMBPRINT",
                    "config.missing_beside",
                    EXAMPLES["MICROSOFT_APP_CERTIFICATE_THUMBPRINT"],
                    {"other": variable},
                )
            ]
        return []

    def check(self) -> None:
        """Refuse combinations that would fail at the first message instead of at startup."""
        found = self.problems()
        if found:
            first = found[0]
            raise TeamsSettingsError(f"{first.variable}: {first.key} {first.values}")
