"""Tutor work saved as the learner goes, and replayed when a lesson is opened again.

`LessonSaves` is the one object a front end talks to: it opens a lesson's record from
the progress store (setting aside one for a lesson that changed, or one the learner
starts over), adds an event after every answer, hint and reveal and saves at once, with
the store's guarantees (temporary file, fsync, rename, lock and merge). `replay` feeds
a record's events back through a quiz session, so everything shown follows from them.
No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from ..engine import Lesson
from ..quiz import QuizSession, Status
from ..quiz.ids import QuestionId
from ..quiz.plan import QuizPlan
from .progress import Progress, ProgressError, ProgressStore
from .session import lesson_key
from .tutor_records import (
    Action,
    AsideReason,
    Place,
    TutorEvent,
    TutorRecord,
    current_record,
    fingerprint,
    new_event,
    new_record,
)

Clock = Callable[[], datetime]


# ---------------------------------------------------------------- replaying


@dataclass(frozen=True)
class Replayer:
    """Where replayed events go: one callable per action, each given the question's id."""

    answer: Callable[[QuestionId, str], object]
    hint: Callable[[QuestionId], object]
    reveal: Callable[[QuestionId], object]


def replay(events: Iterable[TutorEvent], into: Replayer, known: Iterable[QuestionId]) -> int:
    """Feed the events to `into` in order; returns how many were replayed.

    An event for a question the lesson does not have is passed over (the fingerprint
    makes that a damaged file, never a changed lesson); it stays in the file.
    """
    ids = set(known)
    count = 0
    for event in events:
        if event.question not in ids:
            continue
        if event.action == "answer":
            into.answer(event.question, event.text)
        elif event.action == "hint":
            into.hint(event.question)
        else:
            into.reveal(event.question)
        count += 1
    return count


def session_replayer(session: QuizSession) -> Replayer:
    """A replayer straight into a quiz session (no screen: the home list, `progress`)."""
    return Replayer(session.answer, session.hint, session.reveal)


@dataclass(frozen=True)
class LessonStatus:
    """How far a lesson is: not started, in progress (step, answered of all), or done."""

    state: Literal["not started", "in progress", "done"]
    step: int  # 1-based: the step the learner was at
    answered: int  # solved or revealed
    total: int | None  # every question of the lesson; None where not counted (see below)
    first_try: int  # right at the first try: the lesson's score
    revealed: int
    changed: bool = False  # the lesson changed since: its record will not be restored

    def words(self) -> str:
        """One short phrase: `not started`, `in progress (step 2, 12 of 21 answered)`, `done`."""
        if self.changed:
            return "changed since your last visit: starts fresh"
        if self.state == "in progress":
            return f"in progress (step {self.step}, {self.answered} of {self.total} answered)"
        if self.state == "done":
            return f"done · {self.first_try} of {self.total} right at the first try"
        return "not started"


def lesson_status(
    lesson: Lesson,
    record: TutorRecord | None,
    plan: QuizPlan | None = None,
    *,
    count_unstarted: bool = True,
) -> LessonStatus:
    """Replay a lesson's record through a fresh quiz session (asking `plan`); how far it is.

    `plan` is by default the lesson's own. Without `count_unstarted`, a lesson not
    started is not run at all (its total is None): the home screen, the first screen,
    says only "not started".
    """
    unstarted = record is None or (not record.events and record.place == Place())
    if unstarted and not count_unstarted:
        return LessonStatus("not started", 1, 0, None, 0, 0)
    session = QuizSession(lesson, plan=plan)
    total = len(session.questions)
    if record is None or unstarted:
        return LessonStatus("not started", 1, 0, total, 0, 0)
    if record.fingerprint != fingerprint(lesson):
        return LessonStatus("not started", 1, 0, total, 0, 0, changed=True)
    replay(record.events, session_replayer(session), (q.id for q in session.questions))
    summary = session.summary()
    statuses = [session.status(q.id) for q in session.questions]
    answered = sum(s in (Status.SOLVED, Status.REVEALED) for s in statuses)
    state: Literal["in progress", "done"] = "done" if answered == total else "in progress"
    step = min(record.place.step, session.step_count - 1) + 1
    return LessonStatus(state, step, answered, total, summary.first_try, summary.revealed)


def last_worked_on(records: Mapping[str, TutorRecord]) -> str | None:
    """The key of the lesson whose record in use saw the latest answer or move, if any."""
    live = [r for r in records.values() if r.aside is None and (r.events or r.placed)]
    if not live:
        return None

    def latest(record: TutorRecord) -> datetime:
        times = [e.time for e in record.events] + [record.placed or record.started]
        return max(times)

    return max(live, key=latest).lesson


# ---------------------------------------------------------------- saving as one goes


class LessonSaves:
    """One lesson's record in the tutor, saved after every event; start with `LessonSaves.open`."""

    def __init__(
        self,
        store: ProgressStore,
        lesson: Lesson,
        record: TutorRecord,
        clock: Clock,
        notice: str | None = None,
    ) -> None:
        """Use `open`; this wires the parts together."""
        self.store = store
        self.lesson = lesson
        self.record = record
        self.clock = clock
        self.notice = notice  # one line for the learner: the lesson changed, or starts over
        self.problem: str | None = None  # why the last save failed, while it stays failed
        self._saved = len(record.events)  # events known to be on disk

    @classmethod
    def open(
        cls,
        store: ProgressStore,
        lesson: Lesson,
        *,
        clock: Clock,
        fresh: bool = False,
        progress: Progress | None = None,
    ) -> LessonSaves:
        """The lesson's record in use, or a new one; the old one set aside if fresh or changed.

        Raises UnreadableProgress when the file cannot be read (the front end asks before
        moving it aside) and CannotSave when setting a record aside cannot be saved.
        """
        progress = store.load() if progress is None else progress
        key = lesson_key(lesson)
        current = current_record(progress.tutor, key)
        now = clock()
        if current is None:
            return cls(store, lesson, new_record(key, lesson, now), clock)
        reason: AsideReason
        if fresh:
            reason = "fresh"
            notice = f"{lesson.title} starts over; your earlier work on it is kept, set aside."
        elif current.fingerprint != fingerprint(lesson):
            reason = "changed"
            notice = (
                f"{lesson.title} has changed since your work on it was saved, so it starts"
                " fresh; the earlier work is kept, set aside."
            )
        else:
            return cls(store, lesson, current, clock)
        store.save(tutor=[replace(current, aside=reason, aside_at=now)])
        return cls(store, lesson, new_record(key, lesson, now), clock, notice)

    @property
    def events(self) -> tuple[TutorEvent, ...]:
        """Everything the learner did in this lesson, in order."""
        return self.record.events

    @property
    def unsaved(self) -> int:
        """Events a failed save left in memory only."""
        return len(self.record.events) - self._saved

    def add(self, question: QuestionId, action: Action, text: str, place: Place) -> bool:
        """Record one answer, hint or reveal with the place it left the learner at, and save."""
        self.note(question, action, text, place)
        return self.save()

    def note(self, question: QuestionId, action: Action, text: str, place: Place) -> None:
        """Record one answer, hint or reveal in memory only (`save` writes it, `unsaved`
        counts it)."""
        now = self.clock()
        event = new_event(now, question, action, text)
        self.record = replace(
            self.record, events=(*self.record.events, event), place=place, placed=now
        )

    def move_to(self, place: Place) -> bool:
        """Keep where the learner is (on leaving the lesson); saved only if it moved."""
        if place == self.record.place and not self.unsaved:
            return True
        self.record = replace(self.record, place=place, placed=self.clock())
        return self.save()

    def save(self) -> bool:
        """Write the record (merged with what is on disk); False, with `problem` set, if it failed.

        A failed save keeps everything in memory; the next one writes it all.
        """
        count = len(self.record.events)
        try:
            self.store.save(tutor=[self.record])
        except ProgressError as problem:
            self.problem = str(problem)
            return False
        self._saved = count
        self.problem = None
        return True

    def close(self) -> str | None:
        """Save what is not saved yet (one more try after a failure); None if all is
        saved, else the line to show."""
        if (self.problem is None and not self.unsaved) or self.save():
            return None
        count = self.unsaved
        noun = "answer, hint or reveal was" if count == 1 else "answers, hints and reveals were"
        return f"{count} {noun} in {self.lesson.title} NOT saved: {self.problem}"
