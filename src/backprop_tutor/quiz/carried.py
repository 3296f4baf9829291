"""Carried errors: a later answer re-checked with the learner's own earlier numbers.

When a learner's u was wrong (or rounded), their h is judged against the engine's
formula for h evaluated at their u. Matching that means the method is right, and the
feedback names the earlier value that was carried.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from backprop_tutor.engine import EvalError, StepTrace

from .ids import QuestionId
from .questions import Question, compute, engine_lookup
from .text import join_words


@dataclass(frozen=True, slots=True)
class LearnerValue:
    """The number a learner last gave for a quantity, as typed."""

    value: float
    text: str
    rounded: bool  # it agreed with the engine at the precision typed, or was right for
    # the learner's own rounded inputs


@dataclass(frozen=True, slots=True)
class UsedValue:
    """An earlier answer of the learner's that differs from the engine's value."""

    question_id: QuestionId
    label: str
    learner: LearnerValue
    engine: float


@dataclass(frozen=True, slots=True)
class Carried:
    """The value a question takes with the learner's earlier numbers, and which they were."""

    value: float
    used: tuple[UsedValue, ...]

    @property
    def question_ids(self) -> tuple[QuestionId, ...]:
        """Ids of the earlier answers that were carried."""
        return tuple(u.question_id for u in self.used)

    def message(self, label: str) -> str:
        """What the learner reads when their answer matches this carried value (no numbers)."""
        theirs = join_words([u.label for u in self.used])
        if all(u.learner.rounded for u in self.used):
            return (
                f"Right given your rounding of {theirs}; carry more digits of {theirs} "
                f"for {label} in full."
            )
        return (
            f"Right for your own {theirs}, so the method is correct; "
            f"but your {theirs} was not right: go back to that question, then {label} follows."
        )


def carried_value(
    question: Question,
    questions: Sequence[Question],
    traces: Sequence[StepTrace],
    learner: Mapping[QuestionId, LearnerValue],
    labels: Callable[[QuestionId], str],
    fixed: Collection[QuestionId] = (),
) -> Carried | None:
    """The question's value from the learner's earlier answers, where any differ.

    `questions` are every question in the order asked (each one's dependencies come
    before it); `fixed` are ids whose engine value the learner has seen (revealed).
    A dependency the learner skipped is recomputed from their numbers further up, so δ
    follows from their p even when they never typed ∂J/∂p.
    """
    values: dict[QuestionId, float] = {}
    sources: dict[QuestionId, tuple[QuestionId, ...]] = {}
    for earlier in questions:
        if earlier.id == question.id:
            break
        engine = earlier.expected
        given = learner.get(earlier.id)
        if earlier.id in fixed:
            values[earlier.id], sources[earlier.id] = engine, ()
        elif given is not None:
            differs = not math.isclose(given.value, engine, rel_tol=1e-12, abs_tol=1e-15)
            values[earlier.id] = given.value
            sources[earlier.id] = (earlier.id,) if differs else ()
        else:
            found = _sources(earlier.depends_on, sources)
            computed = _evaluate(earlier, traces, values) if found else None
            if computed is None:
                values[earlier.id], sources[earlier.id] = engine, ()
            else:
                values[earlier.id], sources[earlier.id] = computed, found
    used_ids = _sources(question.depends_on, sources)
    if not used_ids:
        return None
    value = _evaluate(question, traces, values)
    if value is None or math.isclose(value, question.expected, rel_tol=1e-9, abs_tol=1e-12):
        return None
    by_id = {q.id: q for q in questions}
    used = tuple(UsedValue(qid, labels(qid), learner[qid], by_id[qid].expected) for qid in used_ids)
    return Carried(value, used)


def _sources(
    deps: Sequence[QuestionId], sources: Mapping[QuestionId, tuple[QuestionId, ...]]
) -> tuple[QuestionId, ...]:
    found: list[QuestionId] = []
    for dep in deps:
        for source in sources.get(dep, ()):
            if source not in found:
                found.append(source)
    return tuple(found)


def _evaluate(
    question: Question, traces: Sequence[StepTrace], values: Mapping[QuestionId, float]
) -> float | None:
    """The question's formula at the given values; None where those make it undefined."""
    trace = traces[question.step - 1]
    engine = engine_lookup(trace)

    def lookup(qid: QuestionId) -> float:
        return values[qid] if qid in values else engine(qid)

    try:
        value = compute(question, trace, lookup)
    except (EvalError, ArithmeticError, KeyError, ValueError):
        return None
    return value if math.isfinite(value) else None
