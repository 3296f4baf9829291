"""The main screen: graph, gradient paths and quiz for one lesson, and the stepping keys."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from backprop_tutor.engine import Lesson, StepTrace, run_lesson
from backprop_tutor.engine.numbers import format_number

from ..graph_view import GraphState, GraphView
from ..notes import note, stage_text
from ..quantities import Quantity
from ..quiz_adapter import SessionQuiz
from ..stepper import Position, Revealed, Stepper
from ..widgets.graph_panel import GraphPanel
from ..widgets.key_footer import KeyFooter
from ..widgets.lesson_text import LessonText
from ..widgets.path_panel import PathPanel, PathRequest
from ..widgets.quiz_panel import QuizPanel
from ..widgets.status_line import StatusLine
from ..widgets.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmall
from .help import HelpScreen

STAGE_TITLES = {"forward": "Forward pass", "backward": "Backward pass", "update": "Update"}
# Rows kept for everything but the graph: status, footer, lesson title, lower panels.
RESERVED_ROWS = 17
SHORT_TERMINAL = 30

EXTRA_KEYS = [
    ("enter", "check the answer in the quiz"),
    ("↑ ↓", "previous / next quantity in the quiz; paths in the path panel"),
    ("← ↑ → ↓", "move the selected node in the graph panel"),
    ("click", "select a node in the graph, a path in the path panel"),
    ("tab / shift+tab", "next / previous panel"),
    ("ctrl+p", "command palette: steps, nodes, paths, lessons, theme"),
    ("ctrl+q", "quit"),
]


class TutorScreen(Screen[None]):
    """One lesson: where the learner is, what is selected, what they have answered."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next", tooltip="One node on in the current pass"),
        Binding("ctrl+b", "back", "Back", tooltip="One node back"),
        Binding("ctrl+l", "end_of_pass", "End of pass", tooltip="Jump to the end of this pass"),
        Binding("f7", "prev_step", "Prev step", tooltip="Start of the previous step"),
        Binding("f8", "next_step", "Next step", tooltip="Start of the next step"),
        Binding("ctrl+r", "reveal", "Show me", tooltip="Reveal the current quantity"),
        Binding("ctrl+g", "hint", "Hint", tooltip="A hint for the current quantity (three levels)"),
        Binding(
            "ctrl+t", "toggle_text", "Text", show=False, tooltip="Hide or show the lesson text"
        ),
        Binding("f1", "help", "Help", tooltip="This help"),
        Binding("question_mark", "help", "Help", show=False, priority=True, tooltip="This help"),
        Binding("tab", "panel(1)", "Next panel", show=False),
        Binding("shift+tab", "panel(-1)", "Previous panel", show=False),
    ]

    position: reactive[Position] = reactive(Position(), init=False)
    selected: reactive[str] = reactive("", init=False)
    path: reactive[tuple[str, ...]] = reactive((), init=False)

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.traces: tuple[StepTrace, ...] = run_lesson(lesson)
        self.quiz = SessionQuiz(lesson, self.traces)
        self.stepper = Stepper(lesson, self.traces)
        self._views: dict[int, GraphView] = {}
        # Finished quantities per step: key → (quantity, status, text typed or shown).
        self.answers: dict[int, dict[str, tuple[Quantity, str, str]]] = {}
        self._loaded_step = 0  # step 1 is composed with the screen
        self._fitted = False

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

    @property
    def trace(self) -> StepTrace:
        """The trace of the current step."""
        return self.traces[self.position.step]

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
            yield GraphPanel(self.view(0), id="graph")
            with Horizontal(id="lower"):
                yield PathPanel(id="paths", branch_roles=True, stepping=True)
                yield QuizPanel(self.quiz, self.quiz.quantities(0), id="quiz")
            yield LessonText(id="lesson-text")
        yield KeyFooter(compact=True)

    async def on_mount(self) -> None:
        """Start at step 1 before anything is computed, focus on the first quantity."""
        self.title = self.lesson.title
        self._fit()
        self.selected = self.lesson.graph.computed[0]
        self._follow()
        self.quiz_panel.focus_first_open()

    async def _load_step(self, step: int) -> None:
        """Show a step's numbers in the graph and its quantities in the quiz."""
        if step == self._loaded_step:
            return
        self._loaded_step = step
        self.graph_panel.set_view(self.view(step))
        self._fit()
        done = {k: (status, text) for k, (_, status, text) in self.answers.get(step, {}).items()}
        await self.quiz_panel.load(self.quiz.quantities(step), done)

    # --- state → panels -------------------------------------------------------------
    def revealed(self) -> Revealed:
        """What stepping shows, plus what the learner solved or had shown in the quiz."""
        base = self.stepper.revealed(self.position)
        done = self.answers.get(self.position.step, {})
        extra: dict[str, set[str]] = {"value": set(), "grad": set(), "update": set()}
        for quantity, _, _ in done.values():
            extra.setdefault(quantity.kind, set()).add(quantity.node)
        return Revealed(
            base.values | extra["value"],
            base.grads | extra["grad"],
            base.updated | extra["update"],
            base.current,
        )

    def _follow(self) -> None:
        """Bring every panel up to date with position, selection and path."""
        revealed = self.revealed()
        self.graph_panel.state = GraphState(
            values=revealed.values,
            grads=revealed.grads,
            updated=revealed.updated,
            selected=self.selected or None,
            current=revealed.current,
            path=self.path,
        )
        self._update_status()

    def _update_status(self) -> None:
        pos = self.position
        trace = self.trace
        graph = self.lesson.graph
        inputs = ", ".join(
            f"{graph.label(k)} = {format_number(v)}" for k, v in trace.inputs.items()
        )
        items = self.stepper.items(pos.stage)
        where = STAGE_TITLES[pos.stage]
        if pos.done:
            current = self.stepper.current(pos) or ""
            where += f" at {graph.label(current)} ({pos.done}/{len(items)})"
        else:
            where += f" (0/{len(items)})"
        self.query_one(StatusLine).show(
            self.lesson.title,
            pos.step + 1,
            self.stepper.step_count,
            inputs,
            where,
            self.quiz_panel.progress,
        )
        lesson_text = self.query_one(LessonText)
        lesson_text.say(
            STAGE_TITLES[pos.stage],
            stage_text(self.lesson, pos.stage),
            note(self.lesson, trace, pos.stage),
        )

    def _show_paths(self) -> None:
        if not self.selected:
            return
        self.path_panel.show(PathRequest(self.trace, self.selected, self.position, self.revealed()))

    async def watch_position(self, old: Position, new: Position) -> None:
        """Follow the stage: select the node it is at and redraw."""
        if new.step != old.step:
            self.path = ()
            await self._load_step(new.step)
        current = self.stepper.current(new)
        if current is not None and current != self.selected:
            self.selected = current  # the watcher shows its paths
        else:
            self._show_paths()
        self._follow()

    def watch_selected(self, name: str) -> None:
        """Show the paths of the newly selected node."""
        self.path = ()
        self._show_paths()
        self._follow()

    def watch_path(self, nodes: tuple[str, ...]) -> None:
        """Light up the chosen path in the graph."""
        self._follow()

    # --- messages from the panels ---------------------------------------------------
    @on(GraphPanel.NodeSelected)
    def _node_selected(self, event: GraphPanel.NodeSelected) -> None:
        """Select the node the learner picked in the graph."""
        self.selected = event.name

    @on(PathPanel.PathChosen)
    def _path_chosen(self, event: PathPanel.PathChosen) -> None:
        """Highlight the path the learner moved to."""
        self.path = event.nodes

    @on(QuizPanel.QuantityFocused)
    def _quantity_focused(self, event: QuizPanel.QuantityFocused) -> None:
        """Select the node of the quantity the learner is working on."""
        self.selected = event.quantity.node

    @on(QuizPanel.Answered)
    def _answered(self, event: QuizPanel.Answered) -> None:
        """Record a solved or shown quantity and let the graph show its value."""
        q: Quantity = event.quantity
        self.answers.setdefault(self.position.step, {})[q.key] = (q, event.status, event.text)
        self._show_paths()
        self._follow()

    # --- actions --------------------------------------------------------------------
    def action_next(self) -> None:
        """One node on in the current pass."""
        self.position = self.stepper.forward(self.position)

    def action_back(self) -> None:
        """One node back."""
        self.position = self.stepper.back(self.position)

    def action_end_of_pass(self) -> None:
        """Jump to the end of the current pass."""
        self.position = self.stepper.end_of_pass(self.position)

    def action_next_step(self) -> None:
        """Go to the start of the next step."""
        self.position = self.stepper.goto_step(self.position.step + 1)

    def action_prev_step(self) -> None:
        """Go to the start of the previous step."""
        self.position = self.stepper.goto_step(self.position.step - 1)

    def goto_step(self, step: int) -> None:
        """Go to the start of a step (0-based)."""
        self.position = self.stepper.goto_step(step)

    def select(self, name: str) -> None:
        """Select a node by name."""
        self.selected = name

    def show_paths_of(self, name: str) -> None:
        """Select a node, put focus on its paths and highlight the first."""
        self.selected = name
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
        """Every key the help screen lists."""
        keys = [
            (b.key.replace("question_mark", "?"), b.tooltip or b.description)
            for b in self.BINDINGS
            if isinstance(b, Binding) and b.key not in ("tab", "shift+tab")
        ]
        return keys + EXTRA_KEYS

    def action_help(self) -> None:
        """Open the help screen."""
        self.app.push_screen(HelpScreen(self.help_keys()))

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
        """Mark the path panel when it holds the focus (cheaper than :focus-within).

        The quiz panel is left alone: a class on it restyles every row, and its
        focused input already shows where the cursor is.
        """
        for panel in (self.path_panel,):
            active = panel in event.widget.ancestors_with_self
            if panel.has_class("-active") != active:
                panel.set_class(active, "-active")

    # --- size -------------------------------------------------------------------------
    def _fit(self) -> None:
        width, height = self.size
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")
        self.graph_panel.fit(width - 4, height - RESERVED_ROWS)
        # The footer's palette hint would overlap the keys on a narrow terminal.
        self.query_one(KeyFooter).show_command_palette = width >= 100
        if not self._fitted and height:
            self._fitted = True
            # On a short terminal the lesson text starts folded; ctrl+t opens it.
            self.query_one(LessonText).collapsed = height < SHORT_TERMINAL

    def on_resize(self, event: events.Resize) -> None:
        """Switch between drawing, compact list and the too-small message."""
        self._fit()
