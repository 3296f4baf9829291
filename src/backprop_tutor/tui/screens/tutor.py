"""The main screen: graph, gradient paths and quiz for one lesson, and the stepping keys."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget

from backprop_tutor.engine import Lesson, StepTrace, run_lesson
from backprop_tutor.engine.numbers import format_number
from backprop_tutor.quiz.plan import QuizPlan
from backprop_tutor.quiz.words import STAGE_TITLES
from backprop_tutor.study.tutor_saves import LessonSaves

from .. import deferred, fit, keymap
from ..graph_view import GraphView
from ..notes import note, stage_text
from ..path_pick import Picked
from ..saved_state import SavedState
from ..stepper import Position
from ..widgets.answer_input import AnswerInput
from ..widgets.graph_panel import GraphPanel
from ..widgets.key_footer import KeyFooter
from ..widgets.lesson_text import LessonText
from ..widgets.path_panel import PathPanel, PathRequest
from ..widgets.quiz_panel import QuizPanel
from ..widgets.status_line import StatusLine
from ..widgets.too_small import TooSmall
from .styled_once import StyledOnce

PANEL_KEYS = Binding.Group("next / previous panel")


class TutorScreen(deferred.HoldsFrames, StyledOnce):
    """One lesson: the panels render a `TutorState`; the screen routes between them."""

    # No focus before on_mount puts it in the quiz: Textual's auto-focus would give it to
    # the graph first (a key typed then went there), and each move restyles the panels.
    AUTO_FOCUS = ""
    # Textual repaints the whole screen when the focus moves (every right answer); the
    # widgets whose look depends on the focus are restyled and repainted on their own.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    BINDINGS: ClassVar[list[BindingType]] = [
        *keymap.QUESTION_KEYS,
        *keymap.STEP_KEYS,
        # Listed by the help screen (F1); the footer keeps to the keys above at 80 columns.
        Binding("ctrl+n", "next", "Next", show=False, tooltip="One node on in the current pass"),
        Binding("ctrl+b", "back", "Back", show=False, tooltip="One node back"),
        Binding(
            "ctrl+l",
            "end_of_pass",
            "End of pass",
            show=False,
            tooltip="Jump to the end of this pass",
        ),
        Binding(
            "ctrl+t", "toggle_text", "Text", show=False, tooltip="Hide or show the lesson text"
        ),
        Binding("tab", "panel(1)", "Next panel", show=False, group=PANEL_KEYS),
        Binding("shift+tab", "panel(-1)", "Previous panel", show=False, group=PANEL_KEYS),
    ]

    def __init__(
        self, lesson: Lesson, saves: LessonSaves | None = None, plan: QuizPlan | None = None
    ) -> None:
        super().__init__()
        self.lesson = lesson
        self.traces: tuple[StepTrace, ...] = run_lesson(lesson)
        # With saves, the lesson's saved work is replayed first (nothing shown yet).
        self.state = SavedState(lesson, self.traces, saves, plan)
        self.state.watch(self._state_changed)
        self._views: dict[int, GraphView] = {}
        self._fitted = False
        self._last_fit: tuple[Size, int] | None = None  # the size and graph view last fitted
        # What changed since the panels last followed the state (see _state_changed).
        self._pending_panels: frozenset[str] = frozenset()
        # Keys typed before the quiz had the focus (the app still starting), in order.
        self._early: list[events.Event] | None = []

    # Typed accessors for the panels.
    @property
    def graph_panel(self) -> GraphPanel:
        """The graph."""
        return self.query_one(GraphPanel)

    @property
    def path_panel(self) -> PathPanel:
        """The gradient paths."""
        return self.query_one(PathPanel)

    @property
    def quiz_panel(self) -> QuizPanel:
        """The quiz."""
        return self.query_one(QuizPanel)

    # The state's values, read where tests and the palette look for them.
    @property
    def position(self) -> Position:
        """Where the learner is (the state's)."""
        return self.state.position

    @property
    def selected(self) -> str:
        """The selected node (the state's)."""
        return self.state.selected

    @property
    def path(self) -> tuple[str, ...]:
        """The highlighted path (the state's)."""
        return self.state.path

    @property
    def trace(self) -> StepTrace:
        """The trace of the current step."""
        return self.state.trace

    def view(self, step: int) -> GraphView:
        """The laid-out graph with a step's numbers (laid out once per step)."""
        if step not in self._views:
            self._views[step] = GraphView(self.lesson.graph, self.traces[step])
        return self._views[step]

    def compose(self) -> ComposeResult:
        """Status line, graph, paths beside quiz, lesson text, footer."""
        yield TooSmall(id="too-small")
        with Vertical(id="main"):
            yield StatusLine(id="status")
            yield GraphPanel(
                self.view(self.state.step), id="graph", tutor=self.state, picked=self._path_picked
            )
            with Horizontal(id="lower"):
                yield PathPanel(id="paths", branch_roles=True, stepping=True)
                quiz = QuizPanel(self.state, id="quiz")
                # The focus starts in the quiz: marked now, as it is styled the first time,
                # rather than restyling every row when the focus arrives.
                quiz.add_class("-active", update=False)
                yield quiz
            yield LessonText(id="lesson-text")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        """Start at step 1 before anything is computed, focus on the first quantity."""
        self.title = self.lesson.title
        self._fit()
        for row in self.quiz_panel.rows:
            said = self.state.said(row.question)
            if self.state.typed(row.question) or said:
                _ = row.input  # a restored answer shows in a real input, as typed
                if said:
                    row.feedback(said)  # and the row's sentence, as it was left
        # The focus (and with it the selected node) first, so the panels are filled once,
        # for that node, before the first paint: the change it made needs no second pass.
        self.quiz_panel.focus_first_open()
        if self.focused is None:  # every question done: the graph's keys work at once
            self.graph_panel.focus()
        self._show_paths()
        self._follow()
        self._pending_panels = frozenset()
        self._replay_early_keys()

    def _forward_event(self, event: events.Event) -> None:
        """Keep keys that come before the quiz has the focus, to give them to it in order.

        The app hands a key to the screen when nothing has the focus yet. Such keys are
        kept (in the app's own task, in arrival order) and replayed into the first open
        row in the same step that gives it the focus, so no later key can overtake them.
        """
        early = self._early is not None and self.focused is None
        if early and isinstance(event, events.Key | events.Paste) and self._early is not None:
            self._early.append(event)
            return
        super()._forward_event(event)

    def _replay_early_keys(self) -> None:
        early, self._early = self._early or [], None
        for event in early:
            # Each key goes where the focus is when its turn comes (an Enter moves it).
            target = self.focused
            if target is not None:
                target._forward_event(event)

    # --- state → panels -------------------------------------------------------------
    def _state_changed(self, changed: frozenset[str]) -> None:
        """Route a change of the state to the panels that show it.

        A new step is shown at once. Anything else (an answer, a move) is brought to
        the graph, the paths and the status line all at once: after an answer, once its
        verdict has been painted (the row's verdict is painted alone, in the first frame
        after Enter); after a move, when the screen is next idle.
        """
        if self.quiz_panel.step != self.state.step:
            self.graph_panel.set_view(self.view(self.state.step))
            self._fit()
            deferred.track(self, self.quiz_panel.load())
            self._show_paths()
            self._follow()
            return
        pending = self._pending_panels
        self._pending_panels = pending | changed
        if pending:
            return  # already on its way; this change goes with it

        def run() -> None:
            todo, self._pending_panels = self._pending_panels, frozenset()
            if self.is_attached and todo:  # (nothing left: on_mount showed it)
                if todo & {"position", "selected", "record", "at"}:
                    self._show_paths()
                self._follow()

        if "record" in changed:
            deferred.after_paint(self, run)
        else:
            deferred.after_refresh(self, run)

    def _follow(self) -> None:
        """Bring the graph, status line and lesson text up to date with the state."""
        self.graph_panel.state = self.state.graph_state
        self._update_status()

    def _update_status(self) -> None:
        state = self.state
        pos, trace, graph = state.position, state.trace, self.lesson.graph
        inputs = ", ".join(
            f"{graph.label(k)} = {format_number(v)}" for k, v in trace.inputs.items()
        )
        where = state.stage_line
        progress = state.progress
        self.query_one(StatusLine).show(
            self.lesson.title,
            pos.step + 1,
            state.stepper.step_count,
            inputs,
            where.now,
            (progress.solved, progress.shown, progress.total),
            where.then,
        )
        self.query_one(LessonText).say(
            STAGE_TITLES[pos.stage],
            stage_text(self.lesson, pos.stage),
            note(self.lesson, trace, pos.stage),
        )

    def _show_paths(self) -> None:
        state = self.state
        if state.selected:
            request = PathRequest(
                state.trace, state.selected, state.position, state.revealed, state.known
            )
            why = state.withheld(state.selected)
            if why is None:
                self.path_panel.show(request)
            else:
                self.path_panel.withhold(request, why)

    # --- messages from the panels ---------------------------------------------------
    @on(GraphPanel.NodeSelected)
    def _node_selected(self, event: GraphPanel.NodeSelected) -> None:
        """Select the node the learner picked in the graph."""
        self.state.selected = event.name

    @on(PathPanel.PathChosen)
    def _path_chosen(self, event: PathPanel.PathChosen) -> None:
        """Highlight the path the learner moved to."""
        self.state.path = event.nodes

    @on(QuizPanel.QuestionFocused)
    def _question_focused(self, event: QuizPanel.QuestionFocused) -> None:
        """Select the node of the question the learner is working on (paths: pick for it)."""
        self.state.selected = event.question.node
        self.state.at = event.question
        self.state.pick.follow(event.question)

    def _path_picked(self, picked: Picked) -> None:
        """Say in the paths question's row what a picking key did; add a finished path."""
        question = self.state.pick.question
        row = next((r for r in self.quiz_panel.rows if r.question == question), None)
        if row is None:
            return
        if picked.added:
            typed = row.input.value.rstrip()
            sep = "" if not typed else (" " if typed.endswith((";", ",")) else "; ")
            row.input.value = typed + sep + picked.added
            row.input.cursor_position = len(row.input.value)
        row.feedback(picked.message)
        self.quiz_panel.keep_in_view(row)

    # --- actions --------------------------------------------------------------------
    def action_next(self) -> None:
        """One node on in the current pass."""
        self.state.position = self.state.stepper.forward(self.position)

    def action_back(self) -> None:
        """One node back."""
        self.state.position = self.state.stepper.back(self.position)

    def action_end_of_pass(self) -> None:
        """Jump to the end of the current pass."""
        self.state.position = self.state.stepper.end_of_pass(self.position)

    def action_next_step(self) -> None:
        """Go to the start of the next step (on the last, say so)."""
        self._step_by(1)

    def action_prev_step(self) -> None:
        """Go to the start of the previous step (on the first, say so)."""
        self._step_by(-1)

    def _step_by(self, delta: int) -> None:
        edge = self.state.step_edge(delta)
        if edge is not None:
            self.notify(edge, title="No step there")
            return
        self.goto_step(self.position.step + delta)

    def goto_step(self, step: int) -> None:
        """Go to the start of a step (0-based)."""
        self.state.position = self.state.stepper.goto_step(step)

    def select(self, name: str) -> None:
        """Select a node by name."""
        self.state.selected = name

    def show_paths_of(self, name: str) -> None:
        """Select a node, put focus on its paths and highlight the first."""
        self.state.selected = name
        self._show_paths()  # now, so the highlight below lands on this node's list
        self.path_panel.path_list.focus()
        self.path_panel.choose(0)

    def action_reveal(self) -> None:
        """Reveal the value of the current quiz quantity."""
        self.quiz_panel.reveal_current()

    def action_hint(self) -> None:
        """Show the next hint for the current quiz quantity."""
        self.quiz_panel.hint_current()

    def action_toggle_text(self) -> None:
        """Collapse or expand the lesson text."""
        text = self.query_one(LessonText)
        text.collapsed = not text.collapsed

    def help_keys(self) -> list[tuple[str, str]]:
        """Every key the help screen lists: the screen's, each panel's, then the app's."""
        from .help import CLICKS, help_rows  # the help screen is no part of the first screen

        return help_rows(
            [b for b in self.BINDINGS if isinstance(b, Binding) and b.group is None],
            AnswerInput.BINDINGS,
            QuizPanel.BINDINGS,
            GraphPanel.BINDINGS,
            CLICKS,
            [b for b in self.BINDINGS if isinstance(b, Binding) and b.group is not None],
            self.app.BINDINGS,
        )

    def action_help(self) -> None:
        """Open the help screen."""
        from .help import HelpScreen

        deferred.track(self, self.app.push_screen(HelpScreen(self.help_keys())))

    def action_panel(self, delta: int) -> None:
        """Move focus to the next or previous panel."""
        panels: list[Widget] = [self.graph_panel, self.path_panel, self.quiz_panel]
        focused = self.focused
        index = 0
        for i, panel in enumerate(panels):
            if focused is not None and (focused is panel or panel in focused.ancestors):
                index = i
        target = panels[(index + delta) % len(panels)]
        if target is self.graph_panel:
            self.graph_panel.focus()
        elif target is self.path_panel:
            self.path_panel.path_list.focus()
        else:
            self.quiz_panel.focus_first_open()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Mark the panel that holds the focus (cheaper than :focus-within).

        The class changes only when the focus moves to another panel, so moving from
        one quiz row to the next (every answer) restyles nothing.
        """
        for panel in (self.path_panel, self.quiz_panel):
            active = panel in event.widget.ancestors_with_self
            if panel.has_class("-active") != active:
                panel.set_class(active, "-active")

    # --- size -------------------------------------------------------------------------
    def _fit(self) -> None:
        # Textual sends the screen several resizes to one size as it starts: fit once.
        size, view = self.size, self.graph_panel.view
        if self._last_fit is not None and self._last_fit == (size, id(view)):
            return
        self._last_fit = (size, id(view))
        width, height = self.size
        self.set_class(fit.too_small(width, height), "-too-small")
        self.graph_panel.fit(*fit.graph_room(width, height))
        self.query_one(KeyFooter).show_command_palette = width >= fit.PALETTE_HINT_WIDTH
        if not self._fitted and height:
            self._fitted = True
            # On a short terminal the lesson text starts folded; ctrl+t opens it.
            self.query_one(LessonText).collapsed = height < fit.SHORT_TERMINAL

    def on_resize(self, event: events.Resize) -> None:
        """Switch between drawing, compact list and the too-small message."""
        self._fit()
