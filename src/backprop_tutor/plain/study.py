"""The study session as plain lines of text: `backprop-tutor quiz --plain`.

Same conventions as the plain tutor (`backprop_tutor.plain.quiz`), through the same line
loop: one prompt per line named as the panel names it, `?` for the next hint, `!` to
reveal, `q` to stop; no colour codes; a pipe works as well as a terminal. The difference
is that it asks only the questions the scheduler picked, hands over the numbers each one
builds on, and saves after every answer.
"""

from __future__ import annotations

from typing import TextIO

from ..quiz import TOLERANCE_RULE, Feedback, Hint, Reveal, Summary
from ..quiz.skills import describe
from ..quiz.typed_kinds import is_typed, typed_forms
from ..quiz.words import STAGE_TITLES
from ..study.progress import CannotSave, ProgressError
from ..study.session import StudySession
from ..study.words import COMES_BACK, when
from .lines import KEYS, Asked, EndOfInput, LineConversation, Stopped


def summary_lines(summary: Summary) -> list[str]:
    """The end-of-session summary as plain lines."""
    out = [f"Right at the first try: {summary.first_try} of {summary.total}."]
    for score in summary.skills:
        percent = round(100 * score.accuracy)
        out.append(
            f"  {score.name}: {score.first_try} of {score.asked} ({percent}%), box {score.box}"
        )
    standing = summary.standing
    if standing is not None:
        days = "day" if standing.streak == 1 else "days"
        out.append(f"Streak: {standing.streak} {days} in a row.")
        if standing.due_next:
            day, skills = standing.due_next[0]
            names = ", ".join(describe(s) for s in skills)
            out.append(f"Next due {when(day, standing.today)}: {names}.")
    return out


class _Current:
    """The study's current question, as the line loop asks it."""

    def __init__(self, study: StudySession) -> None:
        self.study = study
        self.start = study.done

    @property
    def settled(self) -> bool:
        """Finished (and saved, or waiting to be): the session has moved on."""
        return self.study.done != self.start or self.study.current is None

    def hint(self) -> Hint:
        """The next hint."""
        return self.study.hint()

    def reveal(self) -> Reveal:
        """Show the value; it counts as missed and comes back."""
        return self.study.reveal()

    def answer(self, text: str) -> Feedback:
        """Check an answer; a solved one is saved."""
        return self.study.answer(text)


class PlainStudy(LineConversation):
    """The line-by-line conversation over one study session."""

    REVEALED_NOTE = COMES_BACK

    def __init__(self, study: StudySession, stdin: TextIO, stdout: TextIO) -> None:
        """Talk through `stdin` and `stdout`."""
        super().__init__(stdin, stdout)
        self.study = study

    def run(self) -> int:
        """Ask every planned question, then sum up; exit code 0."""
        study = self.study
        lesson = study.lesson
        self.say(f"{lesson.title}: self-study, exercise {study.seed} (fresh numbers).")
        if study.resumed:
            self.say(f"Resuming where you stopped: question {study.number} of {study.total}.")
        for line in study.numbers_text():
            self.say(line)
        practised = study.practised()
        if not study.due_today():
            self.say("Nothing is due today; this session reviews early what comes due first.")
        self.say("This session practises: " + ", ".join(map(describe, practised)) + ".")
        self.say(f"Type each value. {KEYS} (your place is kept).")
        self.say(TOLERANCE_RULE)
        if any(is_typed(study.quiz.question(key)) for key in study.plan.queue):
            self.say(typed_forms(study.lesson.graph))
        try:
            while study.current is not None:
                self.run_question()
        except (EndOfInput, Stopped, KeyboardInterrupt):
            lost = study.close()
            if lost is not None:
                self.say(f"Stopped at question {study.number} of {study.total}. {lost}.")
                return 2
            self.say(
                f"Stopped at question {study.number} of {study.total}; your place is saved."
                " Run the same command to go on."
            )
            return 0
        self.say()
        self.say("Session complete.")
        lost = study.close()
        if lost is not None:
            self.say(f"{lost}.")
        for line in summary_lines(study.summary()):
            self.say(line)
        return 0 if lost is None else 2

    def run_question(self) -> None:
        """Ask the current question until it is right or revealed."""
        study = self.study
        question = study.current
        assert question is not None
        stage = STAGE_TITLES.get(question.stage, question.stage)
        self.say()
        self.say(f"[{study.number}/{study.total}] Step {question.step}, {stage.lower()}")
        givens = study.givens(question)
        if givens:
            self.say("  Given: " + ", ".join(f"{label} = {value}" for label, value in givens))
        self.ask_until_settled(question.prompt, _Current(study))

    def respond(self, asked: Asked, text: str) -> None:
        """As every plain front end does, and say when an answer could not be saved."""
        try:
            super().respond(asked, text)
        except CannotSave as problem:
            self.say(f"  Not saved: {problem}. It will be saved with your next answer.")
        except ProgressError as problem:
            self.say(f"  Not saved: {problem}.")
            raise Stopped from None
