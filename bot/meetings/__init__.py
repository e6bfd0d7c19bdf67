"""Forum meetings: scheduling, series, attendance, representation, calendars and reminders."""
