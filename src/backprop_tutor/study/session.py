"""A self-study session: an exercise, the questions due, every answer saved at once.

The one object both front ends (plain and app) drive. It wraps the quiz package's
`QuizSession` on the exercise's numbers for checking, hints and reveals, asks only the
questions the scheduler planned, and saves each finished question (with the session's
place, so an interrupted session resumes at the same question with the same numbers).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime

from ..engine import Lesson, LessonError, StepTrace, format_number
from ..engine.expr import names_in
from ..quiz import (
    Feedback,
    Hint,
    Kind,
    Mistake,
    Question,
    QuestionRecord,
    QuizSession,
    Reveal,
    Standing,
    Summary,
    summarize,
)
from ..quiz import skills as skill_tags
from ..quiz.typed_kinds import is_typed
from .exercises import Exercise, make_exercise, study_plan
from .progress import Progress, ProgressError, ProgressStore
from .scheduler import (
    Answer,
    Outcome,
    SessionPlan,
    SkillState,
    charged_skills,
    due_skills,
    next_due,
    plan_session,
    streak,
)

Clock = Callable[[], datetime]

# A named mistake points at the skill it shows is shaky; used to blame the right skill
# of a question that exercises several.
MISTAKE_SKILLS: Mapping[Mistake, str] = {
    Mistake.PATH_LEFT_OUT: skill_tags.CHAIN_RULE,
    Mistake.FACTOR_LEFT_OUT: skill_tags.CHAIN_RULE,
    Mistake.ONE_BRANCH_ONLY: skill_tags.BRANCH_MERGE,
    Mistake.SUMMED_AT_WRONG_NODE: skill_tags.BRANCH_MERGE,
    Mistake.POWER_RULE_SLIP: skill_tags.local("power"),
    Mistake.UPDATE_PLUS: skill_tags.UPDATE,
    Mistake.UPDATE_NO_RATE: skill_tags.UPDATE,
    Mistake.UPDATE_DATA_ONLY: skill_tags.UPDATE,
}


def lesson_key(lesson: Lesson) -> str:
    """How progress names a lesson: a built-in one by name, a file by its full path."""
    return lesson.name if lesson.is_builtin else str(lesson.path.resolve())


def _resumable(lesson: Lesson, plan: SessionPlan) -> Exercise | None:
    """The saved session's exercise, or None when the lesson file changed under it."""
    if plan.current is None:
        # Every question answered but not marked finished (an edited or half-saved
        # file): there is nothing to resume, and resuming said "question 9 of 8".
        return None
    try:
        exercise = make_exercise(lesson, plan.seed)
    except LessonError:
        return None
    ids = {
        q.id
        for q in QuizSession(
            exercise.lesson, exercise.traces, study_plan(exercise.lesson)
        ).questions
    }
    return exercise if all(key in ids for key in plan.queue) else None


class StudySession:
    """One study session over one exercise; start it with `StudySession.open`."""

    def __init__(
        self,
        store: ProgressStore,
        exercise: Exercise,
        plan: SessionPlan,
        progress: Progress,
        clock: Clock,
        *,
        resumed: bool,
    ) -> None:
        """Use `open`; this wires the parts together."""
        self.store = store
        self.exercise = exercise
        self.plan = plan
        self.progress = progress
        self.clock = clock
        self.resumed = resumed
        self.traces: tuple[StepTrace, ...] = exercise.traces
        self.quiz = QuizSession(exercise.lesson, self.traces, study_plan(exercise.lesson))
        self.questions: tuple[Question, ...] = self.quiz.questions
        self._by_id = {q.id: q for q in self.questions}
        self._pending: list[Answer] = []  # answers not yet on disk (a failed save)
        # The finished questions' records, in order: what the summary sums up.
        self._finished: list[QuestionRecord] = []
        self._fresh_quiz_if_repeated()

    # ------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        store: ProgressStore,
        lesson: Lesson,
        *,
        clock: Clock,
        seed: int | None = None,
        new_seed: Callable[[], int],
    ) -> StudySession:
        """Resume the open session on this lesson, or plan a new one and save it.

        Raises UnreadableProgress when the progress file cannot be read (the front end
        asks the learner before moving it aside), CannotSave when nothing can be saved.
        """
        progress = store.load()
        store.check_writable()
        key = lesson_key(lesson)
        now = clock()
        previous = progress.open_session(key)
        if previous is not None and (seed is None or seed == previous.seed):
            exercise = _resumable(lesson, previous)
            if exercise is not None:
                return cls(store, exercise, previous, progress, clock, resumed=True)
        if previous is not None:
            # Another seed was asked for: the old session is set aside, not resumed.
            progress = store.save(session=replace(previous, finished=True))
        seed = new_seed() if seed is None else seed
        exercise = make_exercise(lesson, seed)
        questions = QuizSession(
            exercise.lesson, exercise.traces, study_plan(exercise.lesson)
        ).questions
        queue = plan_session(questions, progress.skills(), now.date(), seed=seed)
        plan = SessionPlan(uuid.uuid4().hex, key, seed, queue, started=now)
        progress = store.save(session=plan)
        return cls(store, exercise, plan, progress, clock, resumed=False)

    # ------------------------------------------------------------ where we are

    @property
    def lesson(self) -> Lesson:
        """The exercise as a lesson (the original graph with fresh numbers)."""
        return self.exercise.lesson

    @property
    def seed(self) -> int:
        """The seed the exercise's numbers come from."""
        return self.exercise.seed

    @property
    def current(self) -> Question | None:
        """The question being asked, or None when the session is over."""
        key = self.plan.current
        return None if key is None else self._by_id[key]

    @property
    def number(self) -> int:
        """1-based position of the current question (the last one once all are done)."""
        return min(self.plan.position + 1, self.total)

    @property
    def total(self) -> int:
        """Questions in the session so far (follow-ups after a miss add to it)."""
        return len(self.plan.queue)

    @property
    def done(self) -> int:
        """Questions finished."""
        return self.plan.position

    @property
    def finished(self) -> bool:
        """Whether every planned question has been answered."""
        return self.plan.current is None

    def due_today(self) -> list[str]:
        """The skills of this exercise due today (empty: the session reviews early)."""
        skills = [s for q in self.questions for s in q.skills]
        return due_skills(skills, self.skill_states(), self.clock().date())

    def practised(self) -> list[str]:
        """The skills the session's questions exercise, in the order they first come."""
        return list(dict.fromkeys(s for key in self.plan.queue for s in self._by_id[key].skills))

    def trace_for(self, question: Question) -> StepTrace:
        """The step a question belongs to."""
        return self.traces[question.step - 1]

    def givens(self, question: Question) -> list[tuple[str, str]]:
        """The numbers a question builds on, as (label, value) pairs with engine values.

        A session asks only some questions, so whatever a question needs from earlier
        quantities and from the leaves (inputs, constants, parameters) is handed over.
        """
        trace = self.trace_for(question)
        graph = self.lesson.graph
        out: dict[str, str] = {}
        if is_typed(question):
            return []  # paths and formulas are read off the graph, not worked from numbers
        if question.kind is Kind.VALUE:
            for name in graph.operands(question.node):
                out[graph.label(name)] = format_number(trace.values[name])
            return list(out.items())
        for dep in question.depends_on:
            other = self._by_id.get(dep)
            if other is not None:
                label = other.symbol
                if other.step != question.step:
                    label = f"{label} (step {other.step})"
                out[label] = format_number(other.expected)
        if question.kind is Kind.GRADIENT:
            for consumer in graph.live_consumers(question.node):
                for name in names_in(graph.local_tree(consumer, question.node)):
                    if name not in graph.computed:
                        out.setdefault(graph.label(name), format_number(trace.values[name]))
        else:
            if question.step == 1:
                out[graph.label(question.node)] = format_number(trace.params_before[question.node])
            out["η"] = format_number(trace.learning_rate)
        return list(out.items())

    def numbers_text(self) -> list[str]:
        """The exercise's numbers as short lines: parameters, constants, inputs per step."""
        lesson, graph = self.lesson, self.lesson.graph

        def pairs(values: Mapping[str, float]) -> str:
            return ", ".join(f"{graph.label(k)} = {format_number(v)}" for k, v in values.items())

        lines = []
        if lesson.parameters:
            lines.append(f"Parameters: {pairs(lesson.parameters)}")
        if lesson.constants:
            lines.append(f"Constants: {pairs(lesson.constants)}")
        for number, step in enumerate(lesson.steps, start=1):
            if step:
                lines.append(f"Step {number}: {pairs(step)}")
        lines.append(f"Learning rate η = {format_number(lesson.learning_rate)}")
        return lines

    # ------------------------------------------------------------ acting

    def answer(self, text: str) -> Feedback:
        """Check an answer to the current question; a solved one is saved and passed."""
        question = self._require()
        feedback = self.quiz.answer(question.id, text)
        if feedback.solved:
            self._finish(question)
        return feedback

    def hint(self) -> Hint:
        """The next hint for the current question."""
        return self.quiz.hint(self._require().id)

    def reveal(self) -> Reveal:
        """Show the current value; it counts as missed, is saved and passed."""
        question = self._require()
        shown = self.quiz.reveal(question.id)
        self._finish(question)
        return shown

    @property
    def unsaved(self) -> int:
        """Answers a failed save left in memory."""
        return len(self._pending)

    def close(self) -> str | None:
        """Try the pending save once more on the way out; None if nothing is left unsaved.

        Otherwise the one line to show: how many answers, to which questions, and why.
        """
        if not self._pending:
            return None
        try:
            self._save()
        except ProgressError as problem:
            count = len(self._pending)
            which = ", ".join(str(answer.question) for answer in self._pending)
            noun = "answer was" if count == 1 else "answers were"
            return f"{count} {noun} NOT saved ({which}): {problem}"
        return None

    # ------------------------------------------------------------ summing up

    def skill_states(self) -> dict[str, SkillState]:
        """Every skill's Leitner state, including answers not yet saved."""
        merged = Progress(
            answers=[*self.progress.answers, *self._pending], sessions=self.progress.sessions
        )
        return merged.skills()

    def summary(self) -> Summary:
        """This session's scores (most practised first), boxes, due dates and the streak."""
        today = self.clock().date()
        states = self.skill_states()
        summary = summarize(self._finished)
        placed = []
        for score in sorted(summary.skills, key=lambda s: (-s.asked, s.skill)):
            state = states.get(score.skill, SkillState(score.skill))
            placed.append(replace(score, box=state.box, due=state.due))
        upcoming = tuple(
            (when, tuple(skills)) for when, skills in next_due(states, today) if when > today
        )
        answers = [*self.progress.answers, *self._pending]
        standing = Standing(streak(answers, today), upcoming, today)
        return replace(summary, skills=tuple(placed), standing=standing)

    # ------------------------------------------------------------ internals

    def _require(self) -> Question:
        question = self.current
        if question is None:
            raise RuntimeError("the session is over; there is no current question")
        return question

    def _outcome(self, record: QuestionRecord) -> tuple[Outcome, tuple[str, ...]]:
        if record.first_try:
            return "right", ()
        mistakes = [a.diagnosis for a in record.attempts if a.diagnosis is not None]
        named = tuple(MISTAKE_SKILLS[m] for m in mistakes if m in MISTAKE_SKILLS)
        outcome: Outcome = "missed" if record.missed else "hinted"
        return outcome, charged_skills(record.question.skills, self.skill_states(), named)

    def _finish(self, question: Question) -> None:
        record = self.quiz.record(question.id)
        outcome, charged = self._outcome(record)
        answer = Answer(
            id=uuid.uuid4().hex,
            time=self.clock(),
            lesson=self.plan.lesson,
            seed=self.seed,
            question=question.id,
            skills=question.skills,
            outcome=outcome,
            charged=charged,
        )
        self._finished.append(record)
        self._pending.append(answer)
        # Only a miss brings the skill back this session; a hint waits for the next one.
        self.plan.advance(self.questions, charged if outcome == "missed" else ())
        self._fresh_quiz_if_repeated()
        self._save()

    def _save(self) -> None:
        # On CannotSave the answers stay pending and go with the next save.
        self.progress = self.store.save(self._pending, self.plan)
        self._pending = []

    def _fresh_quiz_if_repeated(self) -> None:
        """A question asked again (after a miss) starts with a clean record."""
        question = self.current
        if question is not None and question.id in self.plan.queue[: self.plan.position]:
            self.quiz = QuizSession(self.lesson, self.traces, study_plan(self.lesson))
