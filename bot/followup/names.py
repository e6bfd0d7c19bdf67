"""Route and job-kind names of action items and personal reminders, typed once."""

from __future__ import annotations

ACTION_DONE_ROUTE = "action.done"
ACTION_SEND_ANYWAY_ROUTE = "action.send_anyway"
REMINDER_SEND_ANYWAY_ROUTE = "reminder.send_anyway"
REMINDER_CANCEL_ROUTE = "reminder.cancel"
ACTION_DUE_KIND = "action_due"
ACTION_OVERDUE_KIND = "action_overdue"
REMINDER_KIND = "reminder"
