"""The scheduler's knobs, read from the environment like the rest of the settings."""

from __future__ import annotations

import json
from datetime import time, timedelta
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.common.config import SettingProblem

ENV_PREFIX = "SAMVERKAN_JOBS_"


class SchedulerSettings(BaseSettings):
    """Leases, retries, lateness and per-platform send rates (posts per second per channel)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_prefix=ENV_PREFIX
    )

    lease_seconds: float = Field(default=120.0, gt=0)
    batch_size: int = Field(default=50, ge=1)
    # While claims come back full (a burst) the next claim doubles, up to this many jobs.
    max_batch_size: int = Field(default=400, ge=1)
    poll_seconds: float = Field(default=1.0, gt=0)
    # Conversations a dispatcher sends to at once; each conversation's jobs still go in order.
    send_concurrency: int = Field(default=8, ge=1)
    max_attempts: int = Field(default=5, ge=1)
    backoff_base_seconds: float = Field(default=30.0, ge=0)
    backoff_max_seconds: float = Field(default=3600.0, ge=0)
    late_after_seconds: float = Field(default=15 * 60.0, ge=0)
    # Posts per second per conversation, per platform; a platform not named is not limited.
    # Written `slack=1,teams=7` or as JSON (`{"slack": 1, "teams": 7}`).
    rates: Annotated[dict[str, float], NoDecode] = Field(
        default_factory=lambda: {"slack": 1.0, "teams": 7.0}
    )

    # Planning: how far ahead jobs are put in the table, and how far back a missed date counts.
    horizon_days: int = Field(default=35, ge=1)
    grace_days: int = Field(default=2, ge=0)
    plan_at: time = time(3, 0)
    # Local wall-clock time reminders are sent at, and the working hours personal ones keep to.
    morning: time = time(8, 0)
    working_hours_end: time = time(18, 0)
    hold_personal: bool = True
    # Weekly digest: weekday (0 = Monday) and local time; holidays move it to the next working day.
    digest_weekday: int = Field(default=0, ge=0, le=6)
    digest_at: time = time(8, 0)
    # Lists are written `14,0` or as JSON (`[14, 0]`).
    cycle_offsets_days: Annotated[tuple[int, ...], NoDecode] = (14, 0)
    agreement_end_offsets_days: Annotated[tuple[int, ...], NoDecode] = (90, 30, 7)
    agreement_end_roles: Annotated[tuple[str, ...], NoDecode] = ("bra_coordinator", "kommunpolis")

    @field_validator("rates", mode="before")
    @classmethod
    def _read_rates(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if value.strip().startswith("{"):
            return json.loads(value)
        rates: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in value.split(","))):
            platform, equals, rate = part.partition("=")
            if not equals or not platform.strip():
                raise ValueError("expected platform=rate")
            rates[platform.strip()] = rate.strip()
        return rates

    @field_validator("rates")
    @classmethod
    def _positive_rates(cls, rates: dict[str, float]) -> dict[str, float]:
        if any(rate <= 0 for rate in rates.values()):
            raise ValueError("a rate must be greater than 0")
        return rates

    @field_validator(
        "cycle_offsets_days", "agreement_end_offsets_days", "agreement_end_roles", mode="before"
    )
    @classmethod
    def _read_list(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if value.strip().startswith("["):
            return json.loads(value)
        return tuple(p.strip() for p in value.split(",") if p.strip())

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.lease_seconds)

    @property
    def late_after(self) -> timedelta:
        return timedelta(seconds=self.late_after_seconds)

    def backoff(self, attempts: int) -> timedelta:
        """Exponential: base, 2×base, 4×base … capped, after the n-th failed attempt."""
        seconds = self.backoff_base_seconds * 2 ** max(attempts - 1, 0)
        return timedelta(seconds=min(seconds, self.backoff_max_seconds))

    def problems(self) -> list[SettingProblem]:
        """Values each valid alone that do not work together."""
        if self.working_hours_end <= self.morning:
            return [
                SettingProblem(
                    ENV_PREFIX + "WORKING_HOURS_END",
                    "config.not_after",
                    "18:00",
                    {"other": ENV_PREFIX + "MORNING", "value": self.morning.strftime("%H:%M")},
                )
            ]
        return []
