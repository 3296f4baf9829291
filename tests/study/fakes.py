"""Stand-in questions with skill tags, shaped like the worked example's quiz."""

from __future__ import annotations

from dataclasses import dataclass

from backprop_tutor.quiz import QuestionId


@dataclass(frozen=True)
class FakeQuestion:
    """Just what the scheduler reads: an id and its skills."""

    id: QuestionId
    skills: tuple[str, ...]


_ONE_STEP: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("value:u", ("evaluate",)),
    ("value:h", ("evaluate",)),
    ("value:v", ("evaluate",)),
    ("value:p", ("evaluate",)),
    ("value:L", ("evaluate",)),
    ("value:R", ("evaluate", "regularization")),
    ("value:J", ("evaluate",)),
    ("grad:L", ("local:sum",)),
    ("grad:p", ("local:power", "chain-rule")),
    ("grad:v", ("local:reciprocal", "chain-rule")),
    ("grad:h", ("local:product", "chain-rule")),
    ("grad:u", ("local:power", "branch-merge", "chain-rule")),
    ("grad:d", ("local:sum", "chain-rule")),
    ("grad:c", ("local:product", "chain-rule", "regularization")),
    ("grad:b", ("local:sum", "chain-rule")),
    ("grad:a", ("local:product", "chain-rule", "regularization")),
    ("update:a", ("update",)),
    ("update:b", ("update",)),
    ("update:c", ("update",)),
    ("update:d", ("update",)),
)

WORKED_EXAMPLE_QUESTIONS: tuple[FakeQuestion, ...] = tuple(
    FakeQuestion(QuestionId.parse(f"{step}:{key}"), skills)
    for step in (1, 2)
    for key, skills in _ONE_STEP
)
