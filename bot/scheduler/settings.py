"""The scheduler's knobs, read from the environment like the rest of the settings."""

from __future__ import annotations

from datetime import time, timedelta

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

    # Planning: how far ahead jobs are put in the table, and how far back a missed date counts.
    horizon_days: int = 35
    grace_days: int = 2
    plan_at: time = time(3, 0)
    # Local wall-clock time reminders are sent at, and the working hours personal ones keep to.
    morning: time = time(8, 0)
    working_hours_end: time = time(18, 0)
    hold_personal: bool = True
    # Weekly digest: weekday (0 = Monday) and local time; holidays move it to the next working day.
    digest_weekday: int = 0
    digest_at: time = time(8, 0)
    cycle_offsets_days: tuple[int, ...] = (14, 0)
    agreement_end_offsets_days: tuple[int, ...] = (90, 30, 7)
    agreement_end_roles: tuple[str, ...] = ("bra_coordinator", "kommunpolis")

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
