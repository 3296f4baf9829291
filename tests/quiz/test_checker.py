"""The tolerance rule on its own: precision typed, rounding or truncation, 3 figures, 1e-6."""

from __future__ import annotations

import pytest

from backprop_tutor.quiz import Kind, Question, QuestionId, Verdict, check
from backprop_tutor.quiz.diagnosis import Candidate, Mistake


def question(expected: float) -> Question:
    return Question(QuestionId(1, Kind.VALUE, "J"), "J", "J", expected, ("evaluate",), ())


J = 0.8346938775510203  # the worked example's J at step 1


@pytest.mark.parametrize(
    ("expected", "typed", "verdict"),
    [
        # The issue's own examples.
        (J, "0.8346", Verdict.CORRECT_ROUNDED),  # truncated at the last digit typed
        (J, "0.8347", Verdict.CORRECT_ROUNDED),  # rounded at the last digit typed
        (J, "0.83", Verdict.INCOMPLETE_PRECISION),
        (J, "0.834694", Verdict.CORRECT),
        (J, "0.8348", Verdict.WRONG),
        (J, "0.8345", Verdict.WRONG),
        (J, "0.835", Verdict.CORRECT_ROUNDED),
        (J, "0.834", Verdict.CORRECT_ROUNDED),
        (J, "0.8", Verdict.INCOMPLETE_PRECISION),
        (J, "1", Verdict.INCOMPLETE_PRECISION),  # 0.83 rounds to 1 at the units digit
        (J, "2", Verdict.WRONG),
        # Exact values may be typed as they are.
        (2.0, "2", Verdict.CORRECT),
        (2.0, "2.000", Verdict.CORRECT),
        (0.0, "0", Verdict.CORRECT),
        (0.1, "0.1", Verdict.CORRECT),
        (4.0, "3.99", Verdict.WRONG),
        # Negative numbers truncate toward zero.
        (-0.017493, "-0.01749", Verdict.CORRECT_ROUNDED),
        (-0.0174927, "-0.01749", Verdict.CORRECT_ROUNDED),
        (-0.0174927, "-0.017492", Verdict.CORRECT_ROUNDED),  # truncated
        (-0.0174927, "-0.017494", Verdict.WRONG),
        (-0.0174927, "0.017493", Verdict.WRONG),
        # Small values: significant figures, not decimals.
        (0.000305994, "0.000306", Verdict.CORRECT),
        (0.000305994, "0.0003", Verdict.INCOMPLETE_PRECISION),
        (0.000305994, "3.06e-4", Verdict.CORRECT),
        (0.000305994, "3.059e-4", Verdict.CORRECT),
        # Larger values: the same rule.
        (1234.5678, "1234.57", Verdict.CORRECT_ROUNDED),
        (1234.5678, "1234.5", Verdict.CORRECT_ROUNDED),
        (1234.5678, "1230", Verdict.WRONG),  # typed to the unit: 1230 is not 1234
        # Arithmetic is compared at 1e-6 relative.
        (1 / 7, "1/7", Verdict.CORRECT),
        (2 * (1 / 7 - 1), "2*(1/7 - 1)", Verdict.CORRECT),
        (J, "0.8346 + 0", Verdict.WRONG),
        (1 / 7, "0.142857 * 1", Verdict.CORRECT),  # 3e-7 relative: inside 1e-6
        (1 / 7, "0.14285 * 1", Verdict.WRONG),
        # Not an answer.
        (J, "J", Verdict.UNREADABLE),
        (J, "", Verdict.UNREADABLE),
    ],
)
def test_tolerance_rule(expected: float, typed: str, verdict: Verdict) -> None:
    """Each answer gets the verdict the stated rule gives it."""
    assert check(question(expected), typed).verdict is verdict


def test_feedback_carries_the_expected_value_and_the_learners() -> None:
    """Feedback shows the right value as the lesson prints it and what was read."""
    feedback = check(question(-0.0174927), "-0.01749")
    assert feedback.shown == "−0.0174927"
    assert feedback.expected == pytest.approx(-0.0174927)
    assert feedback.value == pytest.approx(-0.01749)
    assert feedback.solved and feedback.counted
    assert not check(question(1.0), "what").counted


def test_a_short_answer_equal_to_a_known_mistake_is_that_mistake() -> None:
    """`0` for 0.0955 when leaving a path out gives exactly 0: named, not 'too short'."""
    mistake = Candidate(Mistake.PATH_LEFT_OUT, 0.0, 2, "That leaves out a path.")
    feedback = check(question(0.095501), "0", candidates=[mistake])
    assert feedback.verdict is Verdict.WRONG
    assert feedback.diagnosis == "path_left_out"


def test_no_diagnosis_by_rounding_luck() -> None:
    """An answer whose precision covers two different mistakes names neither."""
    one = Candidate(Mistake.SIGN, 0.4121, 1, "Sign.")
    two = Candidate(Mistake.FACTOR_LEFT_OUT, 0.4124, 3, "Factor.")
    assert check(question(0.5), "0.412").diagnosis is None
    assert check(question(0.5), "0.412", candidates=[one, two]).diagnosis is None
    assert check(question(0.5), "0.4121", candidates=[one, two]).diagnosis == "sign"


def test_match_must_be_tighter_than_the_gap_to_the_right_value() -> None:
    """A typed number close to both a mistake and the right value claims no mistake."""
    near = Candidate(Mistake.SIGN, 0.5012, 1, "Sign.")
    feedback = check(question(0.5), "0.501", candidates=[near])
    assert feedback.verdict is Verdict.WRONG
    assert feedback.diagnosis is None


def test_simplest_of_equal_candidates_is_named() -> None:
    """Candidates leading to the same number: the lowest rank wins, whatever the order."""
    hard = Candidate(Mistake.SUMMED_AT_WRONG_NODE, 0.3, 4, "Hard.")
    easy = Candidate(Mistake.PATH_LEFT_OUT, 0.3, 2, "Easy.")
    assert check(question(0.5), "0.300000", candidates=[hard, easy]).diagnosis == "path_left_out"


@pytest.mark.parametrize(
    ("expected", "typed", "words"),
    [
        (0.7346938775510206, "0.7348", "only the last digit you typed is off, by one"),  # L
        (0.966247, "0.9663", "only the last digit you typed is off, by one"),
        (-0.734694, "-0.7348", "only the last digit you typed is off, by one"),
        (2.56, "2.65", "two neighbouring ones look swapped"),
        (J, "0.8436", "two neighbouring ones look swapped"),
    ],
)
def test_a_slip_in_writing_the_number_is_named_without_its_digits(
    expected: float, typed: str, words: str
) -> None:
    """A wrong last digit or two swapped neighbours: a miss, named, the value not given."""
    found = check(question(expected), typed)
    assert found.verdict is Verdict.WRONG
    assert words in found.message
    assert not any(ch.isdigit() for ch in found.message), found.message


@pytest.mark.parametrize(
    ("expected", "typed"),
    [
        (0.7346938775510206, "0.7358"),
        (0.7346938775510206, "0.5"),
        (0.7346938775510206, "0.73"),
        (0.7346938775510206, "2*0.3674"),
        (2.56, "-2.65"),  # the digits swapped and the sign lost: not a copying slip
    ],
)
def test_other_misses_are_no_slip(expected: float, typed: str) -> None:
    """Two digits off, far off, too few figures, arithmetic, a sign lost: no slip claimed."""
    found = check(question(expected), typed)
    assert "last digit" not in found.message and "swapped" not in found.message
