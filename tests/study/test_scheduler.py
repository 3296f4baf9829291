"""Leitner scheduling: misses come back soon, successes space out, sessions follow what is due."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from backprop_tutor.quiz import QuestionId
from backprop_tutor.study.scheduler import (
    GAP_DAYS,
    Answer,
    Outcome,
    SessionPlan,
    SkillState,
    apply,
    charged_skills,
    due_skills,
    next_due,
    plan_session,
    replay,
    streak,
)

from .fakes import WORKED_EXAMPLE_QUESTIONS as QUESTIONS

ID = QuestionId.parse  # ids written as text, the way the progress file keeps them
DAY0 = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
SKILLS = {q.id: q.skills for q in QUESTIONS}


def _answer(n: int, when: datetime, skills: tuple[str, ...], outcome: Outcome) -> Answer:
    charged = skills if outcome != "right" else ()
    return Answer(f"a{n}", when, "branch-merge", 1, ID("1:value:u"), skills, outcome, charged)


def test_a_missed_skill_is_due_sooner_than_a_mastered_one() -> None:
    """Three right answers on spaced days versus one miss: the miss is due first."""
    answers = [
        _answer(1, DAY0, ("evaluate",), "right"),
        _answer(2, DAY0 + timedelta(1), ("evaluate",), "right"),
        _answer(3, DAY0 + timedelta(3), ("evaluate",), "right"),
        _answer(4, DAY0 + timedelta(3), ("chain-rule",), "missed"),
    ]
    states = replay(answers)
    mastered, missed = states["evaluate"], states["chain-rule"]
    assert missed.box == 1 and missed.due == (DAY0 + timedelta(3)).date()
    assert mastered.box == 4
    assert mastered.due == (DAY0 + timedelta(3 + GAP_DAYS[4])).date()
    assert missed.due is not None and mastered.due is not None
    assert missed.due < mastered.due
    today = (DAY0 + timedelta(4)).date()
    assert due_skills(["evaluate", "chain-rule"], states, today) == ["chain-rule"]


def test_gaps_grow_one_box_per_due_success() -> None:
    """Each success on a due day moves up a box; the wait doubles: 1, 2, 4, 8, 16 days."""
    state = SkillState("update")
    when = DAY0
    waits = []
    for n in range(6):
        state = apply(state, _answer(n, when, ("update",), "right"))
        assert state.due is not None
        waits.append((state.due - when.date()).days)
        when = datetime.combine(state.due, DAY0.timetz())
    assert waits == [1, 2, 4, 8, 16, 16]


def test_a_second_success_the_same_day_does_not_move_up_again() -> None:
    """Only a success on a due skill promotes it; accuracy still counts every answer."""
    first = apply(SkillState("update"), _answer(1, DAY0, ("update",), "right"))
    first = apply(first, _answer(2, DAY0, ("update",), "right"))
    second = apply(first, _answer(3, DAY0 + timedelta(hours=1), ("update",), "right"))
    assert second.box == first.box == 2
    assert second.asked == 3 and second.right == 3


def test_a_miss_resets_to_box_one_and_a_hint_keeps_the_box() -> None:
    """Missed: back to box 1, due today. Hinted: same box, due today."""
    state = replay([_answer(n, DAY0 + timedelta(n), ("update",), "right") for n in range(3)])[
        "update"
    ]
    later = DAY0 + timedelta(20)
    missed = apply(state, _answer(9, later, ("update",), "missed"))
    hinted = apply(state, _answer(9, later, ("update",), "hinted"))
    assert (missed.box, missed.due) == (1, later.date())
    assert (hinted.box, hinted.due) == (state.box, later.date())
    assert missed.accuracy == hinted.accuracy == 3 / 4


def test_a_miss_blames_the_weakest_skill_of_the_question() -> None:
    """A skill the learner has shown they know is not dragged down by a miss elsewhere."""
    states = {
        "chain-rule": SkillState("chain-rule", box=4),
        "local:reciprocal": SkillState("local:reciprocal", box=1),
    }
    skills = ("local:reciprocal", "chain-rule")
    assert charged_skills(skills, states) == ("local:reciprocal",)
    assert charged_skills(skills, states, named=["chain-rule"]) == ("chain-rule",)
    assert charged_skills(skills, {}) == skills


def test_same_seed_same_session_other_seed_other_nodes() -> None:
    """The plan depends only on the seed and the states."""
    today = DAY0.date()
    first = plan_session(QUESTIONS, {}, today, seed=5)
    assert first == plan_session(QUESTIONS, {}, today, seed=5)
    assert 0 < len(first) <= 8
    plans = {tuple(plan_session(QUESTIONS, {}, today, seed=s)) for s in range(10)}
    assert len(plans) > 1


def test_a_session_asks_only_what_is_due() -> None:
    """With one skill due, every planned question exercises it."""
    states = {
        skill: SkillState(skill, box=4, due=DAY0.date() + timedelta(5))
        for question in QUESTIONS
        for skill in question.skills
    }
    states["update"] = SkillState("update", box=1, due=DAY0.date())
    plan = plan_session(QUESTIONS, states, DAY0.date(), seed=1)
    assert plan and all("update" in SKILLS[key] for key in plan)
    assert len(plan) < len(QUESTIONS)


def test_when_nothing_is_due_the_soonest_skills_are_reviewed() -> None:
    """A session is never empty: it reviews what comes due first."""
    states = {
        skill: SkillState(skill, box=4, due=DAY0.date() + timedelta(5))
        for question in QUESTIONS
        for skill in question.skills
    }
    states["update"] = SkillState("update", box=3, due=DAY0.date() + timedelta(2))
    plan = plan_session(QUESTIONS, states, DAY0.date(), seed=1)
    assert plan and all("update" in SKILLS[key] for key in plan)


def test_a_miss_comes_back_later_in_the_same_session() -> None:
    """Missing a skill inserts a question on it a few places later, not right away."""
    queue = [
        ID("1:value:u"),
        ID("1:value:h"),
        ID("1:value:v"),
        ID("1:value:p"),
        ID("1:value:L"),
        ID("1:value:J"),
    ]
    session = SessionPlan("s", "branch-merge", 1, list(queue))
    session.advance(QUESTIONS, charged=())
    added = session.advance(QUESTIONS, charged=("evaluate",))
    assert added is None  # evaluate questions are already coming
    session = SessionPlan(
        "s", "branch-merge", 1, [ID("1:grad:v"), ID("1:value:u"), ID("1:value:h")]
    )
    added = session.advance(QUESTIONS, charged=("local:reciprocal",))
    assert added == ID("2:grad:v")
    assert session.queue == [ID("1:grad:v"), ID("1:value:u"), ID("1:value:h"), ID("2:grad:v")]
    assert session.current == ID("1:value:u")


def test_follow_ups_are_capped_so_a_session_ends() -> None:
    """A learner who misses everything still reaches the end of the session."""
    session = SessionPlan("s", "branch-merge", 1, [ID("1:grad:v")])
    steps = 0
    while session.current is not None:
        session.advance(QUESTIONS, charged=("local:reciprocal",))
        steps += 1
        assert steps < 10
    assert session.finished and steps == 3


def test_streak_counts_days_in_a_row() -> None:
    """Three days in a row, a gap, then nothing today: the streak is the last run."""
    days = [0, 2, 3, 4]
    answers = [_answer(n, DAY0 + timedelta(d), ("update",), "right") for n, d in enumerate(days)]
    assert streak(answers, (DAY0 + timedelta(4)).date()) == 3
    assert streak(answers, (DAY0 + timedelta(5)).date()) == 3
    assert streak(answers, (DAY0 + timedelta(6)).date()) == 0


def test_next_due_groups_skills_by_date() -> None:
    """Overdue skills count as due today; the rest by their date."""
    today = date(2026, 3, 10)
    states = {
        "a": SkillState("a", 2, date(2026, 3, 1)),
        "b": SkillState("b", 3, date(2026, 3, 12)),
        "c": SkillState("c", 3, date(2026, 3, 12)),
    }
    assert next_due(states, today) == [(today, ["a"]), (date(2026, 3, 12), ["b", "c"])]


def _simulate(days: int, weak: str) -> list[Answer]:
    """A learner who misses every question on `weak` and gets the rest right."""
    answers: list[Answer] = []
    for day in range(days):
        now = DAY0 + timedelta(day)
        states = replay(answers)
        plan = plan_session(QUESTIONS, states, now.date(), seed=day)
        session = SessionPlan(f"s{day}", "branch-merge", day, plan)
        while (key := session.current) is not None:
            skills = SKILLS[key]
            outcome: Outcome = "missed" if weak in skills else "right"
            charged = charged_skills(skills, replay(answers)) if outcome == "missed" else ()
            n = len(answers)
            answers.append(Answer(f"{n}", now, "bm", day, key, skills, outcome, charged))
            session.advance(QUESTIONS, charged)
    return answers


def test_thirty_days_of_always_missing_one_skill_asks_it_most() -> None:
    """Over a simulated month the skill always missed is asked more than any other.

    A question carries several skills, so a skill that sits on every question of the
    weak one (chain-rule beside the reciprocal rule on ∂J/∂v) is asked whenever the weak
    one is; each other skill is compared on the questions it got on its own account.
    """
    for weak in ("local:reciprocal", "update", "regularization", "branch-merge"):
        answers = _simulate(30, weak)
        with_weak = sum(weak in a.skills for a in answers)
        on_own_account = Counter(
            skill for a in answers if weak not in a.skills for skill in a.skills
        )
        assert with_weak > max(on_own_account.values()), (weak, with_weak, on_own_account)
        # The weak skill is never promoted, while the others climb to high boxes.
        states = replay(answers)
        assert states[weak].box == 1
        assert all(s.box >= 4 for s in states.values() if s.skill not in (weak, "chain-rule"))


def test_a_missed_skill_comes_back_every_day_a_known_one_rarely() -> None:
    """Days on which each skill was asked, over a month: the weak one daily."""
    answers = _simulate(30, "update")
    days = {
        skill: len({a.time.date() for a in answers if skill in a.skills})
        for skill in ("update", "evaluate", "local:sum")
    }
    assert days["update"] >= 29  # every day from its first appearance on
    assert days["evaluate"] <= 8 and days["local:sum"] <= 8


def test_due_dates_read_as_words() -> None:
    """today, tomorrow with its date, in n days with its date."""
    from backprop_tutor.study.words import when

    today = date(2026, 3, 2)
    assert when(today, today) == "today"
    assert when(date(2026, 3, 1), today) == "today"
    assert when(date(2026, 3, 3), today) == "tomorrow (Tue 3 Mar)"
    assert when(date(2026, 3, 6), today) == "in 4 days (Fri 6 Mar)"


def test_thirty_days_with_the_quiz_packages_real_tags() -> None:
    """The same month on the worked example's real questions and skill tags."""
    from backprop_tutor.engine import load_lesson
    from backprop_tutor.quiz import QuizSession

    questions = QuizSession(load_lesson("branch-merge")).questions
    skills_of = {q.id: q.skills for q in questions}
    weak = "update"
    answers: list[Answer] = []
    for day in range(30):
        now = DAY0 + timedelta(day)
        plan = plan_session(questions, replay(answers), now.date(), seed=day)
        session = SessionPlan(f"s{day}", "branch-merge", day, plan)
        while (key := session.current) is not None:
            skills = skills_of[key]
            outcome: Outcome = "missed" if weak in skills else "right"
            charged = charged_skills(skills, replay(answers)) if outcome == "missed" else ()
            answers.append(Answer(f"{len(answers)}", now, "bm", day, key, skills, outcome, charged))
            session.advance(questions, charged)
    asked = Counter(skill for a in answers for skill in a.skills)
    top, count = asked.most_common(1)[0]
    assert top == weak and all(count > n for s, n in asked.items() if s != weak)
