"""The tutor screen's state as one plain object: where the learner is and what is shown.

Four base values are kept: the position (step, stage, how far), the selected node, the
highlighted path and the question the learner is at. Everything else is derived from
them and from the quiz session (the one record of what the learner has done), computed
when read and never stored, in the spirit of Textual's `var` / `compute_*` / `watch_*`.
Setting a base value applies the rules that tie them together (a new step clears the
path; the stage's node becomes the selection) and tells the watchers what changed. No
Textual here.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import NamedTuple

from backprop_tutor.engine import Lesson, StepTrace
from backprop_tutor.quiz import (
    Breakdown,
    Feedback,
    Hint,
    Kind,
    Known,
    LessonEnd,
    Question,
    QuestionId,
    QuizSession,
    Reveal,
    Status,
    StepEnd,
    Verdict,
)
from backprop_tutor.quiz.plan import QuizPlan
from backprop_tutor.quiz.typed_kinds import is_typed, withheld
from backprop_tutor.quiz.words import BREAK_DOWN

from .graph_view import GraphState
from .path_pick import PathPick
from .stepper import STAGES, Position, Revealed, Stepper
from .where import method_text, next_text, pass_text

# The mark a quiz row shows, from the session's status and the last verdict.
MARK_OF_VERDICT = {
    Verdict.WRONG: "wrong",
    Verdict.INCOMPLETE_PRECISION: "close",
    Verdict.UNREADABLE: "invalid",
}
FINISHED = frozenset({"right", "carried", "revealed"})
# The stepping stage that walks the nodes of each kind of question.
STAGE_OF_KIND = {
    Kind.VALUE: "forward",
    Kind.GRADIENT: "backward",
    Kind.UPDATE: "update",
    # The typed kinds come before the numbers they explain; they never move the position.
    Kind.PATHS: "forward",
    Kind.LOCAL: "backward",
    Kind.FORMULA: "backward",
}

Watcher = Callable[[frozenset[str]], None]


class StageLine(NamedTuple):
    """The status line's part about where the learner is, and what comes next (or "")."""

    now: str
    then: str


class Progress(NamedTuple):
    """How far the learner is in one step's quiz."""

    solved: int
    shown: int
    total: int


class TutorState:
    """Position, selection and path, with everything that follows from them."""

    def __init__(
        self, lesson: Lesson, traces: tuple[StepTrace, ...], plan: QuizPlan | None = None
    ) -> None:
        """The state at the start of `lesson`, asking `plan` (None: the lesson's own)."""
        self.lesson = lesson
        self.traces = traces
        self.session = QuizSession(lesson, traces, plan)
        self.stepper = Stepper(lesson, traces)
        self._position = Position()
        self._selected = lesson.graph.computed[0]
        self._path: tuple[str, ...] = ()
        self._at: QuestionId | None = None  # the question last focused (None: none yet)
        # Whether the learner stepped (ctrl+n...) since the quiz last moved or was focused:
        # the status line then follows the pass rather than the method's move.
        self._stepped = False
        # What the learner last typed per question, and its verdict: the session keeps
        # every attempt but offers no accessor for the last one.
        self._last: dict[Hashable, tuple[str, Verdict]] = {}
        # The sentence each question's row last showed (a verdict, a hint, a value shown):
        # kept with the work, so a lesson opened again shows each row as it was left.
        self._said: dict[QuestionId, str] = {}
        self._watchers: list[Watcher] = []
        # A path being picked on the graph for a paths question (drawn as the path).
        self.pick = PathPick(lesson.graph, lambda: self._changed({"path"}))

    # --- watching -----------------------------------------------------------------
    def watch(self, watcher: Watcher) -> None:
        """Call `watcher` after each change with what changed: base values by name, or "record"."""
        self._watchers.append(watcher)

    def _changed(self, names: set[str]) -> None:
        if names:
            for watcher in self._watchers:
                watcher(frozenset(names))

    # --- base values ----------------------------------------------------------------
    @property
    def position(self) -> Position:
        """Step (0-based), stage and how many of its items are done."""
        return self._position

    @position.setter
    def position(self, new: Position) -> None:
        old = self._position
        if new == old:
            return
        self._position = new
        self._stepped = not new.at_start  # stepping by hand; a step's start is the quiz's
        changed = {"position"}
        if new.step != old.step and self._path:
            self._path = ()
            changed.add("path")
        current = self.stepper.current(new)
        if current is not None and current != self._selected:
            self._selected = current
            self._path = ()
            changed |= {"selected", "path"}
        self._changed(changed)

    @property
    def selected(self) -> str:
        """The node whose paths are shown."""
        return self._selected

    @selected.setter
    def selected(self, name: str) -> None:
        # As with a reactive: setting the value it already has changes nothing.
        if name == self._selected:
            return
        changed = {"selected", "path"} if self._path else {"selected"}
        self._selected = name
        self._path = ()
        self._changed(changed)

    @property
    def at(self) -> Question | None:
        """The question the learner is at: the one focused, or once it is finished the next
        open one after it (then before it), as the quiz panel moves; by default the step's
        first open one. None once the step is done."""
        questions = self.questions
        index = next((i for i, q in enumerate(questions) if q.id == self._at), None)
        if index is None:
            return self.session.next_open(self.step + 1)
        if not self.finished(questions[index]):
            return questions[index]
        return self.open_after(questions, index)

    @at.setter
    def at(self, question: Question) -> None:
        # The learner is back at the quiz: the status line follows its move again.
        was, self._stepped = self._stepped, False
        if question.id != self._at or was:
            self._at = question.id
            self._changed({"at"})

    def open_after(self, questions: tuple[Question, ...], index: int) -> Question | None:
        """The first open question after `index`, else before it: where an answer moves to."""
        rest = (*questions[index + 1 :], *questions[:index])
        return next((q for q in rest if not self.finished(q)), None)

    @property
    def path(self) -> tuple[str, ...]:
        """The highlighted path's nodes, objective first (empty: none)."""
        return self._path

    @path.setter
    def path(self, nodes: tuple[str, ...]) -> None:
        if nodes != self._path:
            self._path = nodes
            self._changed({"path"})

    # --- derived values -----------------------------------------------------------------
    @property
    def step(self) -> int:
        """The current step, 0-based."""
        return self._position.step

    @property
    def trace(self) -> StepTrace:
        """The current step's numbers."""
        return self.traces[self._position.step]

    @property
    def questions(self) -> tuple[Question, ...]:
        """The current step's questions, in the order a person computes them."""
        return self.session.questions_for(self._position.step + 1)

    @property
    def current(self) -> str | None:
        """The node the stage is at (None before its first item)."""
        return self.stepper.current(self._position)

    @property
    def revealed(self) -> Revealed:
        """What stepping shows, plus what the learner solved or had shown in the quiz."""
        base = self.stepper.revealed(self._position)
        done: dict[Kind, set[str]] = {kind: set() for kind in Kind}
        for q in self.questions:
            if self.session.status(q.id) in (Status.SOLVED, Status.REVEALED):
                done[q.kind].add(q.node)
        return Revealed(
            base.values | done[Kind.VALUE],
            base.grads | done[Kind.GRADIENT],
            base.updated | done[Kind.UPDATE],
            base.current,
        )

    @property
    def graph_state(self) -> GraphState:
        """What the graph draws."""
        revealed = self.revealed
        return GraphState(
            values=revealed.values,
            grads=revealed.grads,
            updated=revealed.updated,
            selected=self._selected or None,
            current=revealed.current,
            path=self.pick.drawn or self._path,
        )

    @property
    def progress(self) -> Progress:
        """Solved, shown and total questions of the current step."""
        statuses = [self.session.status(q.id) for q in self.questions]
        return Progress(
            statuses.count(Status.SOLVED), statuses.count(Status.REVEALED), len(statuses)
        )

    def withheld(self, node: str) -> str | None:
        """Why the path panel holds `node`'s paths back: an open typed question the learner
        has reached asks for them, or for something they would give away."""
        at = self.at
        return withheld(self.session, self._position.step + 1, node, at.id if at else None)

    @property
    def known(self) -> dict[QuestionId, Known]:
        """What the learner has settled on in the current step, by question (for the paths)."""
        out: dict[QuestionId, Known] = {}
        for q in self.questions:
            found = self.session.known(q.id)
            if found is not None:
                out[q.id] = found
        return out

    # --- endings --------------------------------------------------------------------
    @property
    def step_done(self) -> bool:
        """Whether every question of the current step is solved or revealed."""
        return self.session.step_done(self.step + 1)

    @property
    def step_end(self) -> StepEnd | None:
        """What the current step's end says, once it is done."""
        return self.session.step_end(self.step + 1) if self.step_done else None

    @property
    def open_steps(self) -> tuple[int, ...]:
        """The steps (1-based) with questions still open."""
        count = self.session.step_count
        return tuple(s for s in range(1, count + 1) if not self.session.step_done(s))

    @property
    def lesson_end(self) -> LessonEnd | None:
        """The lesson's end, once every step is done."""
        return None if self.open_steps else self.session.lesson_end()

    @property
    def where(self) -> str:
        """Where the learner stands in the lesson, for the status line (empty mid-step)."""
        if not self.step_done:
            return ""
        if not self.open_steps:
            return "lesson done"
        count = self.session.step_count
        if self.step + 1 < count:
            return f"step {self.step + 1} done, F8: step {self.step + 2}"
        return f"step {self.step + 1} done"

    @property
    def stage_line(self) -> StageLine:
        """Where the learner is for the status line: the pass, or the method's move they are
        at (paths, local derivatives, formulas do not move the position), and what is next."""
        pos, graph = self._position, self.lesson.graph
        at = self.at
        if at is not None and is_typed(at) and not self._stepped:
            questions = self.questions
            coming = self.open_after(questions, questions.index(at))
            return StageLine(method_text(graph, at, questions), next_text(graph, at, coming))
        now = pass_text(
            graph, pos.stage, pos.done, len(self.stepper.items(pos.stage)), self.current
        )
        return StageLine(f"{now} │ {self.where}" if self.where else now, "")

    def step_edge(self, delta: int) -> str | None:
        """What F7 on the first step or F8 on the last says (None where the key moves)."""
        count = self.session.step_count
        target = self.step + delta
        if 0 <= target < count:
            return None
        if count == 1:
            return "This lesson has one step; there is no other to go to."
        if delta > 0:
            back = f"F7 goes back to step {count - 1}"
            return f"This is the last step (step {count} of {count}); {back}."
        return f"This is the first step (step 1 of {count}); F8 goes on to step 2."

    def mark(self, question: Question) -> str:
        """The row status of a question: open, right, carried, wrong, close, invalid, revealed."""
        status = self.session.status(question.id)
        last = self._last.get(question.id)
        if status is Status.REVEALED:
            return "revealed"
        if status is Status.SOLVED:
            carried = last is not None and last[1] is Verdict.METHOD_CORRECT_CARRIED
            return "carried" if carried else "right"
        if last is None:
            return "open"
        return MARK_OF_VERDICT.get(last[1], "wrong")

    def finished(self, question: Question) -> bool:
        """Solved or revealed: nothing left to answer."""
        return self.mark(question) in FINISHED

    def said(self, question: Question) -> str:
        """The sentence the question's row last showed (what its feedback line holds)."""
        return self._said.get(question.id, "")

    def typed(self, question: Question) -> str:
        """What the learner last typed for a question (or what was shown), else ""."""
        last = self._last.get(question.id)
        return last[0] if last is not None else ""

    # --- acting on the record -----------------------------------------------------------
    def answer(self, question: Question, text: str) -> Feedback:
        """Check and record an answer."""
        feedback = self.session.answer(question.id, text)
        self._last[question.id] = (text, feedback.verdict)
        message = feedback.message
        if self.offers_breakdown(question):
            count = len(self.session.breakdown_parts(question.id))
            message += (
                f" This one can be worked out in {count} smaller parts: type {BREAK_DOWN} "
                "and Enter to do that, or keep trying."
            )
        self._said[question.id] = message
        self._record_changed(question)
        return feedback

    def _record_changed(self, question: Question) -> None:
        """Tell the watchers; a finished question moves the position on as stepping would."""
        self._at, self._stepped = question.id, False  # answered: the learner is at the quiz
        moved = self._follow_quiz(question) if self.finished(question) else None
        if moved is None:
            self._changed({"record"})
            return
        old, self._position = self._position, moved
        self._stepped = False
        changed = {"record", "position"}
        if old.step != moved.step and self._path:
            self._path = ()
            changed.add("path")
        self._changed(changed)

    def _follow_quiz(self, question: Question) -> Position | None:
        """The position just past the furthest node of the question's stage now done, if later.

        Answering the forward values walks the forward pass as ctrl+n does, so the status
        line, the graph and the path panel show the pass the learner is working in. The
        selection stays with the quiz (the next question selects its own node).
        """
        if is_typed(question):
            return None
        stage = STAGE_OF_KIND[question.kind]
        earlier = [
            q for q in self.questions if STAGES.index(STAGE_OF_KIND[q.kind]) < STAGES.index(stage)
        ]
        if not all(self.finished(q) for q in earlier):
            return None  # moving to this pass would show values not yet worked out
        items = self.stepper.items(stage)
        done = {q.node for q in self.questions if q.kind is question.kind and self.finished(q)}
        if stage == "backward":
            done.add(self.lesson.graph.objective)  # its gradient is 1: never asked, always known
        count = 0
        while count < len(items) and items[count] in done:
            count += 1
        new = Position(self._position.step, stage, count)
        order = (STAGES.index(new.stage), new.done)
        here = (STAGES.index(self._position.stage), self._position.done)
        return new if count and order > here else None

    def reveal(self, question: Question) -> Reveal:
        """Show a question's value; the session counts it shown, not solved."""
        shown = self.session.reveal(question.id)
        before = self._last.get(question.id)
        # The field then holds the shown value; the verdict before it is kept.
        self._last[question.id] = (shown.shown, before[1] if before else Verdict.UNREADABLE)
        self._said[question.id] = f"Shown, not solved: {shown.message}"
        self._record_changed(question)
        return shown

    def hint(self, question: Question) -> Hint:
        """The next hint for a question."""
        given = self.session.hint(question.id)
        self._said[question.id] = given.message
        return given

    # --- breaking a question down -----------------------------------------------------
    def offers_breakdown(self, question: Question) -> bool:
        """Whether to offer breaking the question down now (two misses at a hard gradient)."""
        return self.session.offers_breakdown(question.id)

    def breakdown(self, question: Question) -> Breakdown | None:
        """The breakdown the learner took for a question, if they took one."""
        return self.session.taken_breakdown(question.id)

    def break_down(self, question: Question) -> Breakdown:
        """Take the offer: the parts to answer."""
        breakdown = self.session.break_down(question.id)
        self._changed({"record"})
        return breakdown

    def answer_part(self, question: Question, index: int, text: str) -> Feedback:
        """Check an answer to one part of a question's breakdown."""
        feedback = self.session.answer_part(question.id, index, text)
        self._last[(question.id, index)] = (text, feedback.verdict)
        return feedback

    def reveal_part(self, question: Question, index: int) -> str:
        """Show one part's value (the part counts as done, the question as scaffolded)."""
        shown = self.session.reveal_part(question.id, index)
        self._last[(question.id, index)] = (shown, Verdict.UNREADABLE)
        return shown

    def part_mark(self, question: Question, index: int) -> str:
        """A part row's mark: open, right, wrong, close, invalid or revealed."""
        taken = self.session.taken_breakdown(question.id)
        last = self._last.get((question.id, index))
        if taken is not None and index in taken.answers:
            return "revealed" if index in taken.shown else "right"
        if last is None:
            return "open"
        return MARK_OF_VERDICT.get(last[1], "wrong")

    def part_typed(self, question: Question, index: int) -> str:
        """What the learner last typed for a part (or what was shown), else ""."""
        last = self._last.get((question.id, index))
        return last[0] if last is not None else ""
