"""A quiz session: the questions of every step, and what the learner did with each.

It records every answer, hint and reveal, keeps the learner's own latest numbers (so
later answers are checked for carried errors), and sums it all up at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backprop_tutor.engine import Lesson, StepTrace, run_lesson
from backprop_tutor.engine.numbers import format_number

from .answers import Reading, read_answer
from .carried import LearnerValue, carried_value
from .checker import Feedback, Verdict, agrees, check
from .diagnosis import Candidate, candidates
from .endings import LessonEnd, StepEnd, next_lesson, step_end
from .hints import LEVELS, Hint, hint
from .ids import QuestionId
from .plan import QuizPlan, lesson_plan, plan_questions
from .questions import Question
from .record import Attempt, QuestionRecord, Status
from .scaffold import OFFER_AFTER, Breakdown, Part, breakdown, needs_breakdown
from .summary import Summary, summarize
from .typed_kinds import hint_text, is_typed, judge, shown_text


@dataclass(frozen=True, slots=True)
class Known:
    """What the learner has for a question: their own right number, or the revealed one."""

    value: float
    text: str  # as typed, or as the lesson writes a revealed value
    revealed: bool


@dataclass(frozen=True, slots=True)
class Reveal:
    """A value shown on request; the question counts as revealed, not solved."""

    question_id: QuestionId
    expected: float
    shown: str
    message: str


class QuizSession:
    """The quiz over every step of a lesson; the one object a front end talks to."""

    def __init__(
        self,
        lesson: Lesson,
        traces: Sequence[StepTrace] | None = None,
        plan: QuizPlan | None = None,
    ) -> None:
        """Questions for every step of `lesson` (its traces are run if not given).

        `plan` says which kinds each step asks; by default the lesson's own
        (`quiz.plan.lesson_plan`: its `[quiz]` table, else the worked example's).
        """
        self.lesson = lesson
        self.graph = lesson.graph
        self.traces: tuple[StepTrace, ...] = tuple(traces) if traces else run_lesson(lesson)
        asked = lesson_plan(lesson) if plan is None else plan
        self._by_step: list[tuple[Question, ...]] = [
            plan_questions(self.graph, trace, asked) for trace in self.traces
        ]
        self._records: dict[QuestionId, QuestionRecord] = {
            q.id: QuestionRecord(q) for step in self._by_step for q in step
        }
        self._ordered = self.questions
        self._learner: dict[QuestionId, LearnerValue] = {}
        # Revealed values: later answers are checked with the engine's number for these.
        self._fixed: set[QuestionId] = set()
        self._candidates: dict[QuestionId, list[Candidate]] = {}
        self._breakdowns: dict[QuestionId, Breakdown] = {}
        # What the learner typed for a typed-kind question they solved.
        self._typed: dict[QuestionId, str] = {}

    # ------------------------------------------------------------ reading

    @property
    def step_count(self) -> int:
        """How many steps the lesson has."""
        return len(self.traces)

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question of every step, in order."""
        return tuple(q for step in self._by_step for q in step)

    def questions_for(self, step: int) -> tuple[Question, ...]:
        """The questions of one step (1-based), in the order they are asked."""
        if not 1 <= step <= len(self._by_step):
            raise ValueError(f"step {step} is not in 1..{len(self._by_step)}")
        return self._by_step[step - 1]

    def question(self, question_id: QuestionId) -> Question:
        """The question with this id (KeyError naming it if there is none)."""
        return self._records[question_id].question

    def record(self, question_id: QuestionId) -> QuestionRecord:
        """What the learner has done with one question."""
        return self._records[question_id]

    def status(self, question_id: QuestionId) -> Status:
        """Where one question stands."""
        return self._records[question_id].status

    def next_open(self, step: int | None = None) -> Question | None:
        """The first question neither solved nor revealed (in `step`, if given)."""
        pool = self.questions if step is None else self.questions_for(step)
        for q in pool:
            if self._records[q.id].status not in (Status.SOLVED, Status.REVEALED):
                return q
        return None

    def known(self, question_id: QuestionId) -> Known | None:
        """The number the learner has settled on for a question (for a panel to fill in)."""
        record = self._records[question_id]
        q = record.question
        if record.revealed:
            shown = shown_text(q, self.traces[q.step - 1]) if is_typed(q) else None
            return Known(q.expected, shown or format_number(q.expected), True)
        if record.solved_by is None:
            return None
        if question_id in self._typed:
            return Known(q.expected, self._typed[question_id].strip(), False)
        given = self._learner.get(question_id)
        if given is None:
            return None
        return Known(given.value, given.text.strip(), False)

    def step_done(self, step: int) -> bool:
        """Whether every question of the step is solved or revealed."""
        return self.next_open(step) is None

    def step_end(self, step: int) -> StepEnd:
        """What a front end says when the step is done: what changed, what comes next."""
        self.questions_for(step)  # the ValueError naming a step out of range
        return step_end(self.lesson, self.traces, step)

    def lesson_end(self) -> LessonEnd:
        """The lesson's takeaways, this lesson's counts and the next lesson."""
        lesson = self.lesson
        return LessonEnd(lesson.title, lesson.text.takeaways, self.summary(), next_lesson(lesson))

    # ------------------------------------------------------------ acting

    def answer(self, question_id: QuestionId, text: str) -> Feedback:
        """Check an answer, record it, and return the feedback to show."""
        record = self._records[question_id]
        question = record.question
        if is_typed(question):
            return self._answer_typed(record, text)
        carried = carried_value(
            question,
            self._ordered,
            self.traces,
            self._learner,
            lambda dep: self._dep_label(dep, question),
            self._fixed,
        )
        feedback = check(question, text, carried=carried, candidates=self._candidates_for(question))
        record.attempts.append(Attempt(text, feedback.verdict, feedback.diagnosis, record.hints))
        if feedback.verdict.solved and record.solved_by is None and not record.revealed:
            record.solved_by = feedback.verdict
        reading = read_answer(text)
        if isinstance(reading, Reading) and not record.revealed:
            # The learner's own number is what later answers are re-checked with.
            # Right given its own rounded inputs counts as rounded: a later answer built
            # on it then says to carry more digits, not that this one was wrong.
            rounded_on = (
                feedback.verdict is Verdict.METHOD_CORRECT_CARRIED
                and carried is not None
                and all(used.learner.rounded for used in carried.used)
            )
            self._learner[question_id] = LearnerValue(
                reading.value, text, agrees(reading, question.expected) or rounded_on
            )
        return feedback

    def _answer_typed(self, record: QuestionRecord, text: str) -> Feedback:
        """Paths or a formula: judged as typed, recorded like a number."""
        feedback = judge(record.question, self.traces[record.question.step - 1], text)
        record.attempts.append(Attempt(text, feedback.verdict, feedback.diagnosis, record.hints))
        if feedback.verdict.solved and record.solved_by is None and not record.revealed:
            record.solved_by = feedback.verdict
            self._typed[record.question.id] = text
        return feedback

    def offers_breakdown(self, question_id: QuestionId) -> bool:
        """Whether to offer breaking the question down (two misses at a hard gradient)."""
        record = self._records[question_id]
        if record.status in (Status.SOLVED, Status.REVEALED) or question_id in self._breakdowns:
            return False
        trace = self.traces[record.question.step - 1]
        return record.wrong_tries >= OFFER_AFTER and needs_breakdown(record.question, trace)

    def breakdown_parts(self, question_id: QuestionId) -> tuple[Part, ...]:
        """The parts the question would break into, without taking the offer (may be empty)."""
        q = self._records[question_id].question
        found = breakdown(q, self.traces[q.step - 1])
        return () if found is None else found.parts

    def break_down(self, question_id: QuestionId) -> Breakdown:
        """Take the offer: the parts to answer (ValueError if the question does not break down)."""
        if question_id in self._breakdowns:
            return self._breakdowns[question_id]
        record = self._records[question_id]
        found = breakdown(record.question, self.traces[record.question.step - 1])
        if found is None:
            raise ValueError(f"{record.question.label} does not break down into parts")
        record.scaffolded = True
        self._breakdowns[question_id] = found
        return found

    def answer_part(self, question_id: QuestionId, index: int, text: str) -> Feedback:
        """Check an answer to one part of a breakdown; a right one is kept for the recap."""
        parts = self.break_down(question_id)
        part: Part = parts.parts[index]
        stand_in = Question(question_id, part.label, part.label, part.expected, (), ())
        feedback = check(stand_in, text, candidates=part.mistakes)
        if feedback.verdict.solved:
            parts.answers[index] = text
        return feedback

    def reveal_part(self, question_id: QuestionId, index: int) -> str:
        """Show one part's value: it is done, as shown; the question stays scaffolded."""
        parts = self.break_down(question_id)
        shown = format_number(parts.parts[index].expected)
        parts.answers[index] = shown
        parts.shown.add(index)
        return shown

    def taken_breakdown(self, question_id: QuestionId) -> Breakdown | None:
        """The breakdown the learner took for a question, if any (without taking one)."""
        return self._breakdowns.get(question_id)

    def hint(self, question_id: QuestionId) -> Hint:
        """The next hint for a question (the last one again once all are shown)."""
        record = self._records[question_id]
        record.hints = min(LEVELS, record.hints + 1)
        trace = self.traces[record.question.step - 1]
        if is_typed(record.question):
            return Hint(question_id, record.hints, hint_text(record.question, trace, record.hints))
        mine = {qid: given.value for qid, given in self._learner.items()}
        mine.update({qid: self._records[qid].question.expected for qid in self._fixed})
        return hint(record.question, trace, record.hints, mine)

    def reveal(self, question_id: QuestionId) -> Reveal:
        """Show the value; unless already solved, the question counts as revealed."""
        record = self._records[question_id]
        question = record.question
        if record.solved_by is None:
            record.revealed = True
        # From here on, later questions are checked with the engine's number.
        self._learner.pop(question_id, None)
        self._fixed.add(question_id)
        if is_typed(question):
            shown = shown_text(question, self.traces[question.step - 1])
        else:
            shown = format_number(question.expected)
        return Reveal(question_id, question.expected, shown, f"{question.label} = {shown}.")

    # ------------------------------------------------------------ summing up

    def summary(self) -> Summary:
        """Counts over every question, the mistakes recognised, and the score per skill."""
        return summarize(self._records.values())

    # ------------------------------------------------------------ internals

    def _candidates_for(self, question: Question) -> list[Candidate]:
        if question.id not in self._candidates:
            trace = self.traces[question.step - 1]
            previous = self.traces[question.step - 2] if question.step > 1 else None
            self._candidates[question.id] = candidates(question, trace, previous)
        return self._candidates[question.id]

    def _dep_label(self, dep: QuestionId, question: Question) -> str:
        other = self._records[dep].question
        label = other.symbol
        if other.step != question.step:
            label = f"step {other.step}'s {label}"
        return label
