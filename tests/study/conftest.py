"""Fixtures for the study tests: a clock that only moves when told, no cursor blink."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.widgets import Input


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def days(self, n: int) -> None:
        """Move on `n` days."""
        self.now += timedelta(days=n)


@pytest.fixture
def clock() -> FakeClock:
    """Monday evening, 2 March 2026, until a test moves it."""
    return FakeClock()


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor would make snapshots differ from run to run."""
    monkeypatch.setattr(Input, "cursor_blink", False)
