"""Settings from the environment and `.env`, so secrets never live in code or the repo."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_AGREEMENT = Path(__file__).resolve().parents[1] / "data" / "ostra-goinge.toml"


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

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
