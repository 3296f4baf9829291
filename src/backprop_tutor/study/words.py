"""Self-study in words, the same in every front end: when a skill is due, what a reveal means."""

from __future__ import annotations

from datetime import date

# Said after a value is shown: a reveal counts as a miss, so the skill is asked again.
COMES_BACK = "It will come back."

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def when(day: date, today: date) -> str:
    """A due date in words: today, tomorrow (Tue 3 Mar), in 3 days (Thu 5 Mar)."""
    days = (day - today).days
    if days <= 0:
        return "today"
    # Day and month names from a fixed table: the words must not follow the locale.
    shown = f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return f"tomorrow ({shown})" if days == 1 else f"in {days} days ({shown})"
