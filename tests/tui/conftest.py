"""Fixtures shared by the app's tests."""

from __future__ import annotations

import pytest
from textual.widgets import Input


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop the input cursor from blinking, so screenshots are the same every run."""
    monkeypatch.setattr(Input, "cursor_blink", False)
