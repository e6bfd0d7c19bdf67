"""Route and job-kind names of citizen promises, typed once: cards carry them and
`bot/features.py` routes them."""

from __future__ import annotations

STATUS_ROUTE = "promise.status"
OUTCOME_ROUTE = "promise.outcome"
STATUS_REQUEST_KIND = "promise_status"
PROMISE_OVERDUE_KIND = "promise_overdue"
