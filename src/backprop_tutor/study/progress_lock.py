"""Taking the progress lock: say who holds it while waiting, and give up after a bound.

A save holds the lock for milliseconds, so a wait at all means another process is
saving, or is stuck (stopped with ctrl+z, hung on a network folder, or holding it by
hand with `flock`). Before issue 17 a session then waited forever with no word. Now
whoever holds the lock writes who it is into the lock file (pid, host, since when);
a process that has to wait says so once, naming the holder, and after `WAIT_LIMIT`
seconds gives up with a message instead of hanging. The time written is the wall
clock's, read here: it only tells a person how long the holder has been at it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO

WAIT_LIMIT = 10.0  # seconds; a save takes milliseconds
POLL = 0.05
_UNPRINTABLE = re.compile(r"[^\w .:+-]")


class Busy(Exception):
    """The lock stayed taken for longer than the bound; the message is one line."""


def say_on_stderr(text: str) -> None:
    """The default way to say that a save is waiting (the apps show the give-up instead)."""
    print(f"backprop-tutor: {text}", file=sys.stderr, flush=True)


def acquire(
    handle: IO[str],
    path: Path,
    *,
    waiting: Callable[[str], None] | None = say_on_stderr,
    limit: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Take the exclusive lock on `handle` (opened "a+"), waiting at most `limit` seconds
    (default WAIT_LIMIT); raises Busy, naming the holder, after that."""
    limit = WAIT_LIMIT if limit is None else limit
    if not _try(handle):
        holder = describe_holder(handle)
        if waiting is not None:
            waiting(f"waiting for {path.name}, held by {holder}")
        deadline = clock() + limit
        while not _try(handle):
            if clock() >= deadline:
                raise Busy(
                    f"cannot save progress: {path} has been held by {holder} for more than"
                    f" {limit:g} s; if that process is stuck, end it, then try again"
                )
            sleep(POLL)
    _stamp(handle)


def _try(handle: IO[str]) -> bool:
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _stamp(handle: IO[str]) -> None:
    """Write who holds the lock now, for anyone who has to wait for it."""
    try:
        handle.seek(0)
        handle.truncate(0)
        since = datetime.now().astimezone().isoformat(timespec="seconds")
        handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": since}))
        handle.flush()
    except OSError:
        pass  # the stamp only helps a message; a full disk must not stop the save itself


def describe_holder(handle: IO[str]) -> str:
    """Who holds the lock, as its stamp says ("process 123 on host, since 12:00:01")."""
    try:
        handle.seek(0)
        stamp = json.loads(handle.read(400) or "{}")
    except (OSError, ValueError):
        stamp = None
    if not isinstance(stamp, dict):
        return "another process (it did not say which)"
    pid, host, since = (_clean(stamp.get(key)) for key in ("pid", "host", "since"))
    if not pid:
        return "another process (it did not say which)"
    where = f" on {host}" if host else ""
    when = f", since {since}" if since else ""
    return f"process {pid}{where}{when}"


def _clean(value: object) -> str:
    # The stamp is read from the folder: keep it to a short run of harmless characters.
    return _UNPRINTABLE.sub("", str(value))[:60] if value is not None else ""
