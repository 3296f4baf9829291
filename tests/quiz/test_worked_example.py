"""Both steps of the worked example, every quantity: right, rounded, truncated, short,
each named mistake that applies, and carried errors, with the verdict and diagnosis."""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest

from backprop_tutor.engine import load_lesson, run_lesson
from backprop_tutor.quiz import QuestionId, QuizSession, Verdict
from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.quiz.questions import Lookup, compute, engine_lookup

ID = QuestionId.parse  # the tables below write ids as text

LESSON = load_lesson("branch-merge")
TRACES = run_lesson(LESSON)
QUESTIONS = QuizSession(LESSON, TRACES, NUMBERS_ONLY).questions

# The seed walkthrough's numbers, 6 decimals (shared/seed/README.md).
SEED = {
    "1:value:u": 2,
    "1:value:h": 4,
    "1:value:v": 6,
    "1:value:p": 0.142857,
    "1:value:L": 0.734694,
    "1:value:R": 0.1,
    "1:value:J": 0.834694,
    "1:grad:v": 0.034985,
    "1:grad:d": 0.034985,
    "1:grad:c": 0.239942,
    "1:grad:b": 0.174927,
    "1:grad:a": 0.449854,
    "1:update:a": 0.955015,
    "1:update:b": -0.017493,
    "1:update:c": 0.976006,
    "1:update:d": -0.003499,
    "2:value:u": -0.017493,
    "2:value:h": 0.000306,
    "2:value:v": -0.020693,
    "2:value:p": 1.021130,
    "2:value:L": 0.000446,
    "2:value:R": 0.093232,
    "2:value:J": 0.093678,
    "2:grad:v": -0.044064,
    "2:grad:d": -0.044064,
    "2:grad:c": 0.097587,
    "2:grad:b": -0.042560,
    "2:grad:a": 0.095501,
    "2:update:a": 0.945464,
    "2:update:b": -0.013237,
    "2:update:c": 0.966247,
    "2:update:d": 0.000908,
}


def _exact(value: float) -> bool:
    return float(value).is_integer() or abs(value - round(value, 6)) < 1e-12


def _figures(value: float, figures: int, rounding: str) -> str:
    number = Decimal(repr(value))
    place = number.adjusted() - figures + 1
    return str(number.quantize(Decimal(1).scaleb(place), rounding=rounding))


def _four_figures(typed: str, expected: float) -> Verdict:
    # Within the lesson's own 6 decimals, 4 figures of a small value are simply correct.
    return Verdict.CORRECT if abs(float(typed) - expected) <= 5e-7 else Verdict.CORRECT_ROUNDED


# A 2-figure answer that is exactly a known mistake's number is named as that mistake:
# at step 2 with step 1's parameters, p = 1/(1 + 0) = 1 exactly.
SHORT_IS_A_MISTAKE = {"2:value:p": "stale_parameters"}


def _tolerance_rows() -> list[tuple[str, str, Verdict, str | None]]:
    rows: list[tuple[str, str, Verdict, str | None]] = []
    for q in QUESTIONS:
        qid = str(q.id)
        rows.append((qid, f"{q.expected:.6f}", Verdict.CORRECT, None))
        if _exact(q.expected):
            continue
        for rounding in (ROUND_HALF_UP, ROUND_DOWN):
            typed = _figures(q.expected, 4, rounding)
            rows.append((qid, typed, _four_figures(typed, q.expected), None))
        short = _figures(q.expected, 2, ROUND_HALF_UP)
        if qid in SHORT_IS_A_MISTAKE:
            rows.append((qid, short, Verdict.WRONG, SHORT_IS_A_MISTAKE[qid]))
        else:
            rows.append((qid, short, Verdict.INCOMPLETE_PRECISION, None))
    return rows


def test_every_quantity_of_the_seed_is_asked_with_its_value() -> None:
    """The questions carry the walkthrough's numbers, both steps, in the order worked."""
    by_id = {q.id: q for q in QUESTIONS}
    for qid, value in SEED.items():
        assert by_id[ID(qid)].expected == pytest.approx(value, abs=5e-7), qid
    step1 = [q.prompt for q in QUESTIONS if q.step == 1]
    assert step1[:7] == ["u = ?", "h = ?", "v = ?", "p = ?", "L = ?", "R = ?", "J = ?"]
    assert "δ = ∂J/∂v = ?" in step1
    grads = [q.node for q in QUESTIONS if q.step == 1 and q.stage == "backward"]
    assert grads == ["R", "L", "p", "v", "h", "u", "d", "c", "b", "a"]
    assert step1[-4:] == ["new a = ?", "new b = ?", "new c = ?", "new d = ?"]


@pytest.mark.parametrize(("qid", "typed", "verdict", "diagnosis"), _tolerance_rows())
def test_right_rounded_truncated_and_short(
    qid: str, typed: str, verdict: Verdict, diagnosis: str | None
) -> None:
    """Full value: correct; 4 figures rounded or truncated: correct; 2 figures: short."""
    feedback = QuizSession(LESSON, TRACES, NUMBERS_ONLY).answer(ID(qid), typed)
    assert feedback.verdict is verdict, feedback.message
    assert feedback.diagnosis == diagnosis


# (question, typed, diagnosis, words the message must contain)
MISTAKES: list[tuple[str, str, str, str]] = [
    # Sign errors: the whole value, or the minus sign of ∂p/∂v = −1/(1 + v)².
    ("1:value:J", "-0.834694", "sign", "wrong sign"),
    ("1:grad:p", "1.714286", "sign", "wrong sign"),
    ("1:grad:v", "-0.034985", "sign", "minus sign in front of ∂p/∂v = −1/(1 + v)²"),
    ("1:grad:c", "-0.039942", "local_sign", "minus sign in front of ∂p/∂v = −1/(1 + v)²"),
    ("2:grad:v", "0.044064", "sign", "∂p/∂v"),
    # A path left out: the regularization path, and each branch through u in turn.
    ("1:grad:a", "0.349854", "path_left_out", "J→R→a"),
    ("1:grad:a", "0.379883", "path_left_out", "J→L→p→v→u→a"),
    ("1:grad:a", "0.169971", "path_left_out", "J→L→p→v→h→u→a"),
    ("1:grad:u", "0.139942", "path_left_out", "J→L→p→v→u;"),
    ("1:grad:u", "0.034985", "path_left_out", "J→L→p→v→h→u"),
    ("1:grad:c", "0.139942", "path_left_out", "J→R→c"),
    ("2:grad:a", "0", "path_left_out", "J→R→a"),
    ("2:grad:c", "0.097601", "path_left_out", "J→L→p→v→c"),
    # One branch only where several merge; contributions summed at the wrong node.
    ("1:grad:a", "0.1", "one_branch_only", "through R at a"),
    ("1:grad:c", "1.034985", "summed_at_wrong_node", "at v and R"),
    ("1:grad:a", "1.174927", "summed_at_wrong_node", "at u and R"),
    # A factor left out along a path.
    ("1:grad:a", "0.274927", "factor_left_out", "∂u/∂a = x"),
    ("1:grad:v", "-0.020408", "factor_left_out", "∂L/∂p = 2·(p − y)"),
    ("1:grad:v", "-1.714286", "factor_left_out", "∂p/∂v = −1/(1 + v)²"),
    ("1:grad:u", "0.069971", "factor_left_out", "∂h/∂u = 2·u"),
    # Factor-2 slips in the power rule: u² → u, and λ/2·a² → λ·a/2 or 2λ·a.
    ("1:grad:u", "0.104956", "power_rule_slip", "∂h/∂u = 2·u"),
    ("1:grad:a", "0.399854", "power_rule_slip", "∂R/∂a = λ·a"),
    ("1:grad:a", "0.549854", "power_rule_slip", "∂R/∂a = λ·a"),
    ("1:grad:p", "-0.857143", "power_rule_slip", "∂L/∂p"),
    # Update errors.
    ("1:update:a", "1.044985", "update_plus", "a − η·∂J/∂a"),
    ("1:update:a", "0.550146", "update_no_rate", "η = 0.1"),
    ("1:update:a", "0.965015", "update_data_only", "J→R→a"),
    ("1:update:c", "0.986006", "update_data_only", "J→R→c"),
    ("2:update:a", "0.955015", "update_data_only", "J→R→a"),
    ("2:update:b", "-0.021749", "update_plus", "b − η·∂J/∂b"),
    ("2:update:d", "-0.007905", "update_plus", "d − η·∂J/∂d"),
    # Stale numbers at step 2: step 1's values, parameters or input.
    ("2:value:u", "2", "stale_step", "x = 0"),
    ("2:value:u", "0", "stale_parameters", "a, b, c and d as step 1's update left them"),
    ("2:value:u", "1.892536", "stale_inputs", "x = 2"),
    ("2:value:p", "0.142857", "stale_step", "step 1"),
    ("2:grad:a", "0.449854", "stale_step", "step 1"),
    ("2:update:a", "0.990450", "stale_parameters", "before step 1's update"),
]


@pytest.mark.parametrize(("qid", "typed", "diagnosis", "words"), MISTAKES)
def test_named_mistakes(qid: str, typed: str, diagnosis: str, words: str) -> None:
    """Each mistake is named, with the path or factor, and the right value is not given away."""
    session = QuizSession(LESSON, TRACES, NUMBERS_ONLY)
    feedback = session.answer(ID(qid), typed)
    assert feedback.verdict is Verdict.WRONG
    assert feedback.diagnosis == diagnosis, feedback.message
    assert words in feedback.message
    assert not re.search(rf"(?<![\d.]){re.escape(feedback.shown)}(?![\d])", feedback.message)
    assert "right value" not in feedback.message


# (answers given first, question, typed, verdict, words the message must contain)
CARRIED: list[tuple[list[tuple[str, str]], str, str, str]] = [
    ([("1:value:u", "3")], "1:value:h", "9", "Right for your own u, so the method is correct"),
    ([("1:value:u", "3")], "1:value:h", "9", "your u was not right: go back to that question"),
    ([("1:value:h", "5")], "1:value:v", "7", "Right for your own h"),
    ([("1:value:p", "0.1429")], "1:value:L", "0.73462", "Right given your rounding of p"),
    ([("1:value:p", "0.15")], "1:value:L", "0.7225", "Right for your own p"),
    # L right given the rounded p: J built on that L says to carry digits, not that L was
    # wrong (L's own row says it was right).
    (
        [("1:value:p", "0.1429"), ("1:value:L", "0.73462")],
        "1:value:J",
        "0.83462",
        "Right given your rounding of L",
    ),
    # δ from the learner's p and v, even without their ∂J/∂p.
    ([("1:value:p", "0.15")], "1:grad:v", "0.034694", "Right for your own p"),
    ([("1:grad:v", "0.035")], "1:grad:d", "0.035", "Right given your rounding of δ"),
    ([("1:grad:h", "0.04")], "1:grad:u", "0.194985", "Right for your own ∂J/∂h"),
    ([("1:grad:u", "0.3")], "1:grad:a", "0.7", "Right for your own ∂J/∂u"),
    ([("1:grad:a", "0.5")], "1:update:a", "0.95", "Right for your own ∂J/∂a"),
    (
        [("1:update:a", "0.955"), ("1:update:b", "-0.0175")],
        "2:value:u",
        "-0.017500",
        "your rounding of step 1's new a and step 1's new b",
    ),
    ([("1:update:c", "0.98")], "2:value:R", "0.093622", "your rounding of step 1's new c"),
    ([("2:value:p", "1.02")], "2:grad:p", "0.04", "Right given your rounding of p"),
    ([("2:value:p", "1.1")], "2:grad:p", "0.2", "Right for your own p"),
]


@pytest.mark.parametrize(("before", "qid", "typed", "words"), CARRIED)
def test_carried_errors(before: list[tuple[str, str]], qid: str, typed: str, words: str) -> None:
    """An answer right for the learner's own earlier numbers is method-correct, and says so."""
    session = QuizSession(LESSON, TRACES, NUMBERS_ONLY)
    for earlier, text in before:
        session.answer(ID(earlier), text)
    feedback = session.answer(ID(qid), typed)
    assert feedback.verdict is Verdict.METHOD_CORRECT_CARRIED, feedback.message
    assert feedback.diagnosis is None
    assert feedback.solved
    assert words in feedback.message
    assert feedback.carried_from
    # Neither the learner's earlier value nor the engine's is given: no "= number".
    assert not re.search(r"=\s*[−-]?\d", feedback.message), feedback.message


def _carried_rows() -> list[tuple[str, str, float, float]]:
    """For every question that builds on another: one input answered wrong, then carried."""
    rows = []
    for q in QUESTIONS:
        trace = TRACES[q.step - 1]
        engine = engine_lookup(trace)
        for dep in q.depends_on:
            wrong = engine(dep) + 0.25

            def lookup(
                qid: QuestionId,
                dep: QuestionId = dep,
                wrong: float = wrong,
                engine: Lookup = engine,
            ) -> float:
                return wrong if qid == dep else engine(qid)

            value = compute(q, trace, lookup)
            # An input that barely moves the result (c·h with h ≈ 0.0003) cannot show.
            if abs(value - q.expected) > 1e-3 * max(1.0, abs(q.expected)):
                rows.append((str(q.id), str(dep), wrong, value))
                break
    return rows


@pytest.mark.parametrize(("qid", "dep", "wrong", "value"), _carried_rows())
def test_every_quantity_accepts_a_carried_error(
    qid: str, dep: str, wrong: float, value: float
) -> None:
    """Each quantity, with one of its inputs answered wrong, is checked against that input."""
    session = QuizSession(LESSON, TRACES, NUMBERS_ONLY)
    # Everything before it answered in order, right, except the one input.
    for earlier in session.questions:
        if earlier.id == ID(qid):
            break
        session.answer(earlier.id, repr(wrong) if earlier.id == ID(dep) else repr(earlier.expected))
    feedback = session.answer(ID(qid), f"{value:.8g}")
    assert feedback.verdict is Verdict.METHOD_CORRECT_CARRIED, feedback.message
    assert ID(dep) in feedback.carried_from


def test_every_question_with_inputs_has_a_carried_row() -> None:
    """Every question that builds on an earlier one is in the generated carried rows."""
    covered = {row[0] for row in _carried_rows()}
    assert covered == {str(q.id) for q in QUESTIONS if q.depends_on}
