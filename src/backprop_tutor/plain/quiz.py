"""The plain tutor: the lesson's quiz as one prompt per line, for screen readers and pipes.

It reads answers a line at a time from any text stream (a terminal or a pipe), writes
no colour codes or cursor movement at all, and prints the summary at the end of the
lesson or at the end of input.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

from ..engine import STAGES, Lesson, format_number
from ..quiz import (
    TOLERANCE_RULE,
    Feedback,
    Hint,
    Question,
    QuestionId,
    QuizSession,
    Reveal,
    Status,
    Summary,
)
from ..quiz.plan import lesson_plan
from ..quiz.typed_kinds import is_typed, typed_forms
from ..quiz.words import BREAK_DOWN, HINT, QUIT, REVEAL, STAGE_TITLES
from .lines import KEYS, Asked, EndOfInput, LineConversation, Stopped, forgiving


def summary_lines(summary: Summary) -> list[str]:
    """The lesson's summary as short lines of plain text."""
    out = [
        f"Solved {summary.solved} of {summary.total} "
        f"({summary.first_try} at the first try, {summary.method_correct} right for your own "
        f"earlier numbers, {summary.scaffolded} worked through in parts).",
        f"Revealed {summary.revealed}, still open {summary.attempted}, "
        f"not reached {summary.unanswered}; hints used {summary.hints}; "
        f"wrong answers {summary.wrong_answers}.",
    ]
    if summary.mistakes:
        named = ", ".join(f"{mistake.words} ×{n}" for mistake, n in summary.mistakes)
        out.append(f"Mistakes recognised: {named}.")
    for score in summary.skills:
        out.append(f"  {score.name}: {score.solved} of {score.asked}")
    return out


@dataclass(frozen=True, slots=True)
class _Asked:
    """One question of the quiz, as the line loop asks it."""

    session: QuizSession
    question_id: QuestionId

    @property
    def settled(self) -> bool:
        """Solved or revealed."""
        return self.session.status(self.question_id) in (Status.SOLVED, Status.REVEALED)

    def hint(self) -> Hint:
        """The next hint."""
        return self.session.hint(self.question_id)

    def reveal(self) -> Reveal:
        """Show the value; it counts as revealed."""
        return self.session.reveal(self.question_id)

    def answer(self, text: str) -> Feedback:
        """Check and record an answer."""
        return self.session.answer(self.question_id, text)


class PlainQuiz(LineConversation):
    """The line-by-line conversation over a whole lesson."""

    REVEALED_NOTE = "Counted as revealed."

    def __init__(self, session: QuizSession, stdin: TextIO, stdout: TextIO) -> None:
        """Talk to the learner through `stdin` and `stdout`."""
        super().__init__(stdin, stdout)
        self.session = session

    def run(self) -> int:
        """Walk every step, then sum up; exit code 0 whatever the learner did."""
        lesson = self.session.lesson
        self.say(f"{lesson.title}: the quiz, one quantity at a time.")
        if lesson.text.intro:
            self.say(lesson.text.intro)
        self.say(f"Type each value as you work it out. {KEYS}.")
        self.say(TOLERANCE_RULE)
        if any(is_typed(q) for q in self.session.questions):
            self.say(typed_forms(self.session.graph))
        try:
            for trace in self.session.traces:
                self.run_step(trace.step)
            self.say()
            for line in self.session.lesson_end().lines:
                self.say(line)
        except EndOfInput:
            self.say("End of input.")
        except (Stopped, KeyboardInterrupt):  # q, or ctrl+c: the summary still comes
            self.say("Stopped.")
        self.say()
        self.say("Summary")
        for line in summary_lines(self.session.summary()):
            self.say(line)
        return 0

    def run_step(self, step: int) -> None:
        """Every question of one step, stage by stage."""
        session = self.session
        trace = session.traces[step - 1]
        graph = session.graph
        inputs = ", ".join(
            f"{graph.label(k)} = {format_number(v)}" for k, v in trace.inputs.items()
        )
        params = ", ".join(
            f"{graph.label(k)} = {format_number(v)}" for k, v in trace.params_before.items()
        )
        self.say()
        self.say(f"Step {step} of {session.step_count}: {inputs}; parameters {params}.")
        stage = ""
        for question in session.questions_for(step):
            if question.stage != stage:
                if stage in STAGES:
                    self._note(step, stage)
                stage = question.stage
                self._stage_heading(stage, trace.learning_rate)
            self.run_question(question)
        if stage in STAGES:
            self._note(step, stage)
        if session.step_done(step):
            self.say()
            for line in session.step_end(step).lines:
                self.say(line)

    def _stage_heading(self, stage: str, rate: float) -> None:
        title = STAGE_TITLES.get(stage, stage)
        if stage == "update":
            title += f" (η = {format_number(rate)})"
        self.say()
        self.say(title)
        text = self.session.lesson.text.stage_text(stage)
        if text:
            self.say(text)

    def _note(self, step: int, stage: str) -> None:
        # Step notes quote results, so they come after the stage, never before it.
        note = self.session.lesson.text.note_for(step, stage)
        if note:
            self.say(f"Note: {note}")

    def run_question(self, question: Question) -> None:
        """Ask until the answer is right, revealed, or input ends."""
        self.ask_until_settled(question.prompt, _Asked(self.session, question.id))

    def respond(self, asked: Asked, text: str) -> None:
        """As every line loop does, plus the offer to break a hard gradient down."""
        if not isinstance(asked, _Asked):
            super().respond(asked, text)
            return
        session, qid = self.session, asked.question_id
        if text.strip().lower() == BREAK_DOWN and (
            session.offers_breakdown(qid) or session.record(qid).scaffolded
        ):
            self._work_parts(qid)
            return
        super().respond(asked, text)
        if session.offers_breakdown(qid):
            count = len(session.breakdown_parts(qid))
            self.say(
                f"  This one can be worked out in {count} smaller parts: type {BREAK_DOWN} "
                f"to do that, or keep trying."
            )

    def _work_parts(self, qid: QuestionId) -> None:
        session = self.session
        parts = session.break_down(qid)
        self.say(f"  In parts: {parts.how}")
        while (index := parts.next_part()) is not None:
            part = parts.parts[index]
            text = self.ask(f"  {part.prompt}")
            command = text.strip()
            if command.lower() in QUIT:
                raise Stopped
            if command == REVEAL:
                shown = format_number(part.expected)
                parts.answers[index] = shown
                self.say(f"    Shown: {part.label} = {shown}.")
            elif command == HINT:
                self.say("    Use the numbers you already have for this part; ! shows it.")
            else:
                self.say(f"    {session.answer_part(qid, index, text).message}")
        self.say(f"  {parts.recap}")


def run_plain(lesson: Lesson, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Run the plain quiz over a lesson on the given streams (default: the process's)."""
    out = stdout if stdout is not None else sys.stdout
    inp = stdin if stdin is not None else sys.stdin
    forgiving(inp, out)
    return PlainQuiz(QuizSession(lesson, plan=lesson_plan(lesson)), inp, out).run()
