"""Lessons: what a validated lesson is, and where the lesson files are.

Reading a file into a `Lesson` is `lesson_validator.py`'s job (`load_lesson`), and finding
the line a problem is on is `toml_lines.py`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .graph import Graph

LESSONS_DIR = Path(__file__).resolve().parent.parent / "lessons"
DEFAULT_LESSON = "branch-merge"
STAGES = ("forward", "backward", "update")


class LessonError(ValueError):
    """A lesson that cannot be used; the message is one line naming where the problem is."""


@dataclass(frozen=True)
class StepNote:
    """Lesson text for one step (and optionally one stage of it)."""

    step: int
    stage: str | None
    text: str


@dataclass(frozen=True)
class LessonText:
    """The prose a lesson shows: an introduction, a note per stage, takeaways, step notes."""

    intro: str = ""
    forward: str = ""
    backward: str = ""
    update: str = ""
    takeaways: tuple[str, ...] = ()
    notes: tuple[StepNote, ...] = ()

    def stage_text(self, stage: str) -> str:
        """The general note for a stage (forward, backward or update)."""
        return {"forward": self.forward, "backward": self.backward, "update": self.update}.get(
            stage, ""
        )

    def note_for(self, step: int, stage: str) -> str | None:
        """The note written for this step and stage, or for the whole step, if any."""
        for note in self.notes:
            if note.step == step and note.stage == stage:
                return note.text
        for note in self.notes:
            if note.step == step and note.stage is None:
                return note.text
        return None


@dataclass(frozen=True)
class Lesson:
    """A validated lesson: its graph, its numbers, its steps and its text."""

    name: str
    path: Path
    title: str
    summary: str
    order: int
    objective: str
    constants: Mapping[str, float]
    parameters: Mapping[str, float]
    inputs: tuple[str, ...]
    steps: tuple[Mapping[str, float], ...]
    learning_rate: float
    graph: Graph = field(repr=False)
    text: LessonText = field(default_factory=LessonText)

    @property
    def is_builtin(self) -> bool:
        """Whether the lesson ships with the package."""
        return self.path.parent == LESSONS_DIR


# ---------------------------------------------------------------- finding lessons


def builtin_lesson_paths() -> dict[str, Path]:
    """The built-in lessons, name → file."""
    return {path.stem: path for path in sorted(LESSONS_DIR.glob("*.toml"))}


def resolve_lesson(spec: str | Path) -> Path:
    """The file for a lesson given by built-in name or by path."""
    text = str(spec)
    builtins = builtin_lesson_paths()
    if text in builtins:
        return builtins[text]
    path = Path(text).expanduser()
    if path.is_file():
        return path
    if path.suffix == ".toml" or "/" in text or path.exists():
        if path.is_dir():
            raise LessonError(f"{text}: is a folder, not a lesson file")
        raise LessonError(f"{text}: no such lesson file")
    names = ", ".join(builtins) or "none"
    raise LessonError(f"no lesson named {text!r} (built-in lessons: {names})")
