"""Route and job-kind names of the agreement's reminders, typed once."""

from __future__ import annotations

CYCLE_KIND = "cycle"
AGREEMENT_END_KIND = "agreement_end"
CYCLE_OVERDUE_KIND = "cycle_overdue"
CYCLE_DONE_ROUTE = "cycle.done"
# A date whose year the bot guessed, confirmed (`Ja`, per command) or not (`Nej`, shared).
MEETING_YEAR_ROUTE = "meeting.confirm_year"
ACTION_YEAR_ROUTE = "action.confirm_year"
REMINDER_YEAR_ROUTE = "reminder.confirm_year"
YEAR_DECLINED_ROUTE = "dates.year_declined"
MOVE_YEAR_ROUTE = "meeting.confirm_move_year"
