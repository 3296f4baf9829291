"""What pytest-xdist's workers know and its controller would otherwise drop.

The suite runs on several workers (`-n` in pyproject.toml). Two things a serial run
reports are lost on the way back to the controller, so this plugin carries them:

- A usage error (a path or test id that does not exist) stops each worker with
  pytest's status 4 and a message on the worker's own stderr, which nobody sees; the
  run then ends as "no tests ran" (status 5). Here the controller prints the message
  and ends with status 4, as a serial run does.
- syrupy 4.8.0 leaves out its unused-snapshot check under xdist (each worker sees only
  its own tests), so a snapshot whose test is gone would pass silently and
  `--snapshot-update` would not delete it. Each worker sends what its own report calls
  unused; a snapshot is unused when every worker that looked at its folder says so, and
  then it fails the run (or is deleted under `--snapshot-update`) as in a serial run.
  Snapshots here are one file each (pytest-textual-snapshot's SVGs), so the unit is
  the file.
  The summary line ("26 snapshots passed.") is summed over the workers.

Delete the snapshot half when syrupy is upgraded to a release that merges worker
reports itself. Loaded from the repository's conftest.py, so that it is there even
when every path given to pytest is mistyped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

USAGE_ERROR = "usage_error"
SNAPSHOTS = "snapshots"
# syrupy's counts, in the order of its summary line, with the word each is shown with.
COUNTS = {"failed": "failed", "matched": "passed", "created": "generated", "updated": "updated"}

usage_errors_key = pytest.StashKey[list[str]]()
worker_snapshots_key = pytest.StashKey[list[dict[str, Any]]]()


def _workeroutput(config: pytest.Config) -> dict[str, Any] | None:
    """The dict a worker sends back to the controller; None outside a worker."""
    output: dict[str, Any] | None = getattr(config, "workeroutput", None)
    return output


def _is_controller(config: pytest.Config) -> bool:
    """Whether this process hands tests to xdist workers (and runs none itself)."""
    return _workeroutput(config) is None and bool(getattr(config.option, "numprocesses", 0))


# ---------------------------------------------------------------- on a worker


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Generator[None, object, object]:
    """Keep the message of a usage error for the controller, which prints it."""
    try:
        return (yield)
    except pytest.UsageError as error:
        output = _workeroutput(session.config)
        if output is not None:
            output[USAGE_ERROR] = [str(message) for message in error.args]
        raise


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """On a worker, after syrupy's own report: send its counts and unused snapshots.

    On the controller: print a worker's usage error and end with pytest's status 4;
    fail on (or delete) the snapshots no worker used.
    """
    output = _workeroutput(session.config)
    if output is not None:
        output[SNAPSHOTS] = _this_workers_snapshots(session.config)
    elif _is_controller(session.config):
        _finish_on_the_controller(session)


def _this_workers_snapshots(config: pytest.Config) -> dict[str, Any]:
    """Counts, the snapshot files looked at, and the ones this worker found unused."""
    # syrupy keeps its session on the config; pinned to 4.8.0 in pyproject.toml.
    report = config._syrupy.report  # type: ignore[attr-defined]
    return {
        "counts": {name: getattr(report, f"num_{name}") for name in COUNTS},
        "discovered": sorted({collection.location for collection in report.discovered}),
        "unused": sorted({collection.location for collection in report.unused}),
    }


# ---------------------------------------------------------------- on the controller


@dataclass(frozen=True)
class SnapshotSummary:
    """What the workers' snapshot reports add up to."""

    counts: Counter[str]
    unused: list[str]  # snapshot files, to fail on or (with --snapshot-update) delete
    complete: bool  # False when a worker died: what it used is unknown, so nothing is unused


summary_key = pytest.StashKey[SnapshotSummary]()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """A worker finished (or died, with `error`): keep what it sent."""
    config: pytest.Config = node.config
    output: dict[str, Any] = getattr(node, "workeroutput", {})
    for message in output.get(USAGE_ERROR, []):
        errors = config.stash.setdefault(usage_errors_key, [])
        if message not in errors:
            errors.append(message)
    reports = config.stash.setdefault(worker_snapshots_key, [])
    reports.append(output[SNAPSHOTS] if error is None and SNAPSHOTS in output else {})


def _finish_on_the_controller(session: pytest.Session) -> None:
    """Usage errors end the run with status 4; unused snapshots fail it or are deleted."""
    config = session.config
    errors = config.stash.get(usage_errors_key, [])
    if errors:
        for message in errors:
            config.get_terminal_writer().line(f"ERROR: {message}", red=True)
        session.exitstatus = pytest.ExitCode.USAGE_ERROR
        return
    summary = add_up(config.stash.get(worker_snapshots_key, []))
    config.stash[summary_key] = summary
    if summary.unused and config.option.update_snapshots:
        for location in summary.unused:
            Path(location).unlink()
    elif summary.unused and not config.option.warn_unused_snapshots:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def add_up(workers: list[dict[str, Any]]) -> SnapshotSummary:
    """The counts summed; unused, the snapshot files every worker that looked found unused.

    A worker only discovers the snapshot folders of the tests it ran, and calls unused
    what it did not use itself; a file another worker used is absent from that
    worker's list, so the intersection is what no worker used.
    """
    counts: Counter[str] = Counter()
    looked: Counter[str] = Counter()
    unused: Counter[str] = Counter()
    for worker in workers:
        counts.update(worker.get("counts", {}))
        looked.update(worker.get("discovered", []))
        unused.update(worker.get("unused", []))
    complete = all(workers)
    files = sorted(name for name, count in unused.items() if count == looked[name])
    return SnapshotSummary(counts, files if complete else [], complete)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """syrupy's summary line, summed over the workers, and the unused snapshots."""
    summary = config.stash.get(summary_key, None)
    if summary is None:
        return
    update = config.option.update_snapshots
    parts = [f"{_snapshots(summary.counts[key])} {word}." for key, word in COUNTS.items()]
    parts = [part for part in parts if not part.startswith("0 ")]
    if summary.unused:
        count = len(summary.unused)
        parts.append(
            f"{_snapshots(count, 'unused ')} deleted." if update else f"{_snapshots(count)} unused."
        )
    if not summary.complete:
        parts.append("Unused snapshots not checked: a worker died.")
    if not parts:
        return
    terminalreporter.write_sep("-", "snapshot report summary")
    terminalreporter.write_line(" ".join(parts))
    for location in summary.unused:
        path = Path(location)
        shown = path.relative_to(config.rootpath) if path.is_relative_to(config.rootpath) else path
        terminalreporter.write_line(f"{'Deleted' if update else 'Unused'} {shown}")
    if summary.unused and not update:
        terminalreporter.write_line(
            "Re-run pytest with --snapshot-update to delete unused snapshots."
        )


def _snapshots(number: int, adjective: str = "") -> str:
    """'1 snapshot', '3 snapshots', '2 unused snapshots'."""
    return f"{number} {adjective}snapshot{'' if number == 1 else 's'}"
