"""Judging one answer: the tolerance rule, carried errors, and naming the mistake.

The rule a learner is told: a typed number is right when it agrees with the engine's
value to the precision typed, rounded or truncated at the last digit typed, with at
least 3 significant figures unless the value is exact (2, 4, 0). Arithmetic is
evaluated and compared at 1e-6 relative. An answer that agrees but has fewer than 3
significant figures is right as far as it goes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from backprop_tutor.engine.numbers import format_number

from .answers import Reading, Unreadable, read_answer
from .carried import Carried
from .diagnosis import Candidate, Mistake
from .ids import QuestionId
from .questions import Question

MIN_SIGNIFICANT = 3
EXPRESSION_TOLERANCE = 1e-6
# Within this of the engine's value an answer is fully right, not merely rounded.
FULL_PRECISION = 5e-7

TOLERANCE_RULE = (
    "An answer is right when it agrees with the exact value to the digits you type, "
    "rounded or cut off at your last digit, with at least 3 significant figures "
    "(exact values such as 2 or 0 may be typed as they are). "
    "Arithmetic such as 2*(1/7 - 1) is worked out and must agree to 1 part in a million."
)


class Verdict(StrEnum):
    """What an answer was judged to be."""

    CORRECT = "correct"
    CORRECT_ROUNDED = "correct_rounded"
    INCOMPLETE_PRECISION = "incomplete_precision"
    METHOD_CORRECT_CARRIED = "method_correct_carried"
    WRONG = "wrong"
    UNREADABLE = "unreadable"

    @property
    def solved(self) -> bool:
        """Whether the answer completes the question (right, or right for the learner's numbers)."""
        return self in _SOLVED

    @property
    def counted(self) -> bool:
        """Whether the answer counts as an attempt (unreadable text does not)."""
        return self is not Verdict.UNREADABLE

    @property
    def decides(self) -> bool:
        """Whether it is right or a miss (asking for a number or for more digits is neither)."""
        return self not in _UNDECIDED


_SOLVED = frozenset({Verdict.CORRECT, Verdict.CORRECT_ROUNDED, Verdict.METHOD_CORRECT_CARRIED})
_UNDECIDED = frozenset({Verdict.UNREADABLE, Verdict.INCOMPLETE_PRECISION})


@dataclass(frozen=True, slots=True)
class Judgement:
    """A typed answer (paths, a formula) judged: the verdict, the sentence, the mistake."""

    verdict: Verdict
    message: str
    mistake: Mistake | None = None


@dataclass(frozen=True, slots=True)
class Feedback:
    """The judgement of one answer, ready to show."""

    question_id: QuestionId
    verdict: Verdict
    message: str
    diagnosis: Mistake | None
    expected: float
    shown: str  # the expected value as the lesson prints it
    value: float | None = None  # the learner's number, when it could be read
    carried_from: tuple[QuestionId, ...] = ()  # the learner's earlier answers it used

    @property
    def solved(self) -> bool:
        """Whether this answer completes the question."""
        return self.verdict.solved

    @property
    def counted(self) -> bool:
        """Whether this answer counts as an attempt."""
        return self.verdict.counted


# ---------------------------------------------------------------- agreement


def _fuzz(target: float, unit: float) -> float:
    # The engine's floats carry ~1e-16 relative error; a true value sitting exactly on a
    # rounding boundary must not flip because of it.
    return 1e-9 * max(abs(target), unit)


def agrees(reading: Reading, target: float) -> bool:
    """Whether the answer is consistent with `target` at the precision it was typed."""
    value = reading.value
    if reading.literal is None or reading.last_place is None:
        return abs(value - target) <= EXPRESSION_TOLERANCE * max(abs(target), abs(value)) + 1e-12
    unit = float(reading.last_place)
    eps = _fuzz(target, unit)
    if abs(target - value) <= unit / 2 + eps:
        return True  # rounded at the last digit typed
    # Truncated at the last digit typed: the target lies in the typed digit's interval,
    # on the side away from zero.
    if value > 0:
        return value - eps <= target < value + unit - eps
    if value < 0:
        return value - unit + eps < target <= value + eps
    return abs(target) < unit - eps


def exactly(value: float, target: float) -> bool:
    """Equal but for float noise."""
    return math.isclose(value, target, rel_tol=1e-9, abs_tol=1e-12)


def window_width(reading: Reading) -> float:
    """How wide a range of values the answer is consistent with."""
    if reading.last_place is None:
        return 2 * EXPRESSION_TOLERANCE * abs(reading.value) + 2e-12
    return 1.5 * float(reading.last_place)


def _precise_enough(reading: Reading) -> bool:
    return reading.literal is None or reading.significant_figures >= MIN_SIGNIFICANT


# ---------------------------------------------------------------- judging


def check(
    question: Question,
    text: str,
    *,
    carried: Carried | None = None,
    candidates: Sequence[Candidate] = (),
) -> Feedback:
    """Judge `text` as the answer to `question`; never raises."""
    expected = question.expected
    shown = format_number(expected)

    def feedback(
        verdict: Verdict,
        message: str,
        *,
        diagnosis: Mistake | None = None,
        value: float | None = None,
        carried_from: tuple[QuestionId, ...] = (),
    ) -> Feedback:
        return Feedback(
            question.id, verdict, message, diagnosis, expected, shown, value, carried_from
        )

    reading = read_answer(text)
    if isinstance(reading, Unreadable):
        return feedback(Verdict.UNREADABLE, reading.message)
    value = reading.value
    label = question.label

    if exactly(value, expected) or (
        agrees(reading, expected)
        and (abs(value - expected) <= max(FULL_PRECISION, EXPRESSION_TOLERANCE * abs(expected)))
    ):
        return feedback(Verdict.CORRECT, f"Correct: {label} = {shown}.", value=value)
    consistent = agrees(reading, expected)
    if consistent and _precise_enough(reading):
        return feedback(
            Verdict.CORRECT_ROUNDED,
            _rounded_message(label, shown, value),
            value=value,
        )
    # A short answer that is exactly a known mistake's value (0 for a forgotten path)
    # is that mistake, not a correct answer short of digits.
    exact_mistake = any(exactly(value, c.value) for c in candidates) or (
        carried is not None and exactly(value, carried.value)
    )
    incomplete = consistent and reading.significant_figures > 0 and not exact_mistake

    if (
        carried is not None
        and not incomplete
        and agrees(reading, carried.value)
        and (_precise_enough(reading) or exactly(value, carried.value))
    ):
        return feedback(
            Verdict.METHOD_CORRECT_CARRIED,
            carried.message(label),
            value=value,
            carried_from=carried.question_ids,
        )

    if not incomplete:
        found = _diagnose(reading, expected, carried, candidates)
        if found is not None:
            return feedback(
                Verdict.WRONG,
                found.message,
                diagnosis=found.name,
                value=value,
            )

    if incomplete:
        return feedback(
            Verdict.INCOMPLETE_PRECISION,
            f"Right as far as it goes; give at least {MIN_SIGNIFICANT} significant figures.",
            value=value,
        )
    slip = digit_slip(reading, expected)
    if slip is not None:
        return feedback(Verdict.WRONG, slip, value=value)
    return feedback(
        Verdict.WRONG,
        "Not right yet. Check your working and try again, or ask for a hint.",
        value=value,
    )


def digit_slip(reading: Reading, expected: float) -> str | None:
    """A slip in writing the number down, named without the digits: the last digit one
    off, or two neighbouring digits swapped (the right value, rounded or cut off at the
    digits typed, differs from the answer only there). None for anything else."""
    place = reading.last_place
    if place is None or reading.significant_figures < MIN_SIGNIFICANT or not expected:
        return None
    try:
        exact = Decimal(repr(expected))
        forms = {exact.quantize(place, ROUND_HALF_UP), exact.quantize(place, ROUND_DOWN)}
    except InvalidOperation:  # too many digits for the context: no slip to name
        return None
    typed = reading.literal
    assert typed is not None  # a plain number: it has a last place
    if any(abs(typed - form) == place for form in forms):
        return (
            "Very close: only the last digit you typed is off, by one. Check how you "
            "rounded, or carry one more digit."
        )
    for form in forms:
        if (typed < 0) != (form < 0):
            continue  # a lost sign is a mistake of its own, not a copying slip
        mine, right = _digits(typed), _digits(form)
        differ = [i for i, (a, b) in enumerate(zip(mine, right, strict=False)) if a != b]
        if (
            len(mine) == len(right)
            and len(differ) == 2
            and differ[1] == differ[0] + 1
            and mine[differ[0]] == right[differ[1]]
            and mine[differ[1]] == right[differ[0]]
        ):
            return (
                "Every digit is right, but two neighbouring ones look swapped: read the "
                "number again as you copied it."
            )
    return None


def _digits(number: Decimal) -> str:
    """The digits as written, sign and point left out: 2.56 → 256."""
    return "".join(ch for ch in f"{number:f}" if ch.isdigit())


def _rounded_message(label: str, shown: str, value: float) -> str:
    # Where the lesson writes the same figures as the learner typed, "in full" would
    # repeat them: give the value to more figures instead.
    if shown.replace("−", "-") == repr(value) or float(shown.replace("−", "-")) == value:
        return f"Correct to the digits you typed; in full, {label} = {value:.10g}."
    return f"Correct to the digits you typed; in full, {label} = {shown}."


def _diagnose(
    reading: Reading,
    expected: float,
    carried: Carried | None,
    candidates: Sequence[Candidate],
) -> Candidate | None:
    """The simplest mistake the answer fits, if it fits exactly one value clearly."""
    value = reading.value
    # Group candidates that lead to the same number: at x = 0 several mistakes collapse.
    groups: list[list[Candidate]] = []
    for candidate in candidates:
        for group in groups:
            if exactly(group[0].value, candidate.value):
                group.append(candidate)
                break
        else:
            groups.append([candidate])
    matched = [
        g
        for g in groups
        if agrees(reading, g[0].value) and (_precise_enough(reading) or exactly(value, g[0].value))
    ]
    if len(matched) != 1:
        return None  # none, or several different numbers: rounding luck, say nothing
    chosen = matched[0]
    # The match must be tighter than the gap to every other number in play.
    others = [g[0].value for g in groups if g is not chosen] + [expected]
    if carried is not None:
        others.append(carried.value)
    gap = min(abs(chosen[0].value - other) for other in others)
    if window_width(reading) >= gap / 2 and not exactly(value, chosen[0].value):
        return None
    best = min(chosen, key=lambda c: c.rank)
    lost = [c for c in chosen if c.name is Mistake.LOCAL_SIGN]
    if best.name is Mistake.SIGN and lost:
        # The whole sign is the simpler name, but a lost minus sign is the likely cause.
        where = lost[0].detail
        return replace(
            best, message=f"That has the wrong sign; look at the minus sign in front of {where}."
        )
    return best
