"""The controller's sums of what xdist workers report about snapshots."""

from __future__ import annotations

from tests.xdist_reports import add_up


def worker(discovered: list[str], unused: list[str], matched: int = 0) -> dict[str, object]:
    """One worker's report: the snapshot files it looked at, the ones it did not use."""
    return {"counts": {"matched": matched}, "discovered": discovered, "unused": unused}


def test_a_file_another_worker_used_is_not_unused() -> None:
    """gw0 used a.svg and b.svg; gw1 saw the folder, used neither: only c.svg is unused."""
    everything = ["a.svg", "b.svg", "c.svg"]
    summary = add_up(
        [worker(everything, ["c.svg"], matched=2), worker(everything, everything, matched=0)]
    )
    assert summary.unused == ["c.svg"]
    assert summary.counts["matched"] == 2
    assert summary.complete


def test_a_folder_only_one_worker_looked_at() -> None:
    """A worker that ran none of a folder's tests has no say about its files."""
    summary = add_up([worker(["a.svg", "old.svg"], ["old.svg"], matched=1), worker([], [])])
    assert summary.unused == ["old.svg"]


def test_counts_add_up_over_workers() -> None:
    """Passed, generated and failed snapshots are summed."""
    first = {"counts": {"matched": 3, "created": 1}, "discovered": [], "unused": []}
    second = {"counts": {"matched": 4, "failed": 1}, "discovered": [], "unused": []}
    assert add_up([first, second]).counts == {"matched": 7, "created": 1, "failed": 1}


def test_a_dead_worker_means_nothing_is_called_unused() -> None:
    """What a worker that died had used is unknown, so no file may be deleted."""
    summary = add_up([worker(["a.svg"], ["a.svg"]), {}])
    assert summary.unused == []
    assert not summary.complete
