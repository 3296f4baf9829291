"""The tutor's state with its work saved: every answer, hint and reveal, as it happens.

Opened on a lesson's saved record, it first replays the record's events through the
quiz session (as if typed again), so every mark, the stage the answers reached and
every panel follow from the one record; then it goes to the place the learner left.
No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable

from backprop_tutor.engine import Lesson, StepTrace
from backprop_tutor.quiz import Feedback, Hint, Question, Reveal
from backprop_tutor.quiz.plan import QuizPlan
from backprop_tutor.study.tutor_records import Action, Place
from backprop_tutor.study.tutor_saves import LessonSaves, Replayer, replay

from .state import TutorState
from .stepper import STAGES, Position


class SavedState(TutorState):
    """A `TutorState` whose record is saved after each change (when it has somewhere to go)."""

    def __init__(
        self,
        lesson: Lesson,
        traces: tuple[StepTrace, ...],
        saves: LessonSaves | None = None,
        plan: QuizPlan | None = None,
    ) -> None:
        super().__init__(lesson, traces, plan)
        self.saves = saves
        self.on_problem: Callable[[str], None] | None = None  # told when a save fails
        # Given a save, runs it once the verdict is on screen (the app sets it): writing
        # and syncing the file took a third of the time from Enter to the verdict. None:
        # each change is written at once.
        self.save_later: Callable[[Callable[[], None]], None] | None = None
        self._save_due = False
        self.restored = 0  # events replayed from the saved record
        if saves is not None and saves.events:
            known = (q.id for q in self.session.questions)
            self.restored = replay(saves.events, self._replayer(), known)
        if saves is not None:
            left = self._position  # where the answers took the learner
            self._position = self._valid(saves.record.place)
            # Left elsewhere by stepping: the status line shows that pass, not the method.
            self._stepped = self._position != left and not self._position.at_start

    def _replayer(self) -> Replayer:
        """Events straight into the state, without saving them again."""
        question = self.session.question
        return Replayer(
            lambda qid, text: TutorState.answer(self, question(qid), text),
            lambda qid: TutorState.hint(self, question(qid)),
            lambda qid: TutorState.reveal(self, question(qid)),
        )

    def _valid(self, place: Place) -> Position:
        """The saved place, or where replaying left the learner if it is not one here."""
        stages_ok = place.stage in STAGES and place.step < self.stepper.step_count
        if not stages_ok or place.done > len(self.stepper.items(place.stage)):
            return self._position
        return Position(place.step, place.stage, place.done)

    @property
    def place(self) -> Place:
        """The position, as the record keeps it."""
        pos = self.position
        return Place(pos.step, pos.stage, pos.done)

    def keep_place(self) -> None:
        """Save where the learner is (on leaving the lesson)."""
        if self.saves is not None and not self.saves.move_to(self.place):
            self._failed()

    def _save(self, question: Question, action: Action, text: str = "") -> None:
        if self.saves is None:
            return
        self.saves.note(question.id, action, text, self.place)
        if self.save_later is None:
            self.flush()
        elif not self._save_due:
            self._save_due = True
            self.save_later(self.flush)

    def flush(self) -> None:
        """Write every change not saved yet (a failure is said, and kept for the next try)."""
        self._save_due = False
        if self.saves is not None and self.saves.unsaved and not self.saves.save():
            self._failed()

    def _failed(self) -> None:
        if self.saves is not None and self.saves.problem and self.on_problem is not None:
            count = self.saves.unsaved
            self.on_problem(
                f"Not saved yet ({count} kept in memory; tried again with the next answer):"
                f" {self.saves.problem}"
            )

    # --- the record's changes, each saved -----------------------------------------------
    def answer(self, question: Question, text: str) -> Feedback:
        """Check and record an answer, then save it."""
        feedback = super().answer(question, text)
        self._save(question, "answer", text)
        return feedback

    def reveal(self, question: Question) -> Reveal:
        """Show a question's value, then save that it was shown."""
        shown = super().reveal(question)
        self._save(question, "reveal")
        return shown

    def hint(self, question: Question) -> Hint:
        """The next hint for a question; that it was asked for is saved."""
        given = super().hint(question)
        self._save(question, "hint")
        return given
