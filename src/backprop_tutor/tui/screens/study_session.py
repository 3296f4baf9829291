"""The study screen: one planned question at a time on the exercise's graph, with a progress bar."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, ProgressBar, Static

from backprop_tutor.quiz import Question
from backprop_tutor.quiz.typed_kinds import is_typed, withheld
from backprop_tutor.quiz.words import STAGE_TITLES
from backprop_tutor.study.progress import CannotSave, ProgressError
from backprop_tutor.study.session import StudySession
from backprop_tutor.study.words import COMES_BACK

from .. import deferred, keymap
from ..graph_view import GraphState, GraphView
from ..stepper import Position, Revealed
from ..widgets.answer_input import AnswerInput
from ..widgets.graph_panel import GraphPanel
from ..widgets.path_panel import PathPanel, PathRequest
from .help import HelpScreen, help_rows

# What `_guarded` runs: names of acts, never text an answer could be.
_HINT, _REVEAL, _ANSWER = "hint", "reveal", "answer"

# Why F7 and F8 do not step here: the session's questions are the scheduler's pick.
NO_STEPS = (
    "Self-study asks only the questions that are due, in the order they were planned,"
    " so there are no steps to move through. To step through the lesson, run"
    " `backprop-tutor --lesson {lesson}`."
)


class StudyScreen(Screen[None]):
    """Ask the session's questions in turn; every finished one is saved at once."""

    DEFAULT_CSS = """
    StudyScreen { layout: vertical; }
    #study-status { height: 1; padding: 0 1; background: $panel; color: $foreground; }
    #study-progress { height: 1; padding: 0 1; }
    #study-progress Bar { width: 1fr; }
    #study-lower { height: 1fr; min-height: 8; }
    #study-question {
        width: 56;
        border: round $primary;
        border-title-color: $text-primary;
        padding: 0 1;
    }
    #study-where { color: $text-primary; text-style: bold; }
    #study-givens { color: $foreground-muted; margin-bottom: 1; }
    #study-line { height: 1; }
    #study-prompt { padding-right: 1; text-style: bold; }
    #study-answer { width: 1fr; height: 1; border: none; padding: 0 1; background: $boost; }
    #study-feedback { margin-top: 1; }
    #study-last { color: $foreground-muted; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *keymap.QUESTION_KEYS,
        # The tutor's step keys, kept out of the footer: here they only say why not.
        *(replace(binding, show=False) for binding in keymap.STEP_KEYS),
    ]

    class Finished(Message):
        """Every planned question has been answered."""

    def __init__(self, study: StudySession) -> None:
        """A screen over a session that is already open (and saved)."""
        super().__init__()
        self.study = study
        self._views: dict[int, GraphView] = {}
        self._path: tuple[str, ...] = ()

    # -- accessors

    @property
    def graph_panel(self) -> GraphPanel:
        """The exercise's graph."""
        return self.query_one(GraphPanel)

    @property
    def path_panel(self) -> PathPanel:
        """The paths of the question's node."""
        return self.query_one(PathPanel)

    @property
    def answer_input(self) -> Input:
        """Where the learner types."""
        return self.query_one("#study-answer", Input)

    @property
    def progress_bar(self) -> ProgressBar:
        """Questions finished out of the session's total."""
        return self.query_one("#study-progress", ProgressBar)

    def view(self, step: int) -> GraphView:
        """The graph laid out with a step's numbers (0-based step)."""
        if step not in self._views:
            self._views[step] = GraphView(self.study.lesson.graph, self.study.traces[step])
        return self._views[step]

    # -- layout

    def compose(self) -> ComposeResult:
        """Status, progress bar, graph, then paths beside the question."""
        yield Static(id="study-status")
        yield ProgressBar(id="study-progress", show_eta=False)
        yield GraphPanel(self.view(0), id="graph")
        with Horizontal(id="study-lower"):
            yield PathPanel(id="paths")
            with Vertical(id="study-question"):
                yield Static(id="study-where")
                yield Static(id="study-givens")
                with Horizontal(id="study-line"):
                    yield Label(id="study-prompt")
                    answer = AnswerInput(id="study-answer", placeholder="your answer, then Enter")
                    answer.answered = self._answered  # checked in the order keys come
                    yield answer
                yield Static(id="study-feedback")
                yield Static(id="study-last")
        yield Footer()

    def on_mount(self) -> None:
        """Show the current question and put focus in the answer box."""
        self.title = f"Self-study: {self.study.lesson.title}"
        self.query_one("#study-question").border_title = "Question"
        self._show_question()
        self.answer_input.focus()

    # -- showing

    def _known(self, question: Question) -> Revealed:
        """The quantities of the question's step that come before it: given, so shown."""
        earlier = self.study.quiz.questions_for(question.step)
        before = earlier[: earlier.index(question)]
        graph = self.study.lesson.graph
        leaves = (*graph.inputs, *graph.constants, *graph.parameters)
        values = frozenset(leaves) | {q.node for q in before if q.kind.value == "value"}
        grads = frozenset(q.node for q in before if q.kind.value == "grad")
        updated = frozenset(q.node for q in before if q.kind.value == "update")
        return Revealed(values, grads, updated, question.node)

    def _show_question(self) -> None:
        study = self.study
        question = study.current
        self.progress_bar.update(total=study.total, progress=study.done)
        status = Text()
        status.append(study.lesson.title, style="bold")
        status.append(f" │ exercise {study.seed} │ question {study.number}")
        status.append(f" of {study.total}")
        if study.resumed:
            status.append(" │ resumed")
        self.query_one("#study-status", Static).update(status)
        if question is None:
            return
        step = question.step - 1
        self.graph_panel.set_view(self.view(step))
        self._fit()
        known = self._known(question)
        self._path = ()
        self._draw_graph(question, known)
        request = PathRequest(
            study.traces[step], question.node, Position(step, question.stage, 0), known
        )
        why = self._held_back(question, question.node)
        if why is None:
            self.path_panel.show(request)
        else:
            self.path_panel.withhold(request, why)
        stage = STAGE_TITLES.get(question.stage, question.stage)
        self.query_one("#study-where", Static).update(
            f"Step {question.step} of {len(study.traces)} · {stage.lower()}"
        )
        givens = study.givens(question)
        given_text = ", ".join(f"{label} = {value}" for label, value in givens)
        self.query_one("#study-givens", Static).update(
            f"Given: {given_text}" if given_text else "Nothing to hand over: start from scratch."
        )
        self.query_one("#study-prompt", Label).update(question.prompt)
        self.answer_input.value = ""
        self.query_one("#study-feedback", Static).update(
            f"Enter checks. {keymap.HINT.key}: a hint. {keymap.REVEAL.key}: show the value. "
            f"{keymap.HELP.key.upper()}: every key."
        )

    def _fit(self) -> None:
        # Rows left for the graph once status, bar, question box and footer have theirs.
        self.graph_panel.fit(self.size.width - 4, max(self.size.height - 20, 6))

    def on_resize(self, event: events.Resize) -> None:
        """Draw the graph, or its compact list, to suit the new size."""
        self._fit()

    def _draw_graph(self, question: Question, known: Revealed) -> None:
        self.graph_panel.state = GraphState(
            values=known.values,
            grads=known.grads,
            updated=known.updated,
            selected=question.node,
            current=question.node,
            path=self._path,
        )

    def _say(self, text: str) -> None:
        self.query_one("#study-feedback", Static).update(text)

    def _next(self, last: str) -> None:
        """Move on after a finished question: the next one, or the summary."""
        self.query_one("#study-last", Static).update(last)
        if self.study.finished:
            self.progress_bar.update(total=self.study.total, progress=self.study.done)
            self.post_message(self.Finished())
            return
        self._show_question()

    # -- acting

    def _guarded(self, act: str, text: str = "") -> None:
        """Run a hint, a reveal or an answer (`text`); a failed save is reported, and the
        session goes on."""
        study = self.study
        question = study.current
        if question is None:
            return
        before = study.done
        try:
            if act == _HINT:
                self._say(study.hint().message)
                return
            if act == _REVEAL:
                shown = study.reveal()
                self._next(f"Shown: {shown.message} {COMES_BACK}")
                return
            feedback = study.answer(text)
        except CannotSave as problem:
            self.notify(
                f"Not saved: {problem}. It will be saved with your next answer.",
                severity="error",
                timeout=10,
            )
            if study.done != before:
                self._next("")
            return
        except ProgressError as problem:
            self.notify(f"Not saved: {problem}.", severity="error", timeout=10)
            return
        if study.done != before:
            self._next(f"✓ {feedback.message}")
        else:
            self._say(feedback.message)

    @on(Input.Submitted, "#study-answer")
    def _submitted(self, event: Input.Submitted) -> None:
        """Check the typed answer (the submit action's route)."""
        self._answered(event.value)

    def _answered(self, value: str) -> None:
        """Check the typed answer; `?` and `!` are answer text here, as in the tutor."""
        if value.strip():
            self._guarded(_ANSWER, value)

    def action_help(self) -> None:
        """Open the help screen with this screen's keys and the app's."""
        rows = help_rows(list(self.BINDINGS), self.app.BINDINGS)
        deferred.track(self, self.app.push_screen(HelpScreen(rows)))

    def action_hint(self) -> None:
        """Show the next hint."""
        self._guarded(_HINT)

    def action_reveal(self) -> None:
        """Show the value; counted as missed, so the skill comes back."""
        self._guarded(_REVEAL)

    def action_prev_step(self) -> None:
        """Say why self-study has no steps to go back through."""
        self._no_steps()

    def action_next_step(self) -> None:
        """Say why self-study has no steps to go on to."""
        self._no_steps()

    def _no_steps(self) -> None:
        self.notify(NO_STEPS.format(lesson=self.study.plan.lesson), timeout=8)

    # -- panels talking

    def _held_back(self, question: Question, node: str) -> str | None:
        """Why the paths of `node` wait: the current question asks for them, or they would
        give part of its answer away (its formula's factors, its local derivative)."""
        if not is_typed(question):
            return None
        return withheld(self.study.quiz, question.step, node, question.id, only_at=True)

    @on(GraphPanel.NodeSelected)
    def _node_selected(self, event: GraphPanel.NodeSelected) -> None:
        """Show the paths of a node the learner picked."""
        question = self.study.current
        if question is None:
            return
        step = question.step - 1
        known = self._known(question)
        request = PathRequest(
            self.study.traces[step], event.name, Position(step, "backward", 0), known
        )
        why = self._held_back(question, event.name)
        if why is None:
            self.path_panel.show(request)
        else:
            self.path_panel.withhold(request, why)

    @on(PathPanel.PathChosen)
    def _path_chosen(self, event: PathPanel.PathChosen) -> None:
        """Light up the chosen path in the graph."""
        question = self.study.current
        if question is None:
            return
        self._path = event.nodes
        self._draw_graph(question, self._known(question))
