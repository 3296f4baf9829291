"""Carried errors: a later answer re-checked with the learner's own earlier numbers.

When a learner's u was wrong (or rounded), their h is judged against the engine's
formula for h evaluated at their u. Matching that means the method is right, and the
feedback names the earlier value that was carried.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from backprop_tutor.engine import EvalError, StepTrace

from .questions import Question, compute, engine_lookup
from .text import join_words, show


@dataclass(frozen=True, slots=True)
class LearnerValue:
    """The number a learner last gave for a quantity, as typed."""

    value: float
    text: str
    rounded: bool  # it agreed with the engine at the precision typed


@dataclass(frozen=True, slots=True)
class UsedValue:
    """An earlier answer of the learner's that differs from the engine's value."""

    question_id: str
    label: str
    learner: LearnerValue
    engine: float


@dataclass(frozen=True, slots=True)
class Carried:
    """The value a question takes with the learner's earlier numbers, and which they were."""

    value: float
    used: tuple[UsedValue, ...]

    @property
    def question_ids(self) -> tuple[str, ...]:
        """Ids of the earlier answers that were carried."""
        return tuple(u.question_id for u in self.used)

    def message(self, label: str, shown: str) -> str:
        """What the learner reads when their answer matches this carried value."""
        theirs = join_words([f"{u.label} = {_typed(u.learner)}" for u in self.used])
        engine = join_words([f"{u.label} = {show(u.engine)}" for u in self.used])
        if all(u.learner.rounded for u in self.used):
            return f"Right given your rounding of {theirs}; with {engine}, {label} = {shown}."
        return (
            f"Right for your {theirs}, so the method is correct; "
            f"but {engine}, which makes {label} = {shown}."
        )


def _typed(value: LearnerValue) -> str:
    text = value.text.strip()
    return text if 0 < len(text) <= 24 else show(value.value)


def carried_value(
    question: Question,
    trace: StepTrace,
    learner: Mapping[str, LearnerValue],
    labels: Mapping[str, str],
) -> Carried | None:
    """The question's value from the learner's earlier answers, where any differ."""
    engine = engine_lookup(trace)
    used: list[UsedValue] = []
    for dep in question.depends_on:
        given = learner.get(dep)
        if given is None:
            continue
        truth = engine(dep)
        if not math.isclose(given.value, truth, rel_tol=1e-12, abs_tol=1e-15):
            used.append(UsedValue(dep, labels.get(dep, dep), given, truth))
    if not used:
        return None

    def lookup(qid: str) -> float:
        given = learner.get(qid)
        return given.value if given is not None else engine(qid)

    try:
        value = compute(question, trace, lookup)
    except (EvalError, ArithmeticError, KeyError, ValueError):
        return None
    if not math.isfinite(value) or math.isclose(
        value, question.expected, rel_tol=1e-9, abs_tol=1e-12
    ):
        return None
    return Carried(value, tuple(used))
