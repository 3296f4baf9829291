"""The keys every screen of the app shares: one map, so the tutor and study agree.

None of them is a character an answer can contain (no `?`, no `!`): answers are typed
into inputs, and an input keeps every printable key it is given.
"""

from __future__ import annotations

from textual.binding import Binding

HINT = Binding("ctrl+g", "hint", "Hint", tooltip="A hint for the current quantity (three levels)")
REVEAL = Binding("ctrl+r", "reveal", "Show me", tooltip="Show the current quantity's value")
HELP = Binding("f1", "help", "Help", tooltip="Every key, and how to write answers")
PREV_STEP = Binding("f7", "prev_step", "Prev step", tooltip="Start of the previous step")
NEXT_STEP = Binding("f8", "next_step", "Next step", tooltip="Start of the next step")
QUIT = Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="quit")

# What a question screen binds (the tutor adds the steps; the app binds quit).
QUESTION_KEYS = [HINT, REVEAL, HELP]
STEP_KEYS = [PREV_STEP, NEXT_STEP]
