"""The status line: lesson, step and its inputs, stage, and quiz progress."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

SEP = " │ "
MIN_TITLE = 12  # letters of the title kept before the step's inputs are dropped


def fitted(lesson: str, forms: tuple[str, ...], quiz: str, width: int) -> tuple[str, str]:
    """The lesson's title and the step's part, cut so the line fits `width` with its quiz count.

    `forms` are the step's part from the fullest to the shortest. The title gives way
    first (to a dozen letters and "…"), then the step's part takes its next shorter form
    (without the inputs, then without what comes next), then the title shrinks further;
    the stage and the quiz count always stay whole.
    """
    for index, part in enumerate(forms):
        room = width - 2 * len(SEP) - len(quiz) - len(part)
        if room >= len(lesson):
            return lesson, part
        if room >= MIN_TITLE or index == len(forms) - 1:
            return lesson[: max(room - 1, 1)] + "…", part
    return lesson, forms[-1]  # not reached: the loop returns on the last form


class StatusLine(Static):
    """One line that always says where the learner is, cut to fit without losing the quiz."""

    _parts: tuple[str, tuple[str, ...], str] = ("", ("",), "")
    _text: Text | None = None

    def show(
        self,
        lesson: str,
        step: int,
        steps: int,
        inputs: str,
        stage: str,
        progress: tuple[int, int, int],
        then: str = "",
    ) -> None:
        """Update every part of the line (`then`: what comes next, dropped where it is tight)."""
        solved, shown, total = progress
        extra = f" ({shown} shown)" if shown else ""
        fed = f" ({inputs})" if inputs else ""
        quiz = f"quiz {solved}/{total} ✓{extra}"
        short = f"step {step}/{steps}{SEP}{stage}"
        forms: tuple[str, ...]
        if then:
            forms = (f"step {step}/{steps}{fed}{SEP}{stage}, {then}", f"{short}, {then}", short)
        else:
            forms = (f"step {step}/{steps}{fed}{SEP}{stage}", short)
        self._parts = (lesson, forms, quiz)
        self._draw()

    def _draw(self) -> None:
        # Before the first layout the width is 0: draw it whole, the resize cuts it.
        width = self.content_region.width or 10_000
        lesson, forms, quiz = self._parts
        lesson, where = fitted(lesson, forms, quiz, width)
        text = Text()
        text.append(lesson, style="bold")
        text.append(f"{SEP}{where}{SEP}{quiz}")
        if text != self._text:  # the same line again (a wrong answer) repaints nothing
            self._text = text
            self.update(text, layout=False)  # one line, as wide as the screen

    def on_resize(self, event: events.Resize) -> None:
        """Cut the line again for the new width."""
        self._draw()
