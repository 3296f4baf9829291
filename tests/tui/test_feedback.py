"""Feedback on screen (issue 11): step and lesson ends, the step keys at the edges, parts."""

from __future__ import annotations

from textual.pilot import Pilot

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.app import TutorApp
from backprop_tutor.tui.widgets.ending import Ending
from backprop_tutor.tui.widgets.part_rows import PartRow, PartsBlock
from backprop_tutor.tui.widgets.status_line import StatusLine

from .helpers import STEP1_ANSWERS, record_notes, settle, short, tutor, type_answer

SIZE = (120, 40)


def status(app: TutorApp) -> str:
    """The status line as text."""
    return str(tutor(app).query_one(StatusLine).render())


async def answer_step_one(pilot: Pilot[None]) -> None:
    """Every quantity of step 1, right, in the quiz's order."""
    for text in STEP1_ANSWERS.values():
        await type_answer(pilot, text)


async def reveal_step(pilot: Pilot[None], count: int) -> None:
    """Show every quantity of the current step (ctrl+r on each in turn)."""
    for _ in range(count):
        await pilot.press("ctrl+r")
        await settle(pilot)


async def test_the_end_of_step_one_says_what_changed_and_what_comes_next() -> None:
    """At 21/21 the quiz writes the step's end under its rows; the status line says so."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        assert screen.quiz_panel.ending is None
        await answer_step_one(pilot)
        ending = screen.quiz_panel.ending
        assert ending is not None
        text = ending.plain
        assert text.startswith("Step 1 of 2 is done.")
        assert "J goes from 0.834694 to 0.804518" in text
        assert "a 1 → 0.955015" in text and "d 0 → −0.00349854" in text
        assert "Next: step 2, with x = 0. Press F8 for step 2." in text
        assert "is done.\n\n" not in text  # no lesson end yet: step 2 is open
        assert app.focused is ending
        assert "step 1 done, F8: step 2" in status(app)
        # F8 goes on; step 2 has no ending yet; F7 brings step 1's back.
        await pilot.press("f8")
        await settle(pilot)
        assert screen.quiz_panel.ending is None
        assert "done" not in status(app)
        await pilot.press("f7")
        await settle(pilot)
        ending = screen.quiz_panel.ending
        assert ending is not None and ending.plain.startswith("Step 1 of 2 is done.")


async def test_the_lesson_end_gives_takeaways_counts_and_opens_the_next_lesson() -> None:
    """Both steps done: the lesson's takeaways, its counts, and Enter opens the next lesson."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        await answer_step_one(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await reveal_step(pilot, len(screen.state.questions))
        ending = screen.quiz_panel.ending
        assert ending is not None
        text = ending.plain
        assert text.startswith("Step 2 of 2 is done.")
        assert "That was the last step." in text
        assert "Branch and merge is done." in text
        for takeaway in screen.lesson.text.takeaways:
            assert f"• {takeaway}" in text
        assert "Of 42 questions: 21 right at the first try" in text and "21 revealed" in text
        end = screen.state.lesson_end
        assert end is not None and end.next_lesson is not None
        assert f"Next lesson: {end.next_lesson.title}. Press Enter here to open it" in text
        assert status(app).count("lesson done") == 1
        assert app.focused is ending
        await pilot.press("enter")
        await settle(pilot)
        assert tutor(app).lesson.name == end.next_lesson.name


async def test_the_last_step_says_earlier_steps_are_still_open() -> None:
    """Step 2 done before step 1: its end says so and points F7 back; no lesson end yet."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        await pilot.press("f8")
        await settle(pilot)
        await reveal_step(pilot, len(screen.state.questions))
        ending = screen.quiz_panel.ending
        assert ending is not None
        assert "Step 1 still has open questions: F7 goes back." in ending.plain
        assert "is done.\n\n" not in ending.plain
        assert "step 2 done" in status(app)


async def test_f8_on_the_last_step_and_f7_on_the_first_say_so() -> None:
    """The step keys at the ends of the lesson say why nothing moved."""
    app = make_app(plan=NUMBERS_ONLY)
    notes = record_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        await pilot.press("f7")
        await settle(pilot)
        assert screen.position.step == 0
        assert notes[-1] == "This is the first step (step 1 of 2); F8 goes on to step 2."
        await pilot.press("f8")
        await settle(pilot)
        assert screen.position.step == 1
        assert len(notes) == 1
        await pilot.press("f8")
        await settle(pilot)
        assert screen.position.step == 1
        assert notes[-1] == "This is the last step (step 2 of 2); F7 goes back to step 1."


async def reach_grad_u(pilot: Pilot[None]) -> None:
    """Answer step 1 up to ∂J/∂u, which is then the focused row."""
    for key, text in STEP1_ANSWERS.items():
        if key == "grad:u":
            break
        await type_answer(pilot, text)


async def clear_and_type(pilot: Pilot[None], text: str) -> None:
    """Empty the focused input (a wrong answer is kept), type, press Enter."""
    await pilot.press("ctrl+u")
    await type_answer(pilot, text)


async def parts_of_u(pilot: Pilot[None]) -> PartsBlock:
    """Two misses at ∂J/∂u, then `parts`: the rows of its breakdown."""
    await reach_grad_u(pilot)
    await clear_and_type(pilot, "0.5")
    await clear_and_type(pilot, "0.6")
    await clear_and_type(pilot, "parts")
    return tutor(pilot.app).quiz_panel.query_one(PartsBlock)  # type: ignore[arg-type]


async def test_breaking_a_merge_down_after_two_misses() -> None:
    """Two misses at ∂J/∂u: offered; `parts` opens a row per part, each checked; then back."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        panel = screen.quiz_panel
        await reach_grad_u(pilot)
        row = panel.rows[12]
        assert short(row.question) == "grad:u"
        await clear_and_type(pilot, "0.5")
        assert "smaller parts" not in row.feedback_text
        await clear_and_type(pilot, "0.034985")  # the path through h left out
        assert "That leaves out the path" in row.feedback_text
        assert "worked out in 2 smaller parts: type parts and Enter" in row.feedback_text
        await clear_and_type(pilot, "parts")
        assert row.input.value == "0.034985"  # the word taken, the answer kept
        block = panel.query_one(PartsBlock)
        parts = block.rows
        assert len(parts) == 2
        assert "∂J/∂u is the sum of these parts" in str(block.query_one(".parts-how").render())
        assert app.focused is parts[0].input
        # The part through h without its gradient: named, not told.
        await type_answer(pilot, "4")
        assert parts[0].status == "wrong"
        assert parts[0].feedback_text.startswith("The gradient at h is missing")
        assert "0.139942" not in parts[0].feedback_text
        await clear_and_type(pilot, "0.139942")
        assert parts[0].status == "right", (parts[0].input.value, parts[0].feedback_text)
        assert app.focused is parts[1].input
        await type_answer(pilot, "-0.034985")
        assert parts[1].feedback_text == "That has the wrong sign."
        await clear_and_type(pilot, "0.034985")
        # Both parts in: back at the question, the learner's parts on screen.
        assert app.focused is row.input
        recap = row.feedback_text
        assert recap.startswith("Your parts: ∂J/∂h·∂h/∂u = 0.139942, δ·∂v/∂u = 0.034985.")
        assert recap.endswith("Now ∂J/∂u = ?")
        await clear_and_type(pilot, "0.174927")
        assert row.status == "right"
        assert screen.state.session.summary().scaffolded == 1


async def test_a_part_can_be_shown_and_hinted() -> None:
    """ctrl+g in a part says what the part is; ctrl+r shows it, marked as shown."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = (await parts_of_u(pilot)).rows[0]
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert first.feedback_text.startswith("the part through h:")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert first.status == "revealed"
        assert first.feedback_text == "Shown: ∂J/∂h·∂h/∂u = 0.139942."
        assert first.input.disabled


async def test_parts_stay_when_the_learner_steps_away_and_back() -> None:
    """F8 then F7: the breakdown's rows come back under their question, as answered."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = tutor(app).quiz_panel
        await parts_of_u(pilot)
        await type_answer(pilot, "0.139942")
        await pilot.press("f8")
        await settle(pilot)
        assert not panel.query(PartRow)
        await pilot.press("f7")
        await settle(pilot)
        parts = panel.query_one(PartsBlock).rows
        assert [p.status for p in parts] == ["right", "open"]
        assert parts[0].input.value == "0.139942"
        assert isinstance(panel.children[13], PartsBlock)  # right under ∂J/∂u
        assert not isinstance(panel.children[-1], Ending)
