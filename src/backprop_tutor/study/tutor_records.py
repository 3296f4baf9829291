"""Tutor records: what the learner did in the tutor, per lesson, as the progress file keeps it.

A lesson's record is the list of what the learner did (`TutorEvent`s, in order) and the
place they were at. Nothing derived is kept: reopening a lesson replays the events
through a quiz session, so marks, stage and every panel follow from the one record.
A record belongs to one version of a lesson (its fingerprint: graph and numbers); a
record for a lesson that changed since, or one the learner chose to start over, is set
aside (kept in the file, marked) and a fresh one begun.

The progress store (`progress.py`) writes and merges these with the same guarantees as
study answers; this module is the records, their JSON form and their merge
(`tutor_saves.py` replays them and saves as the learner goes). No Textual here.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal, cast, get_args

from ..engine import Lesson
from ..quiz.ids import QuestionId

Action = Literal["answer", "hint", "reveal"]
AsideReason = Literal["fresh", "changed"]
_ACTIONS = frozenset(get_args(Action))
_REASONS = frozenset(get_args(AsideReason))
_STAGES = ("forward", "backward", "update")


class Damaged(ValueError):
    """A tutor record in the file that is not one; the message names which and why."""


@dataclass(frozen=True)
class TutorEvent:
    """One thing the learner did to a question: an answer (as typed), a hint or a reveal."""

    id: str
    time: datetime
    question: QuestionId
    action: Action
    text: str = ""


@dataclass(frozen=True)
class Place:
    """Where the learner was: step (0-based), stage, and how many of its nodes were done."""

    step: int = 0
    stage: str = "forward"
    done: int = 0


@dataclass(frozen=True)
class TutorRecord:
    """One go at one lesson: its events in order, the place reached, and whether set aside."""

    id: str
    lesson: str  # the lesson's key: a built-in name, or a file's full path
    fingerprint: str  # the lesson's graph and numbers this record was made on
    started: datetime
    events: tuple[TutorEvent, ...] = ()
    place: Place = field(default_factory=Place)
    placed: datetime | None = None  # when the place was saved: the later one wins a merge
    aside: AsideReason | None = None  # why it was set aside, if it was
    aside_at: datetime | None = None


def fingerprint(lesson: Lesson) -> str:
    """A short hash of what the answers depend on: the graph and every number of the lesson."""
    graph = lesson.graph
    document = {
        "objective": graph.objective,
        "nodes": [[n.name, n.kind.value, n.expression] for n in graph.nodes],
        "constants": dict(lesson.constants),
        "parameters": dict(lesson.parameters),
        "steps": [dict(step) for step in lesson.steps],
        "learning_rate": lesson.learning_rate,
    }
    text = json.dumps(document, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def current_record(records: Mapping[str, TutorRecord], key: str) -> TutorRecord | None:
    """The lesson's record in use (the latest one not set aside), if any."""
    live = [r for r in records.values() if r.lesson == key and r.aside is None]
    return max(live, key=lambda r: (r.started, r.id)) if live else None


# ---------------------------------------------------------------- merging


def merge_records(
    disk: Mapping[str, TutorRecord], mine: Iterable[TutorRecord]
) -> dict[str, TutorRecord]:
    """The records on disk with this process's, nothing lost: events are a union by id."""
    merged = dict(disk)
    for record in mine:
        theirs = merged.get(record.id)
        merged[record.id] = record if theirs is None else _merge_one(theirs, record)
    return merged


def _merge_one(theirs: TutorRecord, mine: TutorRecord) -> TutorRecord:
    known = {e.id for e in theirs.events}
    events = sorted(
        [*theirs.events, *(e for e in mine.events if e.id not in known)], key=lambda e: e.time
    )  # stable: events of one time keep their order
    later = mine if (mine.placed or mine.started) >= (theirs.placed or theirs.started) else theirs
    aside = theirs if theirs.aside is not None else mine  # set aside once, set aside for good
    return replace(
        mine,
        events=tuple(events),
        place=later.place,
        placed=later.placed,
        aside=aside.aside,
        aside_at=aside.aside_at,
    )


# ---------------------------------------------------------------- JSON form


def to_json(records: Mapping[str, TutorRecord]) -> list[dict[str, Any]]:
    """The records as the progress file keeps them."""
    return [_record_to_json(r) for r in records.values()]


def _record_to_json(record: TutorRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "lesson": record.lesson,
        "fingerprint": record.fingerprint,
        "started": record.started.isoformat(),
        "place": {
            "step": record.place.step,
            "stage": record.place.stage,
            "done": record.place.done,
        },
        "placed": record.placed.isoformat() if record.placed else None,
        "aside": record.aside,
        "aside_at": record.aside_at.isoformat() if record.aside_at else None,
        "events": [
            {
                "id": e.id,
                "time": e.time.isoformat(),
                "question": str(e.question),
                "action": e.action,
                "text": e.text,
            }
            for e in record.events
        ],
    }


def from_json(data: Any) -> dict[str, TutorRecord]:
    """The file's tutor records back into objects; raises Damaged naming the first problem."""
    if not isinstance(data, list):
        raise Damaged("'tutor' must be a list of records")
    records = [_record_from_json(item, i) for i, item in enumerate(data)]
    return {r.id: r for r in records}


def _field(data: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise Damaged(f"{where}: {key!r} is missing or has the wrong type")
    return value


def _moment(value: Any, where: str, *, optional: bool = False) -> datetime | None:
    if value is None and optional:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Damaged(f"{where}: {value!r} is not a time with its time zone")
    return moment


def _record_from_json(data: Any, index: int) -> TutorRecord:
    where = f"tutor record {index + 1}"
    if not isinstance(data, dict):
        raise Damaged(f"{where} is not an object")
    place = _field(data, "place", dict, where)
    stage = place.get("stage")
    step, done = place.get("step"), place.get("done")
    if stage not in _STAGES or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (step, done)
    ):
        raise Damaged(f"{where}: the place is not a step, a stage and a count")
    aside = data.get("aside")
    if aside is not None and aside not in _REASONS:
        raise Damaged(f"{where}: unknown reason {aside!r} for setting it aside")
    events = _field(data, "events", list, where)
    started = _moment(data.get("started"), where)
    assert started is not None  # not optional, so _moment raised instead
    return TutorRecord(
        id=_field(data, "id", str, where),
        lesson=_field(data, "lesson", str, where),
        fingerprint=_field(data, "fingerprint", str, where),
        started=started,
        events=tuple(_event_from_json(e, f"{where}, event {i + 1}") for i, e in enumerate(events)),
        place=Place(step, stage, done),
        placed=_moment(data.get("placed"), where, optional=True),
        aside=cast(AsideReason | None, aside),
        aside_at=_moment(data.get("aside_at"), where, optional=True),
    )


def _event_from_json(data: Any, where: str) -> TutorEvent:
    if not isinstance(data, dict):
        raise Damaged(f"{where} is not an object")
    action = data.get("action")
    if action not in _ACTIONS:
        raise Damaged(f"{where}: unknown action {action!r}")
    try:
        question = QuestionId.parse(_field(data, "question", str, where))
    except ValueError as error:
        raise Damaged(f"{where}: {error}") from None
    moment = _moment(data.get("time"), where)
    assert moment is not None
    return TutorEvent(
        id=_field(data, "id", str, where),
        time=moment,
        question=question,
        action=cast(Action, action),
        text=_field(data, "text", str, where),
    )


def new_record(key: str, lesson: Lesson, now: datetime) -> TutorRecord:
    """An empty record for a lesson, begun now."""
    return TutorRecord(uuid.uuid4().hex, key, fingerprint(lesson), now)


def new_event(now: datetime, question: QuestionId, action: Action, text: str = "") -> TutorEvent:
    """An event with an id of its own (the merge of two processes goes by it)."""
    return TutorEvent(uuid.uuid4().hex, now, question, action, text)
