"""Settings from the environment and `.env`, so secrets never live in code or the repo."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.common.i18n import language_from_locale
from storage.db import DRIVER_FORMS, async_url

BUNDLED_AGREEMENT = Path(__file__).resolve().parents[1] / "data" / "ostra-goinge.toml"


@dataclass(frozen=True)
class SettingProblem:
    """One thing wrong with one variable: a message key, its values, and a right example.

    Settings classes say what is wrong; `app.config_check` words it in the operator's language.
    `values` never holds a secret.
    """

    variable: str
    key: str
    example: str
    values: dict[str, Any] = field(default_factory=dict)


class Settings(BaseSettings):
    """Every knob the bot reads; names match the README's configuration table."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///samverkan.sqlite3", validation_alias="DATABASE_URL"
    )
    timezone: str = Field(default="Europe/Stockholm", validation_alias="SAMVERKAN_TIMEZONE")
    locale: str = Field(default="sv", validation_alias="SAMVERKAN_LOCALE")
    agreement: Path = Field(default=BUNDLED_AGREEMENT, validation_alias="SAMVERKAN_AGREEMENT")
    public_url: str = Field(
        default="http://localhost:3978", validation_alias="SAMVERKAN_PUBLIC_URL"
    )
    # Per-forum calendar feed keys are derived from this (HMAC); unset means no feed.
    calendar_secret: str | None = Field(default=None, validation_alias="SAMVERKAN_CALENDAR_SECRET")
    # Logs: one JSON object per line, or text; the bot's own level (empty: INFO for serve and
    # worker, WARNING for the other commands).
    log_format: Literal["text", "json"] = Field(
        default="text", validation_alias="SAMVERKAN_LOG_FORMAT"
    )
    log_level: Literal["", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="", validation_alias="SAMVERKAN_LOG_LEVEL"
    )
    # /metrics on a port of its own (not reachable through the webhook port), or behind a token.
    metrics_port: int | None = Field(
        default=None, ge=1, le=65535, validation_alias="SAMVERKAN_METRICS_PORT"
    )
    metrics_token: SecretStr | None = Field(
        default=None, validation_alias="SAMVERKAN_METRICS_TOKEN"
    )
    # After SIGTERM: how long requests in flight and the work they started may take to finish.
    shutdown_grace_seconds: float = Field(
        default=25.0, ge=0, validation_alias="SAMVERKAN_SHUTDOWN_GRACE_SECONDS"
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_capitals(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def database(self) -> str:
        """The URL with its async driver: `postgres://` etc. are taken as the bot's drivers."""
        return async_url(self.database_url)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def problems(self) -> list[SettingProblem]:
        """What would fail later (at the first date shown, the first query): found at start."""
        found: list[SettingProblem] = []
        scheme = self.database.split("://", 1)[0] if "://" in self.database else ""
        if scheme not in DRIVER_FORMS:
            found.append(
                SettingProblem(
                    "DATABASE_URL",
                    "config.database_scheme",
                    "postgresql://samverkan@db.example.se/samverkan",
                    {"scheme": scheme or self.database_url[:40]},
                )
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            found.append(
                SettingProblem(
                    "SAMVERKAN_TIMEZONE",
                    "config.unknown_timezone",
                    "Europe/Stockholm",
                    {"value": self.timezone},
                )
            )
        if language_from_locale(self.locale) is None:
            found.append(
                SettingProblem(
                    "SAMVERKAN_LOCALE", "config.unknown_locale", "sv", {"value": self.locale}
                )
            )
        if not self.agreement.is_file():
            found.append(
                SettingProblem(
                    "SAMVERKAN_AGREEMENT",
                    "config.file_missing",
                    "/etc/samverkan/overenskommelse.toml",
                    {"value": str(self.agreement)},
                )
            )
        if not is_http_url(self.public_url):
            found.append(
                SettingProblem(
                    "SAMVERKAN_PUBLIC_URL",
                    "config.not_a_url",
                    "https://samverkan.example.se",
                    {"value": self.public_url},
                )
            )
        return found


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host, as links and callbacks need."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)
