"""Route and job-kind names of the agreement's reminders, typed once."""

from __future__ import annotations

CYCLE_KIND = "cycle"
AGREEMENT_END_KIND = "agreement_end"
CYCLE_OVERDUE_KIND = "cycle_overdue"
CYCLE_DONE_ROUTE = "cycle.done"
