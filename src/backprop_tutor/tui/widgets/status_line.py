"""The status line: lesson, step and its inputs, stage, and quiz progress."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

SEP = " │ "
MIN_TITLE = 12  # letters of the title kept before the step's inputs are dropped


def fitted(lesson: str, where: str, short: str, quiz: str, width: int) -> tuple[str, str]:
    """The lesson's title and the step's part, cut so the line fits `width` with its quiz count.

    The title gives way first (to a dozen letters and "…"), then the step's part drops
    its inputs (`short`), then the title shrinks further; the stage and the quiz count
    always stay whole.
    """
    for part in (where, short):
        room = width - 2 * len(SEP) - len(quiz) - len(part)
        if room >= len(lesson):
            return lesson, part
        if room >= MIN_TITLE or part is short:
            return lesson[: max(room - 1, 1)] + "…", part
    return lesson, where  # not reached: the loop returns on `short`


class StatusLine(Static):
    """One line that always says where the learner is, cut to fit without losing the quiz."""

    _parts: tuple[str, str, str, str] = ("", "", "", "")
    _text: Text | None = None

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
        quiz = f"quiz {solved}/{total} ✓{extra}"
        where = f"step {step}/{steps}{fed}{SEP}{stage}"
        self._parts = (lesson, where, f"step {step}/{steps}{SEP}{stage}", quiz)
        self._draw()

    def _draw(self) -> None:
        # Before the first layout the width is 0: draw it whole, the resize cuts it.
        width = self.content_region.width or 10_000
        lesson, where = fitted(*self._parts, width)
        quiz = self._parts[3]
        text = Text()
        text.append(lesson, style="bold")
        text.append(f"{SEP}{where}{SEP}{quiz}")
        if text != self._text:  # the same line again (a wrong answer) repaints nothing
            self._text = text
            self.update(text, layout=False)  # one line, as wide as the screen

    def on_resize(self, event: events.Resize) -> None:
        """Cut the line again for the new width."""
        self._draw()
