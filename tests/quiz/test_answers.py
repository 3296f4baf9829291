"""Reading answers: numbers with their precision, arithmetic, and everything refused."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tutor.quiz.answers import MAX_LENGTH, Reading, Unreadable, read_answer


def reading(text: str) -> Reading:
    result = read_answer(text)
    assert isinstance(result, Reading), result
    return result


class TestNumbers:
    @pytest.mark.parametrize(
        ("text", "value", "place", "figures"),
        [
            ("0.8346", 0.8346, Decimal("0.0001"), 4),
            ("2", 2.0, Decimal(1), 1),
            ("2.00", 2.0, Decimal("0.01"), 3),
            ("-0.017493", -0.017493, Decimal("0.000001"), 5),
            ("−0.017493", -0.017493, Decimal("0.000001"), 5),
            ("3.4985e-2", 0.034985, Decimal("0.000001"), 5),
            ("1.43E-1", 0.143, Decimal("0.001"), 3),
            (".5", 0.5, Decimal("0.1"), 1),
            ("  0.000306 ", 0.000306, Decimal("0.000001"), 3),
            ("0", 0.0, Decimal(1), 0),
        ],
    )
    def test_a_plain_number_keeps_the_precision_typed(
        self, text: str, value: float, place: Decimal, figures: int
    ) -> None:
        """A literal's last digit place and significant figures come from how it was typed."""
        got = reading(text)
        assert got.is_number
        assert got.value == pytest.approx(value, rel=1e-12)
        assert got.last_place == place
        assert got.significant_figures == figures


class TestArithmetic:
    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("1/7", 1 / 7),
            ("2*(1/7 - 1)", 2 * (1 / 7 - 1)),
            ("2×(1/7 − 1)", 2 * (1 / 7 - 1)),
            ("2·3", 6.0),
            ("6÷4", 1.5),
            ("2^3^2", 512.0),
            ("2**3", 8.0),
            ("-2^2", -4.0),
            ("(0.1/2)*(1 + 1)", 0.1),
            ("u = 2 + 0", 2.0),
            ("δ = 0.03 * 1", 0.03),
        ],
    )
    def test_arithmetic_is_evaluated_with_typographic_twins(self, text: str, value: float) -> None:
        """+ - * / ^ and parentheses work, and −, ×, · and ÷ read as their ASCII twins."""
        got = reading(text)
        assert not got.is_number
        assert got.value == pytest.approx(value, rel=1e-12)


class TestRefused:
    @pytest.mark.parametrize(
        ("text", "says"),
        [
            ("", "empty"),
            ("   ", "empty"),
            ("u =", "empty"),
            ("u", "Names"),
            ("nan", "Names"),
            ("inf", "Names"),
            ("1..2", "not a number"),
            ("2,5", "comma"),
            ("x" * 10_000, "longer than"),
            ("9^9^9^9", "too large"),
            ("10^400", "too large"),
            ("1e999", "too large"),
            ("1/0", "divides by zero"),
            ("0^-1", "divides by zero"),
            ("(-8)^(1/3)", "no real value"),
            ("exp(x)", "Names"),
            ("exp(400)", "too large"),
            ("exp(exp(10))", "too large"),
            ("log(0)", "above 0"),
            ("sqrt(-1)", "not negative"),
            ("1 +", "not a number"),
            ("((1)", "not a number"),
            ("2 3", "not a number"),
            ("1" * 60, "digits"),
            ("#", "not a number"),
        ],
    )
    def test_refusals_say_what_to_type(self, text: str, says: str) -> None:
        """Whatever is refused gets a message naming the problem and what to type."""
        got = read_answer(text)
        assert isinstance(got, Unreadable)
        assert says in got.message
        assert "Type a number" in got.message

    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("exp(1)", math.e),
            ("1/(1 + exp(-2))", 1 / (1 + math.exp(-2))),
            ("log(2)", math.log(2)),
            ("tanh(0.5)", math.tanh(0.5)),
            ("sqrt(2)", math.sqrt(2)),
            ("sigmoid(-800)", 0.0),
            ("relu(-3) + relu(2)", 2.0),
        ],
    )
    def test_the_lesson_functions_work_on_numbers(self, text: str, value: float) -> None:
        """exp(1), 1/(1 + exp(-2)), log, tanh, sqrt, sigmoid, relu: read as arithmetic."""
        got = read_answer(text)
        assert isinstance(got, Reading), got
        assert got.value == pytest.approx(value)
        assert not got.is_number  # checked at 1 part in a million, as arithmetic is

    def test_deep_nesting_is_refused_not_a_recursion_error(self) -> None:
        """Nesting within the length cap is refused by the parser, never raised."""
        text = "(" * 90 + "1" + ")" * 90
        assert len(text) <= MAX_LENGTH
        assert isinstance(read_answer(text), Unreadable)


# ------------------------------------------------------------------------ fuzzing

ANSWER_ALPHABET = st.sampled_from(list("0123456789.+-*/^()eE −×·÷ ,x"))


def _outcome_is_sane(text: str) -> None:
    got = read_answer(text)
    if isinstance(got, Reading):
        assert math.isfinite(got.value)
        assert got.significant_figures >= 0
    else:
        assert isinstance(got, Unreadable)
        assert got.message


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_arbitrary_unicode_gives_a_reading_or_a_message(text: str) -> None:
    """Any text at all: a finite reading or a message, never an exception."""
    _outcome_is_sane(text)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=ANSWER_ALPHABET, max_size=120))
def test_fuzz_answer_like_text_gives_a_reading_or_a_message(text: str) -> None:
    """Text made of the characters answers use: the same guarantee, tested harder."""
    _outcome_is_sane(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(min_value=-(10**30), max_value=10**30).map(str),
            st.floats(allow_nan=False, allow_infinity=False).map(repr),
        ),
        min_size=1,
        max_size=5,
    ),
    st.lists(st.sampled_from(["+", "-", "*", "/", "^", "**"]), min_size=4, max_size=4),
)
def test_fuzz_huge_numbers_and_towers_of_powers(numbers: list[str], ops: list[str]) -> None:
    """Huge literals joined by any operators, powers included, are read or refused."""
    text = numbers[0]
    for number, op in zip(numbers[1:], ops, strict=False):
        text += op + number
    _outcome_is_sane(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.integers(min_value=0, max_value=41))
def test_fuzz_the_whole_check_returns_feedback(text: str, index: int) -> None:
    """Through the session (carried errors, diagnosis and all): feedback, never an error."""
    from backprop_tutor.engine import load_lesson
    from backprop_tutor.quiz import QuizSession

    session = QuizSession(load_lesson("branch-merge"))
    question = session.questions[index]
    feedback = session.answer(question.id, text)
    assert feedback.message
    assert feedback.question_id == question.id
