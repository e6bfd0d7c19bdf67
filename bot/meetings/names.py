"""Route and job-kind names of meetings, typed once: cards carry them and `bot/features.py`
routes them."""

from __future__ import annotations

SCHEDULE_ROUTE = "meeting.schedule"
RSVP_ROUTE = "meeting.rsvp"
ATTEND_ROUTE = "meeting.attend"
ATTENDANCE_FORM_ROUTE = "attendance.form"
ATTENDANCE_MANY_ROUTE = "attendance.many"
DAY_BEFORE_KIND = "meeting_day_before"
HOUR_KIND = "meeting_hour"
PERSONAL_KIND = "meeting_personal"
ATTENDANCE_ASK_KIND = "meeting_attendance_ask"
