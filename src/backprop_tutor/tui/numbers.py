"""How the app writes numbers: the same way the quiz and the lesson tables do."""

from __future__ import annotations

from ..quiz.text import show as fmt

__all__ = ["fmt"]
