"""Spaced repetition with Leitner boxes, one box per skill.

- A skill never seen is *new* (box 0) and due at once.
- A miss sends the skill to box 1, due again the same day: it comes back later in the
  same session (a follow-up question) and first thing in the next session.
- A success while the skill is due moves it up one box (a new skill starts in box 2);
  box k waits GAP_DAYS[k] days: 1, 2, 4, 8, 16 for boxes 2 to 6. A success on a skill
  that is not due (a second question on it in one session) counts for accuracy but
  does not move it again.
- A session asks only questions on due skills, at most a few per skill.

Time comes in as an argument (`now`, `today`): nothing here reads the clock, so tests
can live through a month in milliseconds.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

from ..quiz.ids import QuestionId

# Days a skill waits in each box before it is due again; box 1 (missed) waits none.
GAP_DAYS: tuple[int, ...] = (0, 0, 1, 2, 4, 8, 16)
TOP_BOX = len(GAP_DAYS) - 1
SESSION_SIZE = 8  # questions planned per session, before follow-ups
PER_SKILL = 2  # questions planned per due skill
FOLLOW_UP_GAP = 3  # a missed skill comes back this many questions later
MAX_FOLLOW_UPS = 2  # per skill per session, so a hard skill cannot make a session endless

Outcome = Literal["right", "hinted", "missed"]


class StudyQuestion(Protocol):
    """What the scheduler needs of a question: an id unique in its exercise, and skills."""

    @property
    def id(self) -> QuestionId:
        """Which question: step, kind and node (step 1, gradient of a)."""

    @property
    def skills(self) -> tuple[str, ...]:
        """The skills the question exercises."""


@dataclass(frozen=True)
class Answer:
    """One answered question, as saved in the progress file."""

    id: str
    time: datetime
    lesson: str
    seed: int
    question: QuestionId
    skills: tuple[str, ...]
    outcome: Outcome
    charged: tuple[str, ...] = ()  # skills a miss or a hint is held against


@dataclass(frozen=True)
class SkillState:
    """Where one skill stands: its box, when it is due, how it has gone so far."""

    skill: str
    box: int = 0
    due: date | None = None  # None: new, due at once
    asked: int = 0
    right: int = 0
    last: datetime | None = None

    @property
    def accuracy(self) -> float | None:
        """Share of answers right at the first try, or None before any answer."""
        return self.right / self.asked if self.asked else None

    def is_due(self, today: date) -> bool:
        """Whether a session on `today` should ask this skill."""
        return self.due is None or self.due <= today


def apply(state: SkillState, answer: Answer) -> SkillState:
    """The state after one answer touching this skill."""
    today = answer.time.date()
    asked = state.asked + 1
    if answer.outcome == "right":
        right = state.right + 1
        if state.is_due(today):
            # New or just missed, a success lands in box 2: due again in a day.
            box = min(max(state.box, 1) + 1, TOP_BOX)
            return SkillState(
                state.skill, box, today + timedelta(GAP_DAYS[box]), asked, right, answer.time
            )
        return replace(state, asked=asked, right=right, last=answer.time)
    if state.skill not in answer.charged:
        # Missed or hinted, but held against another skill of the question.
        return replace(state, asked=asked, last=answer.time)
    if answer.outcome == "missed":
        return SkillState(state.skill, 1, today, asked, state.right, answer.time)
    # Solved with a hint: it stays in its box and is looked at again next session.
    return replace(state, asked=asked, due=today, last=answer.time)


def replay(answers: Iterable[Answer]) -> dict[str, SkillState]:
    """Every skill's state, from the whole answer history in time order."""
    states: dict[str, SkillState] = {}
    for answer in sorted(answers, key=lambda a: a.time):
        for skill in answer.skills:
            states[skill] = apply(states.get(skill, SkillState(skill)), answer)
    return states


def charged_skills(
    skills: Sequence[str], states: Mapping[str, SkillState], named: Sequence[str] = ()
) -> tuple[str, ...]:
    """The skills a miss is held against.

    The skills a diagnosis named, when it named any of this question's; otherwise the
    weakest link: the question's skills in the lowest box. Blaming every skill of a
    multi-skill question would drag along skills the learner has shown they know.
    """
    named_here = tuple(s for s in named if s in skills)
    if named_here:
        return named_here
    if not skills:
        return ()
    lowest = min(states.get(s, SkillState(s)).box for s in skills)
    return tuple(s for s in skills if states.get(s, SkillState(s)).box == lowest)


def _rank(state: SkillState) -> int:
    """Missed skills first, then new ones, then the rest from the lowest box up."""
    if state.box == 1:
        return 0
    if state.box == 0:
        return 1
    return state.box


def due_skills(skills: Iterable[str], states: Mapping[str, SkillState], today: date) -> list[str]:
    """The skills due on `today`, most urgent first (ties kept in the order given)."""
    known = [states.get(s, SkillState(s)) for s in dict.fromkeys(skills)]
    due = [s for s in known if s.is_due(today)]
    due.sort(key=lambda s: (_rank(s), s.due or date.min))
    return [s.skill for s in due]


def plan_session(
    questions: Sequence[StudyQuestion],
    states: Mapping[str, SkillState],
    today: date,
    *,
    seed: int,
    size: int = SESSION_SIZE,
    per_skill: int = PER_SKILL,
) -> list[QuestionId]:
    """The ids of the questions to ask, in the order the exercise lists them.

    Questions are picked for the due skills, most urgent first, `per_skill` each, up to
    `size`. When nothing is due the skills due soonest are reviewed early, so a session
    is never empty. The same seed and states give the same plan.
    """
    rng = random.Random(f"plan:{seed}")
    all_skills = [s for q in questions for s in q.skills]
    urgent = due_skills(all_skills, states, today)
    if not urgent:
        known = [states[s] for s in dict.fromkeys(all_skills) if s in states]
        if not known:
            return []
        soonest = min(s.due or today for s in known)
        urgent = [s.skill for s in known if (s.due or today) == soonest]
    order = {q.id: i for i, q in enumerate(questions)}
    chosen: list[QuestionId] = []
    for skill in urgent:
        if len(chosen) >= size:
            break
        candidates = [q for q in questions if skill in q.skills and q.id not in chosen]
        # Focused questions first (fewest skills), with a seeded shuffle among equals so
        # that different exercises practise different nodes.
        rng.shuffle(candidates)
        candidates.sort(key=lambda q: len(q.skills))
        for question in candidates[: min(per_skill, size - len(chosen))]:
            chosen.append(question.id)
    return sorted(chosen, key=order.__getitem__)


@dataclass
class SessionPlan:
    """A session: what to ask, how far it got, the follow-ups added; saved to resume it."""

    id: str
    lesson: str  # progress key: a built-in lesson's name, or the resolved path of a file
    seed: int
    queue: list[QuestionId]
    position: int = 0
    follow_ups: dict[str, int] = field(default_factory=dict)
    finished: bool = False
    started: datetime | None = None

    @property
    def current(self) -> QuestionId | None:
        """The id of the question being asked, or None when the session is over."""
        return self.queue[self.position] if self.position < len(self.queue) else None

    def advance(
        self,
        questions: Sequence[StudyQuestion],
        charged: Sequence[str],
    ) -> QuestionId | None:
        """Move past the current question; a miss schedules a follow-up on its skills.

        Returns the id of the follow-up added, if any.
        """
        added: QuestionId | None = None
        asked = self.queue[: self.position + 1]
        pending = self.queue[self.position + 1 :]
        for skill in charged:
            if self.follow_ups.get(skill, 0) >= MAX_FOLLOW_UPS:
                continue
            if any(skill in _skills_of(questions, key) for key in pending):
                continue  # a question on it is already coming
            with_skill = [q.id for q in questions if skill in q.skills]
            fresh = [key for key in with_skill if key not in asked]
            # Prefer a question not asked yet; failing that, the same one again later.
            key = fresh[0] if fresh else self.queue[self.position]
            where = min(self.position + 1 + FOLLOW_UP_GAP, len(self.queue))
            self.queue.insert(where, key)
            pending = self.queue[self.position + 1 :]
            self.follow_ups[skill] = self.follow_ups.get(skill, 0) + 1
            added = added or key
        self.position += 1
        if self.position >= len(self.queue):
            self.finished = True
        return added


def _skills_of(questions: Sequence[StudyQuestion], key: QuestionId) -> tuple[str, ...]:
    for question in questions:
        if question.id == key:
            return question.skills
    return ()


def streak(answers: Iterable[Answer], today: date) -> int:
    """Days in a row, ending today or yesterday, with at least one answer."""
    days = {a.time.date() for a in answers}
    day = today if today in days else today - timedelta(1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(1)
    return count


def next_due(states: Mapping[str, SkillState], today: date) -> list[tuple[date, list[str]]]:
    """Skills grouped by due date, soonest first; skills already due are listed as today."""
    groups: dict[date, list[str]] = {}
    for state in states.values():
        when = max(state.due or today, today)
        groups.setdefault(when, []).append(state.skill)
    return [(when, sorted(groups[when])) for when in sorted(groups)]
