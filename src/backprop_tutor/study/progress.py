"""The progress file: every answer and every open session, as versioned JSON.

Guarantees, and how they are kept:
- Never a broken file: each save writes a temporary file in the same folder, flushes and
  fsyncs it, then renames it over the old one (`os.replace` is atomic on one
  filesystem). A kill at any moment leaves either the old file or the new one.
- Two sessions at once lose nothing: a save takes an exclusive `flock` on a lock file
  beside the progress file, re-reads the file under the lock and merges its own answers
  into what is there (answers are keyed by id, so the merge is a union).
- A file that cannot be read, or that a newer version wrote, is never overwritten: the
  store refuses to save over it; `move_aside` renames it out of the way, which front
  ends do only when the learner agrees.

The clock is passed in; nothing here reads the time by itself.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast, get_args

from ..quiz.ids import QuestionId
from . import progress_check, progress_lock
from .scheduler import Answer, Outcome, SessionPlan, SkillState, replay
from .tutor_records import Damaged, TutorRecord, merge_records
from .tutor_records import from_json as tutor_from_json
from .tutor_records import to_json as tutor_to_json

SCHEMA_VERSION = 2  # 2 added the tutor's records
READS_VERSIONS = (1, 2)  # format 1 is read as having no tutor records
FILE_NAME = "progress.json"
LOCK_NAME = "progress.json.lock"
ENV_VAR = "BACKPROP_TUTOR_HOME"
APP_NAME = "backprop-tutor"
_OUTCOMES = frozenset(get_args(Outcome))
_TMP_PREFIX = ".progress-"
_TMP_SUFFIX = ".tmp"


def data_dir(override: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """Where progress lives: `--data-dir`, else $BACKPROP_TUTOR_HOME, else the user data dir."""
    if override:
        return Path(override).expanduser()
    env = (os.environ if environ is None else environ).get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))


class ProgressError(Exception):
    """A problem with the progress file; the message is one line for the learner."""


class UnreadableProgress(ProgressError):
    """The file does not parse, or a newer version of the tutor wrote it."""

    def __init__(self, path: Path, reason: str, *, newer: bool = False) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.newer = newer


class CannotSave(ProgressError):
    """The data folder cannot be written (read-only, full, missing permission)."""


@dataclass
class Progress:
    """Everything in the progress file."""

    answers: list[Answer] = field(default_factory=list)
    sessions: dict[str, SessionPlan] = field(default_factory=dict)
    tutor: dict[str, TutorRecord] = field(default_factory=dict)  # by record id

    def skills(self) -> dict[str, SkillState]:
        """Each skill's Leitner state, replayed from the answers."""
        return replay(self.answers)

    def open_session(self, lesson: str) -> SessionPlan | None:
        """The latest unfinished session on this lesson, if any."""
        open_ones = [s for s in self.sessions.values() if s.lesson == lesson and not s.finished]
        if not open_ones:
            return None
        return max(open_ones, key=lambda s: (s.started.timestamp() if s.started else 0.0, s.id))


# ---------------------------------------------------------------- JSON form


def _answer_to_json(answer: Answer) -> dict[str, Any]:
    return {
        "id": answer.id,
        "time": answer.time.isoformat(),
        "lesson": answer.lesson,
        "seed": answer.seed,
        "question": str(answer.question),
        "skills": list(answer.skills),
        "outcome": answer.outcome,
        "charged": list(answer.charged),
    }


def _session_to_json(session: SessionPlan) -> dict[str, Any]:
    return {
        "id": session.id,
        "lesson": session.lesson,
        "seed": session.seed,
        "queue": [str(key) for key in session.queue],
        "position": session.position,
        "follow_ups": dict(session.follow_ups),
        "started": session.started.isoformat() if session.started else None,
        "finished": session.finished,
    }


def to_json(progress: Progress) -> dict[str, Any]:
    """The document written to disk; `skills` is derived, kept for people and `--json`."""
    return {
        "schema": SCHEMA_VERSION,
        "skills": {
            name: {
                "box": state.box,
                "due": state.due.isoformat() if state.due else None,
                "asked": state.asked,
                "right": state.right,
            }
            for name, state in sorted(progress.skills().items())
        },
        "answers": [_answer_to_json(a) for a in progress.answers],
        "sessions": [_session_to_json(s) for s in progress.sessions.values()],
        "tutor": tutor_to_json(progress.tutor),
    }


class _Bad(ValueError):
    """A document that is JSON but not a progress file."""


def _get(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in data:
        raise _Bad(f"{where} has no {key!r}")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _Bad(f"{where}: {key!r} has the wrong type")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(f"{where} must be a list of strings")
    return tuple(value)


def _question_id(text: str, where: str) -> QuestionId:
    try:
        return QuestionId.parse(text)
    except ValueError as error:
        raise _Bad(f"{where}: {error}") from None


def _time(text: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _Bad(f"{where}: {text!r} is not a time") from None
    if moment.tzinfo is None:
        raise _Bad(f"{where}: {text!r} has no time zone")
    progress_check.check_time(moment, where)
    return moment


def _answer_from_json(data: Any, index: int) -> Answer:
    where = f"answer {index + 1}"
    if not isinstance(data, dict):
        raise _Bad(f"{where} is not an object")
    outcome = _get(data, "outcome", str, where)
    if outcome not in _OUTCOMES:
        raise _Bad(f"{where}: unknown outcome {outcome!r}")
    return Answer(
        id=_get(data, "id", str, where),
        time=_time(_get(data, "time", str, where), where),
        lesson=_get(data, "lesson", str, where),
        seed=_get(data, "seed", int, where),
        question=_question_id(_get(data, "question", str, where), where),
        skills=_strings(_get(data, "skills", list, where), f"{where}: skills"),
        outcome=cast(Outcome, outcome),
        charged=_strings(data.get("charged", []), f"{where}: charged"),
    )


def _session_from_json(data: Any, index: int) -> SessionPlan:
    where = f"session {index + 1}"
    if not isinstance(data, dict):
        raise _Bad(f"{where} is not an object")
    follow_ups = data.get("follow_ups", {})
    if not isinstance(follow_ups, dict) or not all(
        isinstance(k, str) and isinstance(v, int) for k, v in follow_ups.items()
    ):
        raise _Bad(f"{where}: follow_ups must map skills to counts")
    started = data.get("started")
    queue = [
        _question_id(key, f"{where}: queue")
        for key in _strings(_get(data, "queue", list, where), f"{where}: queue")
    ]
    position = _get(data, "position", int, where)
    if not 0 <= position <= len(queue):
        raise _Bad(f"{where}: position {position} is outside its queue")
    return SessionPlan(
        id=_get(data, "id", str, where),
        lesson=_get(data, "lesson", str, where),
        seed=_get(data, "seed", int, where),
        queue=queue,
        position=position,
        follow_ups=dict(follow_ups),
        started=_time(started, where) if isinstance(started, str) else None,
        finished=bool(data.get("finished", False)),
    )


def from_json(data: Any) -> Progress:
    """A parsed document back into Progress; raises ValueError on anything unexpected."""
    if not isinstance(data, dict):
        raise _Bad("the top level is not an object")
    answers = _get(data, "answers", list, "the file")
    sessions = _get(data, "sessions", list, "the file")
    records = [_session_from_json(s, i) for i, s in enumerate(sessions)]
    return Progress(
        answers=[_answer_from_json(a, i) for i, a in enumerate(answers)],
        sessions={s.id: s for s in records},
        tutor=tutor_from_json(data.get("tutor", [])),
    )


def parse(raw: bytes, path: Path) -> Progress:
    """Bytes of a progress file into Progress; raises UnreadableProgress naming the problem."""
    try:
        data = progress_check.load_json(raw)
    except progress_check.Unusable as error:
        raise UnreadableProgress(path, str(error)) from None
    except UnicodeDecodeError:
        raise UnreadableProgress(path, "is not text (it may be damaged)") from None
    except json.JSONDecodeError as error:
        raise UnreadableProgress(
            path, f"is not valid JSON (line {error.lineno}: {error.msg.lower()})"
        ) from None
    schema = data.get("schema") if isinstance(data, dict) else None
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA_VERSION:
        raise UnreadableProgress(
            path,
            f"was written by a newer version of backprop-tutor (format {schema}; this one"
            f" reads format {SCHEMA_VERSION})",
            newer=True,
        )
    if schema not in READS_VERSIONS or isinstance(schema, bool):
        raise UnreadableProgress(path, "is not a backprop-tutor progress file (no format number)")
    try:
        return from_json(data)
    except (_Bad, Damaged, progress_check.Unusable) as error:
        raise UnreadableProgress(path, f"is damaged: {error}") from None


def merge(
    disk: Progress,
    answers: Iterable[Answer],
    session: SessionPlan | None,
    tutor: Iterable[TutorRecord] = (),
) -> Progress:
    """What is on disk plus this process's new answers and session, nothing lost."""
    known = {a.id for a in disk.answers}
    merged = list(disk.answers) + [a for a in answers if a.id not in known]
    merged.sort(key=lambda a: a.time)  # stable: same-time answers keep their save order
    sessions = dict(disk.sessions)
    if session is not None:
        theirs = sessions.get(session.id)
        # Two processes may resume the same session; keep whichever got further.
        if theirs is None or (session.finished, session.position) >= (
            theirs.finished,
            theirs.position,
        ):
            sessions[session.id] = session
    # A finished session has nothing left to resume.
    sessions = {k: s for k, s in sessions.items() if not s.finished}
    return Progress(answers=merged, sessions=sessions, tutor=merge_records(disk.tutor, tutor))


# ---------------------------------------------------------------- the store


class ProgressStore:
    """The progress file in one data folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / FILE_NAME
        self.lock_path = directory / LOCK_NAME
        # Told once when a save has to wait for another process (progress_lock.py).
        self.on_wait: Callable[[str], None] | None = progress_lock.say_on_stderr

    def load(self) -> Progress:
        """The saved progress (empty when there is no file yet); raises UnreadableProgress."""
        try:
            progress_check.refuse_special(self.path)
            raw = self.path.read_bytes()
        except progress_check.Unusable as error:
            raise UnreadableProgress(self.path, str(error)) from None
        except (FileNotFoundError, NotADirectoryError):
            return Progress()  # nothing saved yet; whether saving works is checked apart
        except OSError as error:
            raise CannotSave(self._why(error, "cannot read progress")) from None
        return parse(raw, self.path)

    def check_writable(self) -> None:
        """Raise CannotSave, with the folder named, if progress could not be saved here."""
        with self._locked():
            try:
                probe_fd, probe = tempfile.mkstemp(prefix=".probe-", dir=self.directory)
                os.close(probe_fd)
                os.unlink(probe)
            except OSError as error:
                raise CannotSave(self._why(error, "cannot save progress")) from None

    def save(
        self,
        answers: Iterable[Answer] = (),
        session: SessionPlan | None = None,
        tutor: Iterable[TutorRecord] = (),
    ) -> Progress:
        """Merge answers, a session and tutor records into the file under the lock."""
        answers = list(answers)
        with self._locked():
            # Re-read under the lock: another session may have saved since we last looked.
            # An unreadable file raises here, so it is never overwritten.
            merged = merge(self.load(), answers, session, tutor)
            self._clear_leftovers()
            self._write(merged)
        return merged

    def move_aside(self, now: datetime, *, reason: str = "corrupt") -> Path | None:
        """Rename the file out of the way (`progress.json.corrupt-<time>`); returns the new path."""
        with self._locked():
            if not self.path.exists():
                return None
            stamp = now.strftime("%Y%m%d-%H%M%S")
            target = self.path.with_name(f"{FILE_NAME}.{reason}-{stamp}")
            counter = 2
            while target.exists():
                target = self.path.with_name(f"{FILE_NAME}.{reason}-{stamp}-{counter}")
                counter += 1
            try:
                os.replace(self.path, target)
            except OSError as error:
                raise CannotSave(self._why(error, f"cannot move {self.path} aside")) from None
            return target

    # -- internals

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle = open(self.lock_path, "a+")  # noqa: SIM115 - held for the block below
        except OSError as error:
            raise CannotSave(self._why(error, "cannot save progress")) from None
        with handle:
            try:
                progress_lock.acquire(handle, self.lock_path, waiting=self.on_wait)
            except progress_lock.Busy as busy:
                raise CannotSave(str(busy)) from None
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _write(self, progress: Progress) -> None:
        text = json.dumps(to_json(progress), ensure_ascii=False, indent=1) + "\n"
        tmp: str | None = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=_TMP_SUFFIX, dir=self.directory)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
            tmp = None
            self._sync_directory()
        except OSError as error:
            raise CannotSave(self._why(error, "cannot save progress")) from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def _clear_leftovers(self) -> None:
        # Temporary files are only written under the lock, so one found while holding it
        # was left by a process killed mid-save.
        for leftover in self.directory.glob(f"{_TMP_PREFIX}*{_TMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def _sync_directory(self) -> None:
        # The rename itself is durable only once the folder's entry is on disk.
        with contextlib.suppress(OSError):
            fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def _why(self, error: OSError, what: str) -> str:
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            cause = "the folder is read-only"
        elif error.errno == errno.ENOSPC:
            cause = "the disk is full"
        else:
            cause = (error.strerror or str(error)).lower()
        return (
            f"{what} in {self.directory}: {cause}; choose another folder with --data-dir"
            f" or {ENV_VAR}"
        )
