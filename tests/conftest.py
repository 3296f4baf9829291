"""Shared fixtures for every test package."""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import pytest
from hypothesis import settings

from backprop_tutor.cli import main
from backprop_tutor.engine import Lesson, StepTrace, collector, load_lesson, run_lesson

# `make test` draws the same examples on every run, so that a failure is the code's and
# never the luck of a draw; HYPOTHESIS_PROFILE=explore draws new ones each run, to look
# for what the fixed ones miss (two formula-judging bugs were found that way).
settings.register_profile("fixed", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))


@pytest.fixture
def collector_unheld() -> Iterator[None]:
    """Python's collector on, with no verdict's hold on it, before and after the test."""
    collector.release_all()
    gc.enable()
    yield
    collector.release_all()
    gc.enable()


@pytest.fixture(scope="session")
def worked_example() -> Lesson:
    """The built-in lesson that reproduces the seed walkthrough."""
    return load_lesson("branch-merge")


@pytest.fixture(scope="session")
def worked_traces(worked_example: Lesson) -> tuple[StepTrace, ...]:
    """Both steps of the worked example."""
    return run_lesson(worked_example)


# ---------------------------------------------------------------- the command line

# Environment overrides for one run: a value sets the variable, None removes it.
Env = Mapping[str, str | None]


@dataclass(frozen=True)
class CliResult:
    """What one run of the command line left behind: its exit code and both streams."""

    returncode: int
    stdout: str
    stderr: str


RunMain = Callable[..., CliResult]
RunProcess = Callable[..., "subprocess.CompletedProcess[str]"]


def _exit_code(code: object) -> int:
    """The process exit code `sys.exit(code)` would give (None is 0, a message is 1)."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


@pytest.fixture
def run_main(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> RunMain:
    """Run `backprop-tutor ARGV` in this process, `stdin` fed as a pipe would feed it.

    Much faster than a process (no interpreter start, no imports), so it is the default;
    argparse's SystemExit becomes the exit code a process would have returned.
    """

    def run(*argv: str, stdin: str = "", env: Env | None = None) -> CliResult:
        """One command line: the exit code, stdout and stderr it left."""
        monkeypatch.delenv("FORCE_COLOR", raising=False)  # as plain as a pipe
        for name, value in (env or {}).items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()  # only what this run prints
        try:
            code = main(list(argv))
        except SystemExit as exit_:
            code = _exit_code(exit_.code)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@pytest.fixture
def run_process() -> RunProcess:
    """Run `python -m backprop_tutor ARGV` as its own process, `stdin` through a real pipe.

    For what only a process shows: the exit status, `python -m`, a pipe's encoding.
    """

    def run(
        *argv: str, stdin: str = "", env: Env | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """One process: its exit code and its output, decoded as UTF-8."""
        environment = dict(os.environ, PYTHONUTF8="1")
        environment.pop("FORCE_COLOR", None)
        for name, value in (env or {}).items():
            if value is None:
                environment.pop(name, None)
            else:
                environment[name] = value
        return subprocess.run(
            [sys.executable, "-m", "backprop_tutor", *argv],
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=environment,
            timeout=timeout,
            check=False,
        )

    return run
