"""A session summed up: the one summary type of the quiz and of self-study.

The quiz sums every question of a lesson; a study session sums the questions it asked
and adds where each skill now stands (its Leitner box, when it is due, the streak).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from . import skills as skill_tags
from .checker import Verdict
from .diagnosis import Mistake
from .record import QuestionRecord, Status


@dataclass(frozen=True, slots=True)
class SkillScore:
    """How the learner did on the questions exercising one skill, and where it stands."""

    skill: str
    asked: int
    solved: int
    first_try: int
    box: int | None = None  # self-study: the Leitner box the skill is in now
    due: date | None = None  # self-study: when it is due next (None: due now)

    @property
    def name(self) -> str:
        """The skill in words."""
        return skill_tags.describe(self.skill)

    @property
    def accuracy(self) -> float:
        """Share right at the first try."""
        return self.first_try / self.asked if self.asked else 0.0


@dataclass(frozen=True, slots=True)
class Standing:
    """Self-study only: the streak and what comes due next, as of `today`."""

    streak: int  # days in a row with an answer
    due_next: tuple[tuple[date, tuple[str, ...]], ...]  # dates with the skills due then
    today: date


@dataclass(frozen=True, slots=True)
class Summary:
    """A session in numbers."""

    total: int
    solved: int
    first_try: int
    method_correct: int
    revealed: int
    attempted: int
    unanswered: int
    hints: int
    wrong_answers: int
    mistakes: tuple[tuple[Mistake, int], ...]  # most common first
    skills: tuple[SkillScore, ...]  # in the order the skills first come
    standing: Standing | None = None
    scaffolded: int = 0  # solved after breaking the question down


def summarize(records: Iterable[QuestionRecord]) -> Summary:
    """Counts over the records, the mistakes recognised, and the score per skill."""
    records = list(records)
    statuses = Counter(r.status for r in records)
    mistakes = Counter(a.diagnosis for r in records for a in r.attempts if a.diagnosis is not None)
    asked: Counter[str] = Counter()
    solved: Counter[str] = Counter()
    first_try: Counter[str] = Counter()
    for r in records:
        if r.status is Status.UNANSWERED:
            continue
        for tag in r.question.skills:
            asked[tag] += 1
            solved[tag] += r.status is Status.SOLVED
            first_try[tag] += r.first_try
    return Summary(
        total=len(records),
        solved=statuses[Status.SOLVED],
        first_try=sum(r.first_try for r in records),
        method_correct=sum(r.solved_by is Verdict.METHOD_CORRECT_CARRIED for r in records),
        revealed=statuses[Status.REVEALED],
        attempted=statuses[Status.ATTEMPTED],
        unanswered=statuses[Status.UNANSWERED],
        hints=sum(r.hints for r in records),
        wrong_answers=sum(a.verdict is Verdict.WRONG for r in records for a in r.attempts),
        mistakes=tuple(mistakes.most_common()),
        skills=tuple(SkillScore(t, asked[t], solved[t], first_try[t]) for t in asked),
        scaffolded=sum(r.scaffolded and r.status is Status.SOLVED for r in records),
    )
