"""Lesson text that would give an asked number away before the learner works it out.

Each piece of a lesson's text is shown at a known moment: the introduction before
anything, a stage's text at the start of that stage in every step, a step's note after
the stage it belongs to (a whole-step note after the step's first stage). A number in a
piece agrees with a question asked at or after that moment when it matches the
question's value at the digits written (0.12 for 0.119203, rounded or cut off).
Numbers the screen shows anyway (inputs, constants, parameters at the start, η) and
small whole numbers are not counted: `y = 1` gives nothing away.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from backprop_tutor.engine import STAGES, Lesson, StepTrace

from .answers import Reading, read_answer
from .checker import agrees
from .questions import Question, build_questions

# A number as a lesson writes one: 0.12, −3.1, 2.13, 1e-3, 42.
_NUMBER = re.compile(r"(?<![\w.])[−-]?\d+(?:\.\d+)?(?:[eE][−-]?\d+)?(?![\w.]*[A-Za-z_])")
# Whole numbers below this are everyday words (y = 1, two paths), not results.
SMALL_WHOLE = 10


@dataclass(frozen=True, slots=True)
class Giveaway:
    """A number in a piece of text that agrees with a question asked after it is shown."""

    where: str  # "[text] intro", "[text] backward", "step 1's note (forward)"
    number: str
    question: Question

    @property
    def message(self) -> str:
        """One line for check-lesson: where, which number, which question it gives away."""
        q = self.question
        return (
            f"{self.where}: {self.number} gives away step {q.step}'s {q.symbol} "
            f"before it is asked; hold the note back until that stage is done, or drop "
            f"the number"
        )


def giveaways(lesson: Lesson, traces: Sequence[StepTrace]) -> list[Giveaway]:
    """Every number in the lesson's text that gives an asked value away, in text order."""
    graph = lesson.graph
    asked = [q for trace in traces for q in build_questions(graph, trace)]
    order = {stage: i for i, stage in enumerate(STAGES)}
    shown_anyway = {
        *lesson.constants.values(),
        *lesson.parameters.values(),
        *(v for step in lesson.steps for v in step.values()),
        lesson.learning_rate,
    }
    text = lesson.text
    pieces: list[tuple[str, str, int, int]] = [("[text] intro", text.intro, 1, 0)]
    for stage in STAGES:
        # Shown at the start of the stage in every step: from step 1's stage on.
        pieces.append((f"[text] {stage}", text.stage_text(stage), 1, order[stage]))
    for note in text.notes:
        stage = note.stage or STAGES[0]
        where = f"step {note.step}'s note" + (f" ({note.stage})" if note.stage else "")
        # Shown once its stage is done: from the next stage of that step on.
        pieces.append((where, note.text, note.step, order[stage] + 1))
    found: list[Giveaway] = []
    for where, body, step, stage_index in pieces:
        later = [q for q in asked if (q.step, order[q.stage]) >= (step, stage_index)]
        for match in _NUMBER.finditer(body or ""):
            reading = read_answer(match.group().replace("−", "-"))
            if not isinstance(reading, Reading) or _everyday(reading, shown_anyway):
                continue
            for q in later:
                if agrees(reading, q.expected):
                    found.append(Giveaway(where, match.group(), q))
                    break
    return found


def _everyday(reading: Reading, shown: set[float]) -> bool:
    value = reading.value
    if value.is_integer() and abs(value) < SMALL_WHOLE:
        return True
    return any(math.isclose(value, s, rel_tol=1e-9, abs_tol=1e-12) for s in shown)
