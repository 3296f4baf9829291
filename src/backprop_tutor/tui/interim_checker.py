"""A stand-in checker until the quiz package's checker lands; reads with the quiz's reader.

It only says right, close (right as far as the digits go), wrong or unreadable; the
quiz package's checker replaces it with diagnosis and carried errors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

from backprop_tutor.quiz.answers import Unreadable, read_answer

from .numbers import fmt
from .quantities import Quantity


@dataclass(frozen=True)
class SimpleFeedback:
    """A verdict word and a sentence."""

    verdict: str
    message: str


class InterimChecker:
    """Right when the typed digits agree with the value, rounded or truncated."""

    def check(self, quantity: Quantity, text: str) -> SimpleFeedback:
        """Judge `text` as an answer to `quantity`."""
        reading = read_answer(text)
        if isinstance(reading, Unreadable):
            return SimpleFeedback("invalid", reading.message)
        exact = quantity.answer
        if reading.literal is None or reading.last_place is None:
            ok = math.isclose(reading.value, exact, rel_tol=1e-6, abs_tol=1e-12)
            return self._say(ok, quantity)
        place = reading.last_place
        target = Decimal(repr(exact))
        candidates = {
            target.quantize(place, rounding=ROUND_HALF_EVEN),
            target.quantize(place, rounding=ROUND_DOWN),
        }
        if reading.literal not in candidates:
            return self._say(False, quantity)
        digits = reading.significant_figures
        if float(target) == float(reading.literal) or digits >= 3:
            return self._say(True, quantity)
        return SimpleFeedback("close", "Right as far as it goes: give more digits.")

    @staticmethod
    def _say(ok: bool, quantity: Quantity) -> SimpleFeedback:
        if ok:
            return SimpleFeedback("right", f"Right: {quantity.label} = {fmt(quantity.answer)}.")
        return SimpleFeedback("wrong", "Not quite. Try again, or ctrl+r to be shown.")
