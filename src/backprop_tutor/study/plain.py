"""The study session as plain lines of text: `backprop-tutor quiz --plain`.

Same conventions as the quiz's plain front end (`backprop_tutor.quiz.plain`): one
prompt per line named as the panel names it, `?` for the next hint, `!` to reveal, `q`
to stop; no colour codes; a pipe works as well as a terminal. The difference is that it
asks only the questions the scheduler picked, hands over the numbers each one builds
on, and saves after every answer.
"""

from __future__ import annotations

from datetime import date
from typing import TextIO

from ..quiz import TOLERANCE_RULE
from ..quiz.lines import EndOfInput, LineConversation
from ..quiz.plain import HINT, QUIT, REVEAL, STAGE_TITLES
from .progress import CannotSave, ProgressError
from .session import StudySession, StudySummary, describe_skill

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class _Stop(EndOfInput):
    """Input ended or the learner typed q; the place is saved."""


def when(day: date, today: date) -> str:
    """A due date in words: today, tomorrow (Tue 3 Mar), in 3 days (Thu 5 Mar)."""
    days = (day - today).days
    if days <= 0:
        return "today"
    # Day and month names from a fixed table: the words must not follow the locale.
    shown = f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return f"tomorrow ({shown})" if days == 1 else f"in {days} days ({shown})"


def summary_lines(summary: StudySummary) -> list[str]:
    """The end-of-session summary as plain lines."""
    out = [f"Right at the first try: {summary.right} of {summary.asked}."]
    for line in summary.skills:
        percent = round(100 * line.accuracy)
        out.append(f"  {line.name}: {line.right} of {line.asked} ({percent}%), box {line.box}")
    days = "day" if summary.streak == 1 else "days"
    out.append(f"Streak: {summary.streak} {days} in a row.")
    if summary.due_next:
        day, skills = summary.due_next[0]
        names = ", ".join(describe_skill(s) for s in skills)
        out.append(f"Next due {when(day, summary.today)}: {names}.")
    return out


class PlainStudy(LineConversation):
    """The line-by-line conversation over one study session."""

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
        self.say("This session practises: " + ", ".join(map(describe_skill, practised)) + ".")
        self.say(
            f"Type each value. {HINT} gives the next hint, {REVEAL} shows the value,"
            " q stops (your place is kept)."
        )
        self.say(TOLERANCE_RULE)
        try:
            while study.current is not None:
                self.run_question()
        except EndOfInput:
            self.say(
                f"Stopped at question {study.number} of {study.total}; your place is saved."
                " Run the same command to go on."
            )
            return 0
        self.say()
        self.say("Session complete.")
        if study.unsaved:
            try:
                study.retry_save()
            except ProgressError as problem:
                self.say(f"{study.unsaved} answers could not be saved: {problem}.")
        for line in summary_lines(study.summary()):
            self.say(line)
        return 0

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
        start = study.done
        while study.done == start and study.current is not None:
            text = self.ask(question.prompt)
            command = text.strip()
            if command.lower() in QUIT:
                raise _Stop
            try:
                if command == HINT:
                    hint = study.hint()
                    more = " (that is the last hint)" if hint.last else ""
                    self.say(f"  Hint {hint.level}{more}: {hint.text}")
                elif command == REVEAL:
                    shown = study.reveal()
                    self.say(f"  Shown: {shown.message} It will come back.")
                else:
                    self.say(f"  {study.answer(text).message}")
            except CannotSave as problem:
                self.say(f"  Not saved: {problem}. It will be saved with your next answer.")
            except ProgressError as problem:
                self.say(f"  Not saved: {problem}.")
                raise _Stop from None
