"""Job-kind names of the scheduler's own jobs, typed once."""

from __future__ import annotations

PLAN_KIND = "plan"
NOTICE_KIND = "notice"
