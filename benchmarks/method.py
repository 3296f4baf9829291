"""Time the method's typed answers: a quiz session built with the lesson's plan, and the
judging of path and formula answers (right ones, and wrong ones whose mistake is looked
for at every point).

Run it with `.venv/bin/python benchmarks/method.py` (option: `--runs N`). Each figure is
the median and the worst of N judgements of the same text in one process; the session
figures are single builds, for branch-merge and for a 2001-node chain with the default
plan (no `[quiz]` table) against the numbers only.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from backprop_tutor.engine import load_lesson, parse_lesson
from backprop_tutor.quiz import QuizSession
from backprop_tutor.quiz.plan import lesson_plan

ANSWERS = [
    ("1:paths:a", "J L p v u a; J R a"),
    ("1:paths:a", "J L p v u a"),
    ("1:formula:a", "delta*(2*c*u + 1)*x + lambda*a"),
    ("1:formula:a", "delta*(2*c*u + 1)*x"),
    ("1:formula:a", "delta*(2*c*u + 1)*x - lambda*a"),
    ("1:formula:v", "2*(p - y)/(1 + v)^2"),
]


def _ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _chain(length: int) -> str:
    graph = ['n0 = "w*x"', *(f'n{i} = "n{i - 1}*1.0001"' for i in range(1, length))]
    return "\n".join(
        [
            'title = "chain"',
            'objective = "J"',
            "[parameters]",
            "w = 0.5",
            "[optimizer]",
            "learning_rate = 0.1",
            "[graph]",
            *graph,
            f'J = "n{length - 1}"',
            "[[steps]]",
            "x = 1",
        ]
    )


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    lesson = load_lesson("branch-merge")
    planned = _ms(lambda: QuizSession(lesson, plan=lesson_plan(lesson)))
    print(f"session, branch-merge, plan: {planned:.1f} ms")
    print(f"session, branch-merge, numbers only: {_ms(lambda: QuizSession(lesson)):.1f} ms")
    session = QuizSession(lesson, plan=lesson_plan(lesson))
    ids = {str(q.id): q.id for q in session.questions_for(1)}
    for qid, text in ANSWERS:
        times = [
            _ms(lambda qid=qid, text=text: session.answer(ids[qid], text)) for _ in range(runs)
        ]
        print(
            f"{qid:12} {text:34} median {statistics.median(times):6.1f} ms"
            f"  worst {max(times):6.1f} ms"
        )
    chain = parse_lesson(_chain(2000), Path("chain.toml"))
    planned = _ms(lambda: QuizSession(chain, plan=lesson_plan(chain)))
    print(f"session, 2001-node chain, default plan: {planned:.0f} ms")
    print(f"session, 2001-node chain, numbers only: {_ms(lambda: QuizSession(chain)):.0f} ms")


if __name__ == "__main__":
    main()
