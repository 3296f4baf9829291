"""The words every front end shares: the keys for a hint, a reveal or a stop; stage titles.

The plain front ends, the study screen and the tutor read them here, so a key or a title
changes in one place.
"""

from __future__ import annotations

HINT = "?"  # typed as an answer: the next hint
REVEAL = "!"  # typed as an answer: show the value
BREAK_DOWN = "parts"  # typed as an answer after the offer: break the question down
QUIT = ("q", "quit")  # typed as an answer in the plain front ends: stop
STAGE_TITLES: dict[str, str] = {
    "paths": "Mapping the paths",
    "forward": "Forward pass",
    "backward": "Backward pass",
    "update": "Update",
}
