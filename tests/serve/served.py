"""`backprop-tutor serve` as its own process on a free port, for the tests that need a server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

READY = "Serving the tutor: open "
START_TIMEOUT = 60.0


class _Lines:
    """Every line a stream gives, read by a thread of its own so the pipe never fills."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._arrived = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self._arrived:
                self.lines.append(line.rstrip("\n"))
                self._arrived.notify_all()
        with self._arrived:
            self.closed = True
            self._arrived.notify_all()

    closed = False

    def wait_for(self, prefix: str, timeout: float) -> list[str]:
        """The lines up to the first that starts with `prefix` (or all, when it never came)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for index, line in enumerate(self.lines):
                    if line.startswith(prefix):
                        return self.lines[: index + 1]
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    return list(self.lines)
                self._arrived.wait(left)

    def text(self) -> str:
        """Everything read so far, once the stream has ended."""
        self._thread.join(timeout=30)
        return "\n".join(self.lines)


@dataclass
class Served:
    """A running server: where to open it, where its learners' folders go, what it printed."""

    process: subprocess.Popen[str]
    url: str
    data: Path
    printed: list[str]
    errors: _Lines


def free_port() -> int:
    """A port nothing on this machine listens on (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(data: Path, *options: str, host: str = "127.0.0.1") -> Iterator[Served]:
    """Run `backprop-tutor serve` until the block ends, then stop it as ctrl+c would."""
    port = free_port()
    environment = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONUTF8="1")
    command = [sys.executable, "-m", "backprop_tutor", "serve", "--host", host]
    command += ["--port", str(port), "--data-dir", str(data), *options]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    assert process.stdout is not None and process.stderr is not None
    out, err = _Lines(process.stdout), _Lines(process.stderr)
    try:
        printed = out.wait_for(READY, START_TIMEOUT)
        if not printed or not printed[-1].startswith(READY):
            raise AssertionError(f"serve never said it was ready: {printed} {err.lines}")
        yield Served(process, f"http://127.0.0.1:{port}/", data, printed, err)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
