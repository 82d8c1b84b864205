# The team's own package, imported by a revision through prepend_sys_path.
SCHEDULE_TYPES = ("visit", "meeting", "training", "report", "other")
SCHEDULE_STATUSES = ("scheduled", "in_progress", "completed", "cancelled")
