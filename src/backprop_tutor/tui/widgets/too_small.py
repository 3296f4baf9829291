"""The message shown instead of the app when the terminal is too small."""

from __future__ import annotations

from textual.widgets import Static

from ..fit import MIN_HEIGHT, MIN_WIDTH


class TooSmall(Static):
    """Asks for a larger terminal."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(
            f"The terminal is too small.\nPlease make it at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            id=id,
        )
