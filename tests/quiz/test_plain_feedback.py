"""Both steps of branch-merge in plain mode, with the issue's mistakes: named, never told.

The transcript is read back: no feedback to a wrong answer holds the right value, v = 4
is named, breaking ∂J/∂u down is offered after two misses and checks each part, and the
step's and the lesson's ends are said.
"""

from __future__ import annotations

import io

from backprop_tutor.engine import format_number, load_lesson, run_lesson
from backprop_tutor.plain.quiz import run_plain
from backprop_tutor.quiz import QuestionId, QuizSession
from backprop_tutor.quiz.plan import lesson_plan
from backprop_tutor.quiz.words import BREAK_DOWN

LESSON = load_lesson("branch-merge")
TRACES = run_lesson(LESSON)
ID = QuestionId.parse

# Wrong answers typed before the right one, per question (the issue's slips).
MISTAKES: dict[str, list[str]] = {
    "1:value:v": ["4"],  # u left out of c·h + u + d
    "1:grad:v": ["-0.034985"],  # a sign slip in δ
    "1:grad:u": ["0.139942", "0.03"],  # one branch left out, then a guess: the offer comes
    "1:update:a": ["1.044985"],  # + in the update
    "2:value:u": ["2"],  # step 1's number
    "2:grad:a": ["0"],  # the regularization path left out
}
# Answers to ∂J/∂u's parts, once broken down: one part wrong first.
PARTS = ["0.5", "0.1399416", "0.034985"]


def _transcript() -> tuple[str, list[tuple[str, str, list[str]]]]:
    """Run both steps; the output and, per answer, (question id, typed, feedback lines)."""
    session = QuizSession(LESSON, TRACES, lesson_plan(LESSON))
    typed: list[tuple[str, str]] = []
    for q in session.questions:
        for wrong in MISTAKES.get(str(q.id), []):
            typed.append((str(q.id), wrong))
        if str(q.id) == "1:grad:u":
            typed.append((str(q.id), BREAK_DOWN))
            typed += [(str(q.id), part) for part in PARTS]
        right = q.typed or repr(q.expected)
        typed.append((str(q.id), right))
    out = io.StringIO()
    assert run_plain(LESSON, io.StringIO("".join(f"{t}\n" for _, t in typed)), out) == 0
    text = out.getvalue()
    # Split the output at each echoed answer: a prompt ends with "? typed".
    blocks: list[tuple[str, str, list[str]]] = []
    rest = text
    for qid, answer in typed:
        marker = f"? {answer}\n"
        head, found, rest = rest.partition(marker)
        assert found, (qid, answer)
        if blocks:
            blocks[-1][2].extend(head.splitlines())
        blocks.append((qid, answer, []))
    blocks[-1][2].extend(rest.splitlines())
    return text, blocks


TEXT, BLOCKS = _transcript()


def _feedback(qid: str, answer: str) -> list[str]:
    return next(lines for q, a, lines in BLOCKS if q == qid and a == answer)


def test_no_feedback_to_a_wrong_answer_holds_the_right_value() -> None:
    """Every wrong answer's feedback: its verdict, maybe the mistake, never the value."""
    checked = 0
    for qid, wrongs in MISTAKES.items():
        expected = QuizSession(LESSON, TRACES).question(ID(qid)).expected
        for wrong in wrongs:
            lines = [line for line in _feedback(qid, wrong) if line.startswith("  ")]
            assert lines, (qid, wrong)
            for line in lines:
                assert format_number(expected) not in line, (qid, line)
                assert f"{expected:.6f}".replace("-", "−") not in line, (qid, line)
                assert "right value" not in line
            checked += 1
    assert checked == sum(len(w) for w in MISTAKES.values())


def test_v_equal_4_is_named() -> None:
    """u left out of c·h + u + d is named as a term left out."""
    assert _feedback("1:value:v", "4")[0] == "  That leaves out u; v = c·h + u + d."


def test_the_issues_backward_and_update_slips_are_named() -> None:
    """A sign slip in δ, one branch at u, + in the update, step 1's u, a path at step 2."""
    assert "sign" in _feedback("1:grad:v", "-0.034985")[0]
    assert "leaves out the path" in _feedback("1:grad:u", "0.139942")[0]
    assert "steps up the gradient" in _feedback("1:update:a", "1.044985")[0]
    assert "step 1's number" in _feedback("2:value:u", "2")[0]
    assert "J→R→a" in _feedback("2:grad:a", "0")[0]


def test_breaking_down_is_offered_after_two_misses_and_checks_each_part() -> None:
    """After the second miss at ∂J/∂u: the offer; taken, each part checked, then the recap."""
    first = _feedback("1:grad:u", "0.139942")
    assert not any(BREAK_DOWN in line for line in first)  # not after one miss
    second = _feedback("1:grad:u", "0.03")
    assert any(f"type {BREAK_DOWN}" in line for line in second)
    taken = _feedback("1:grad:u", BREAK_DOWN)
    assert taken[0] == "  In parts: ∂J/∂u is the sum of these parts."
    assert taken[1] == "  the part through h, ∂J/∂h·∂h/∂u = "  # its answer follows
    wrong_part = _feedback("1:grad:u", "0.5")
    assert wrong_part[0].startswith("    Not right yet")
    assert "0.139942" not in wrong_part[0]
    assert _feedback("1:grad:u", "0.1399416")[0] == "    Correct: ∂J/∂h·∂h/∂u = 0.139942."
    recap = _feedback("1:grad:u", "0.034985")
    assert recap[0] == "    Correct: δ·∂v/∂u = 0.0349854."
    assert recap[1] == (
        "  Your parts: ∂J/∂h·∂h/∂u = 0.1399416, δ·∂v/∂u = 0.034985. "
        "∂J/∂u is the sum of these parts. Now ∂J/∂u = ?"
    )


def test_step_and_lesson_ends_are_said() -> None:
    """Each step's end says what changed and what is next; the lesson's end sums it up."""
    lines = TEXT.splitlines()
    assert "Step 1 of 2 is done." in lines
    assert "Next: step 2, with x = 0." in lines
    assert "Step 2 of 2 is done." in lines
    assert "That was the last step." in lines
    assert "Branch and merge is done." in lines
    end = lines.index("Branch and merge is done.")
    assert lines[end + 1] == "What to take away:"
    for takeaway in LESSON.text.takeaways:
        assert f"  • {takeaway}" in lines[end:]
    counts = next(line for line in lines[end:] if line.startswith("Of 53 questions:"))
    assert "1 worked through step by step, 0 revealed" in counts
    assert any(line.startswith("Next lesson: ") for line in lines[end:])
    assert "Worked through in parts" not in TEXT
    assert "1 worked through in parts)." in TEXT
