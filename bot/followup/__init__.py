"""Follow-up: action items (`A3`) and personal reminders, with their jobs and digest section."""
