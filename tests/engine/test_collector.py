"""The cyclic collector: off inside collector_paused, as found after it; and paused through
the console script's start-up, then on again with start-up's objects frozen."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from unittest import mock

import pytest

from backprop_tutor import launch
from backprop_tutor.engine import collector, load_lesson
from backprop_tutor.engine.collector import collector_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_off_inside_and_as_before_after(enabled: bool) -> None:
    """Off inside the block; afterwards as it was, even when the block raised."""
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with pytest.raises(KeyError), collector_paused():
            assert not gc.isenabled()
            raise KeyError("x")
        assert gc.isenabled() == enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_loading_a_lesson_leaves_the_collector_on() -> None:
    """Loading pauses the collector only while it runs."""
    assert gc.isenabled()
    load_lesson("branch-merge")
    assert gc.isenabled()


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """The collector on and nothing frozen after the test, whatever it did."""
    yield
    collector.start_up_over()
    gc.unfreeze()
    gc.enable()


@pytest.mark.usefixtures("collector_restored")
def test_start_up_pauses_the_collector_until_it_is_over() -> None:
    """Off from the pause; on again at the end, with what existed then frozen."""
    gc.unfreeze()
    collector.pause_for_start_up(seconds=60)
    assert not gc.isenabled()
    with collector_paused():  # a lesson loaded meanwhile leaves it off
        pass
    assert not gc.isenabled()
    collector.start_up_over()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


@pytest.mark.usefixtures("collector_restored")
def test_start_up_over_does_nothing_without_a_pause() -> None:
    """The app's own call, in a process the console script did not start, changes nothing."""
    gc.unfreeze()
    gc.disable()
    collector.start_up_over()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("collector_restored")
def test_the_pause_ends_by_itself_after_its_time() -> None:
    """However start-up goes, the collector runs again once the pause's time is up."""
    resumed = threading.Event()
    real = collector.start_up_over

    def over() -> None:
        real()
        resumed.set()

    with mock.patch.object(collector, "start_up_over", over):
        collector.pause_for_start_up(seconds=0.01)
        assert not gc.isenabled()
        assert resumed.wait(timeout=30)
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
def test_the_console_script_runs_the_command_line_with_the_collector_paused() -> None:
    """`launch.main` is `cli.main` with the collector off while it runs, on after."""
    seen: list[bool] = []

    def command_line(argv: object) -> int:
        seen.append(gc.isenabled())
        return 7

    with mock.patch("backprop_tutor.cli.main", command_line):
        assert launch.main(["--plain"]) == 7
    assert seen == [False]
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_unheld")
def test_a_hold_keeps_the_collector_off_until_its_last_release() -> None:
    """Holds nest: the collector is off from the first until the last is released."""
    collector.hold()
    collector.hold()
    assert not gc.isenabled()
    collector.release()
    assert not gc.isenabled()
    collector.release()
    assert gc.isenabled()
    collector.release()  # one too many changes nothing
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_unheld")
def test_a_hold_leaves_an_already_paused_collector_paused() -> None:
    """A hold taken while the collector was off (start-up) does not turn it on."""
    gc.disable()
    collector.hold()
    collector.release()
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_unheld")
def test_a_hold_whose_release_never_comes_ends_after_its_limit() -> None:
    """A verdict whose frame never came still gives the collector back: the next look
    after the limit (a hold, or the app's look for a pause) ends it."""
    collector.hold(limit=-1.0)  # already past its limit
    assert not gc.isenabled()
    collector.collect_in_pause()
    assert gc.isenabled()
    collector.hold(limit=-1.0)
    collector.hold()  # the stale hold is ended first; this one holds
    assert not gc.isenabled()
    collector.release()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_unheld")
def test_release_all_ends_every_hold() -> None:
    """The app closing ends whatever holds its verdicts still had."""
    collector.hold()
    collector.hold()
    collector.release_all()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_unheld", "collector_restored")
def test_the_end_of_start_up_during_a_hold_waits_for_its_release() -> None:
    """Start-up ending while a verdict holds the collector: on at the release, not before."""
    collector.pause_for_start_up(seconds=60)
    collector.hold()
    collector.start_up_over()
    assert not gc.isenabled()
    collector.release()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_unheld")
def test_a_full_collection_runs_in_a_pause_only_when_one_is_due() -> None:
    """Due once something reached the oldest generation (a middle collection ran since
    the last full one); never while a verdict holds the collector."""
    gc.collect()
    assert gc.get_count()[2] == 0
    assert not collector.collect_in_pause()  # nothing since the last full collection
    gc.collect(1)
    assert gc.get_count()[2] > 0
    collector.hold()
    assert not collector.collect_in_pause()
    collector.release()
    assert collector.collect_in_pause()
    assert gc.get_count()[2] == 0


@pytest.mark.usefixtures("collector_unheld", "collector_restored")
def test_the_end_of_start_up_inside_a_paused_block_waits_for_its_end() -> None:
    """Start-up's timer going off in the middle of a long trace: the collector stays off
    until the trace's block ends (it used to come on there, walking the trace's graph)."""
    collector.pause_for_start_up(seconds=60)
    with collector_paused():
        collector.start_up_over()
        assert not gc.isenabled()
        with collector_paused():  # a block inside it leaves it off too
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
