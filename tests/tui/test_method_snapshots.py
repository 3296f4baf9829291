"""The app asking the lesson's plan (as the command line opens it): a path question and a
formula question answered in the quiz panel, with their feedback; the path panel holds
a node's paths back while the quiz asks for them."""

from __future__ import annotations

from textual.pilot import Pilot

from backprop_tutor.tui import make_app

from .helpers import settle, short, tutor, type_answer

SIZE = (120, 40)
PATHS = [
    "J L p v u a; J L p v h u a; J R a",
    "J L p v u b; J L p v h u b",
    "J L p v c; J R c",
    "J L p v d",
]
VALUES = ["2", "4", "6", "1/7", "0.734694", "0.1", "0.834694"]
LOCALS = ["2*u", "1"]
FORMULAS = ["2*(p - y)*(-1/(1 + v)^2)", "delta", "delta*h + lambda*c", "delta*(2*c*u + 1)"]


async def _answer(pilot: Pilot[None], answers: list[str]) -> None:
    for text in answers:
        await type_answer(pilot, text)


async def _paths_missing_one(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await type_answer(pilot, "J L p v u a; J L p v h u a")


async def _formula_without_lambda(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await _answer(pilot, PATHS + VALUES + LOCALS + FORMULAS)
    await type_answer(pilot, "delta*(2*c*u + 1)*x")


class TestMethodSnapshots:
    """The two new kinds of question with their feedback."""

    def test_path_question_with_the_regularization_path_missing(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """The route through R named; a's paths held back in the path panel."""
        app = make_app(method=True)
        assert snap_compare(app, terminal_size=SIZE, run_before=_paths_missing_one)

    def test_formula_question_without_the_regularization_term(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """∂J/∂a without λ·a: the path J→R→a named, never the formula."""
        app = make_app(method=True)
        assert snap_compare(app, terminal_size=SIZE, run_before=_formula_without_lambda)


async def test_paths_are_held_back_until_the_path_question_is_answered() -> None:
    """While a's paths, then its formula, are open the panel lists nothing; then all three."""
    app = make_app(method=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        rows = screen.quiz_panel.rows
        assert [short(r.question) for r in rows[:4]] == [f"paths:{n}" for n in "abcd"]
        assert screen.path_panel.paths == []
        assert "asked in the quiz" in str(screen.path_panel.summary.render())
        await type_answer(pilot, "J L p v u a; J R a")  # the worked example's grain
        assert rows[0].status == "right"
        screen.show_paths_of("a")
        await settle(pilot)
        assert screen.path_panel.paths == []
        assert "∂J/∂a is asked as a formula in the quiz" in str(screen.path_panel.summary.render())
        formula = next(r.question for r in rows if short(r.question) == "formula:a")
        screen.state.reveal(formula)
        await settle(pilot)
        assert len(screen.path_panel.paths) == 3


async def test_the_numbers_only_app_is_unchanged() -> None:
    """Without the plan (make_app's default) the quiz still starts at u."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert short(tutor(app).quiz_panel.rows[0].question) == "value:u"
