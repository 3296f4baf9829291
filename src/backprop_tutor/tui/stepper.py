"""Where the learner is in a lesson (step, stage, node) and what that reveals; no Textual.

Each step has three stages. Forward walks the computed nodes in evaluation order;
backward walks every node that carries a gradient in reverse topological order
(computed nodes last-to-first, then the parameters); the update walks the parameters.
A position counts how many items of its stage are done, so "nothing yet" is 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from backprop_tutor.engine import Lesson, StepTrace

STAGES: tuple[str, ...] = ("forward", "backward", "update")


@dataclass(frozen=True)
class Position:
    """A step (0-based), a stage, and how many items of that stage are done."""

    step: int = 0
    stage: str = "forward"
    done: int = 0

    @property
    def at_start(self) -> bool:
        """Whether this is a step's start, before its first node: nothing stepped yet."""
        return self.stage == "forward" and self.done == 0


@dataclass(frozen=True)
class Revealed:
    """Which numbers the learner may see: values, gradients, updated parameters."""

    values: frozenset[str]
    grads: frozenset[str]
    updated: frozenset[str]
    current: str | None


class Stepper:
    """The stage items of a lesson and the moves between positions."""

    def __init__(self, lesson: Lesson, traces: tuple[StepTrace, ...]) -> None:
        self.lesson = lesson
        self.traces = traces
        graph = lesson.graph
        self.leaves = tuple(n.name for n in graph.nodes if n.expression is None)
        self.parameters = tuple(lesson.parameters)
        computed = tuple(graph.computed)
        self._items = {
            "forward": computed,
            "backward": tuple(reversed(computed)) + tuple(reversed(self.parameters)),
            "update": self.parameters,
        }

    @property
    def step_count(self) -> int:
        """How many steps the lesson has."""
        return len(self.traces)

    def items(self, stage: str) -> tuple[str, ...]:
        """The nodes a stage walks through, in order."""
        return self._items[stage]

    def current(self, pos: Position) -> str | None:
        """The node the learner is at: the last one done in this stage."""
        return self.items(pos.stage)[pos.done - 1] if pos.done else None

    def forward(self, pos: Position) -> Position:
        """One item on; past the end of a stage, the first item of the next."""
        if pos.done < len(self.items(pos.stage)):
            return Position(pos.step, pos.stage, pos.done + 1)
        k = STAGES.index(pos.stage)
        if k + 1 < len(STAGES):
            return Position(pos.step, STAGES[k + 1], 1)
        if pos.step + 1 < self.step_count:
            return Position(pos.step + 1, "forward", 0)
        return pos

    def back(self, pos: Position) -> Position:
        """One item back; before a stage's first item, the end of the previous stage."""
        if pos.done > 1 or (pos.done == 1 and pos.stage == "forward"):
            return Position(pos.step, pos.stage, pos.done - 1)
        k = STAGES.index(pos.stage)
        if k > 0:
            prev = STAGES[k - 1]
            return Position(pos.step, prev, len(self.items(prev)))
        if pos.step > 0:
            return Position(pos.step - 1, "update", len(self.items("update")))
        return pos

    def end_of_pass(self, pos: Position) -> Position:
        """The end of this stage; already there, the end of the next one."""
        last = len(self.items(pos.stage))
        if pos.done < last:
            return Position(pos.step, pos.stage, last)
        k = STAGES.index(pos.stage)
        if k + 1 < len(STAGES):
            return Position(pos.step, STAGES[k + 1], len(self.items(STAGES[k + 1])))
        return pos

    def goto_step(self, step: int) -> Position:
        """The start of a step, clamped to the lesson's steps."""
        return Position(max(0, min(step, self.step_count - 1)), "forward", 0)

    def position_of(self, step: int, stage: str, node: str) -> Position:
        """The position at which `node` is done in `stage` of `step`."""
        return Position(step, stage, self.items(stage).index(node) + 1)

    def revealed(self, pos: Position) -> Revealed:
        """What stepping has shown at this position (leaves are always known)."""
        forward, backward, update = (self.items(s) for s in STAGES)
        stage_k = STAGES.index(pos.stage)
        values = set(self.leaves)
        grads: set[str] = set()
        updated: set[str] = set()
        if stage_k == 0:
            values.update(forward[: pos.done])
        else:
            values.update(forward)
        if stage_k == 1:
            grads.update(backward[: pos.done])
        elif stage_k == 2:
            grads.update(backward)
            updated.update(update[: pos.done])
        return Revealed(frozenset(values), frozenset(grads), frozenset(updated), self.current(pos))
