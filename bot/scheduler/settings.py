"""The scheduler's knobs, read from the environment like the rest of the settings."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SchedulerSettings(BaseSettings):
    """Leases, retries, lateness and per-platform send rates (posts per second per channel)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_prefix="SAMVERKAN_JOBS_"
    )

    lease_seconds: float = 120.0
    batch_size: int = 50
    poll_seconds: float = 1.0
    max_attempts: int = 5
    backoff_base_seconds: float = 30.0
    backoff_max_seconds: float = 3600.0
    late_after_seconds: float = 15 * 60.0
    # Posts per second per conversation, per platform; a platform not named is not limited.
    rates: dict[str, float] = Field(default_factory=lambda: {"slack": 1.0, "teams": 7.0})

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
