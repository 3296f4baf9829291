"""Checks a progress file must pass on load, so that a file which loads can also be used.

`progress.parse` reads the document's shape; these are the extremes a hand-edited or
damaged file can hold that the shape alone lets through, each of which used to load and
then crash or hang later (a date the scheduler cannot add days to, a seed of thousands
of digits, a string every save then fails to encode). Anything found here makes the
file "unreadable", which the front ends already handle: say so, and move it aside only
if the learner agrees.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ..engine.lesson import _kind_of

# Far more than years of daily study (an answer is about 300 bytes), far less than a
# read that would stall the app.
MAX_BYTES = 64 * 1024 * 1024
# The format nests four deep (file, answers, answer, skills); room for new fields.
MAX_DEPTH = 16
# Seeds, positions and counts are small; anything beyond a 64-bit integer is damage.
MAX_INT = 2**63 - 1
MAX_STRING = 10_000
# Ids, names, paths and times never hold these; written to a terminal they would act.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# The scheduler adds up to a few weeks to answer dates; keep well inside the calendar.
EARLIEST_YEAR = 1970
LATEST_YEAR = 9000


class Unusable(ValueError):
    """The file cannot be used; the message completes "progress.json ..."."""


def refuse_special(path: Path) -> None:
    """Raise Unusable unless `path` is a regular file of a sane size (a FIFO would hang)."""
    kind = _kind_of(path)  # the lesson reader's words for what is there
    if kind == "missing" or kind.startswith("unreadable"):
        return  # no file yet, or the read itself says why (a folder that is a file)
    if kind != "file":
        raise Unusable(f"is {kind}, not a file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise Unusable(f"is {size} bytes, larger than a progress file can be ({MAX_BYTES})")


def load_json(raw: bytes) -> Any:
    """Decode and parse a document, raising Unusable for nesting, numbers or text it cannot use.

    UnicodeDecodeError and json.JSONDecodeError pass through for the caller's own messages.
    """
    text = raw.decode("utf-8")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise Unusable(f"is damaged: nested more than {MAX_DEPTH} deep") from None
    except ValueError as error:  # an integer beyond Python's digit limit
        raise Unusable(f"is damaged: {_first_line(error)}") from None
    check_values(data)
    return data


def _no_constant(name: str) -> Any:
    raise Unusable(f"is damaged: {name} is not a number a progress file holds")


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:120] if str(error) else type(error).__name__


def check_values(data: Any) -> None:
    """Raise Unusable for nesting, integers, floats or strings no progress file holds."""
    for value, depth in _walk(data):
        if depth > MAX_DEPTH:
            raise Unusable(f"is damaged: nested more than {MAX_DEPTH} deep")
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and not -MAX_INT <= value <= MAX_INT:
            raise Unusable("is damaged: it holds an integer too large to be a count or seed")
        if isinstance(value, float) and value != value:  # NaN; infinities are refused above
            raise Unusable("is damaged: it holds a number that is not a number")
        if isinstance(value, str):
            _check_string(value)


def _check_string(text: str) -> None:
    if len(text) > MAX_STRING:
        raise Unusable(f"is damaged: it holds a string of {len(text)} characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (`\ud800`) parses, but no save could ever write it back.
        raise Unusable("is damaged: it holds text that is not valid Unicode") from None
    if _CONTROL.search(text):
        raise Unusable("is damaged: it holds a control character")


def _walk(data: Any) -> Iterator[tuple[Any, int]]:
    """Every value and key in the document with its depth, without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        yield value, depth
        if depth > MAX_DEPTH:
            return
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, depth))
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def check_time(moment: datetime, where: str) -> None:
    """Raise Unusable for a time the scheduler could not add days to or compare."""
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise Unusable(f"{where}: the year {moment.year} is out of range")
    try:
        moment.timestamp()
    except (OverflowError, OSError, ValueError):
        raise Unusable(f"{where}: {moment.isoformat()} is out of range") from None
