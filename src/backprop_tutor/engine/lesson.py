"""Lessons: what a validated lesson is, and where the lesson files are.

Reading a file into a `Lesson` is `lesson_validator.py`'s job (`load_lesson`), and finding
the line a problem is on is `toml_lines.py`'s.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .graph import Graph

LESSONS_DIR = Path(__file__).resolve().parent.parent / "lessons"
DEFAULT_LESSON = "branch-merge"
STAGES = ("forward", "backward", "update")
# The largest lesson file read; the built-in lessons are under 8 KB.
MAX_LESSON_BYTES = 256 * 1024


# C0 and C1 control characters other than newline and tab: lesson text is shown as it is,
# so an escape sequence in a title must never reach a terminal.
_CONTROL = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])


def plain_text(text: str) -> str:
    """Lesson text with control characters removed (newlines and tabs kept)."""
    return text.translate(_CONTROL)


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
    # The `[quiz]` table as written (checked by quiz.plan): which kinds each step asks.
    quiz: Mapping[str, object] = field(default_factory=dict)

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
    if not text.strip():
        raise LessonError("the lesson name is empty (give a built-in name or a .toml file)")
    builtins = builtin_lesson_paths()
    if text in builtins:
        return builtins[text]
    try:
        path = Path(text).expanduser()
    except RuntimeError:
        # `~someone/x.toml` where there is no user `someone`.
        user = text[1:].split("/", 1)[0]
        raise LessonError(f"{text}: there is no user named {user!r}") from None
    _refuse_undecodable(path)
    kind = _kind_of(path)
    if kind == "file":
        return path
    if kind != "missing":
        raise LessonError(f"{text}: is {kind}, not a lesson file")
    if path.suffix == ".toml" or "/" in text:
        raise LessonError(f"{text}: no such lesson file")
    names = ", ".join(builtins) or "none"
    raise LessonError(f"no lesson named {text!r} (built-in lessons: {names})")


def _refuse_undecodable(path: Path) -> None:
    """Refuse a path whose bytes are not UTF-8: progress is keyed by the full path, as text."""
    try:
        full = str(path.resolve())
    except (OSError, RuntimeError, ValueError):
        full = str(path.absolute())  # a loop or an unreadable folder is named later, by kind
    try:
        full.encode("utf-8")
    except UnicodeEncodeError:
        shown = full.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        raise LessonError(
            f"{shown}: the path is not valid UTF-8 (\ufffd marks what is not);"
            " rename the file or its folder to use it as a lesson"
        ) from None


def _kind_of(path: Path) -> str:
    """What is at `path`: "file", "missing", or a phrase naming any other kind."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        if error.errno == 40:  # ELOOP
            return "a symbolic link loop"
        return f"unreadable ({error.strerror})"
    except ValueError:
        return "not a usable path"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_lesson_source(path: Path) -> str:
    """A lesson file's text, refusing anything but a regular UTF-8 file of sensible size."""
    kind = _kind_of(path)
    if kind != "file":
        raise LessonError(f"{path}: is {kind}, not a lesson file")
    try:
        # O_NONBLOCK: if the file was swapped for a pipe since the check, do not wait on it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise LessonError(f"{path}: is not a regular file, not a lesson file")
            data = handle.read(MAX_LESSON_BYTES + 1)
    except OSError as error:
        raise LessonError(f"{path}: cannot read the file: {error.strerror}") from None
    if len(data) > MAX_LESSON_BYTES:
        raise LessonError(
            f"{path}: the file is larger than {MAX_LESSON_BYTES // 1024} KB;"
            " a lesson is far smaller"
        )
    try:
        # utf-8-sig: a byte-order mark some editors write is not part of the lesson.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LessonError(f"{path}: the file is not UTF-8 text") from None
