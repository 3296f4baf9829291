"""Stand-in questions with skill tags, shaped like the worked example's quiz."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FakeQuestion:
    """Just what the scheduler reads: a key and its skills."""

    key: str
    skills: tuple[str, ...]


_ONE_STEP: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("value:u", ("evaluate",)),
    ("value:h", ("evaluate",)),
    ("value:v", ("evaluate",)),
    ("value:p", ("evaluate",)),
    ("value:L", ("evaluate",)),
    ("value:R", ("evaluate", "regularization")),
    ("value:J", ("evaluate",)),
    ("grad:L", ("derivative:sum",)),
    ("grad:p", ("derivative:power", "chain-rule")),
    ("grad:v", ("derivative:reciprocal", "chain-rule")),
    ("grad:h", ("derivative:product", "chain-rule")),
    ("grad:u", ("derivative:power", "branch-sum", "chain-rule")),
    ("grad:d", ("derivative:sum", "chain-rule")),
    ("grad:c", ("derivative:product", "chain-rule", "regularization")),
    ("grad:b", ("derivative:sum", "chain-rule")),
    ("grad:a", ("derivative:product", "chain-rule", "regularization")),
    ("update:a", ("update",)),
    ("update:b", ("update",)),
    ("update:c", ("update",)),
    ("update:d", ("update",)),
)

WORKED_EXAMPLE_QUESTIONS: tuple[FakeQuestion, ...] = tuple(
    FakeQuestion(f"{step}:{key}", skills) for step in (1, 2) for key, skills in _ONE_STEP
)
