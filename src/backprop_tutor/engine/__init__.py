"""The compute engine: lessons, scalar reverse-mode autodiff, paths and SGD.

Plain Python with no terminal library, so every front end (trace, quiz, app) reads the
same numbers.
"""

from .autodiff import StepError, run_step
from .expr import FUNCTIONS, ExprSyntaxError, parse
from .graph import Graph, NodeInfo, NodeKind
from .lesson import (
    DEFAULT_LESSON,
    STAGES,
    Lesson,
    LessonError,
    LessonText,
    builtin_lesson_paths,
    resolve_lesson,
)
from .lesson_validator import lesson_errors, load_lesson, parse_lesson
from .names import display_name
from .numbers import format_number
from .tape import EvalError
from .trace import Edge, Path, StepTrace
from .training import run_lesson


def list_lessons() -> list[Lesson]:
    """Every built-in lesson, in curriculum order."""
    lessons = [load_lesson(path) for path in builtin_lesson_paths().values()]
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.name))


__all__ = [
    "DEFAULT_LESSON",
    "FUNCTIONS",
    "STAGES",
    "Edge",
    "EvalError",
    "ExprSyntaxError",
    "Graph",
    "Lesson",
    "LessonError",
    "LessonText",
    "NodeInfo",
    "NodeKind",
    "Path",
    "StepError",
    "StepTrace",
    "builtin_lesson_paths",
    "display_name",
    "format_number",
    "lesson_errors",
    "list_lessons",
    "load_lesson",
    "parse",
    "parse_lesson",
    "resolve_lesson",
    "run_lesson",
    "run_step",
]
