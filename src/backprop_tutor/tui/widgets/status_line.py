"""The status line: lesson, step and its inputs, stage, and quiz progress."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    """One line that always says where the learner is."""

    def show(
        self,
        lesson: str,
        step: int,
        steps: int,
        inputs: str,
        stage: str,
        progress: tuple[int, int, int],
    ) -> None:
        """Update every part of the line."""
        solved, shown, total = progress
        extra = f" ({shown} shown)" if shown else ""
        fed = f" ({inputs})" if inputs else ""
        text = Text()
        text.append(lesson, style="bold")
        text.append(f" │ step {step}/{steps}{fed} │ {stage}")
        text.append(f" │ quiz {solved}/{total} ✓{extra}")
        self.update(text)
