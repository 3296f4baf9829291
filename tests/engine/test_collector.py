"""collector_paused turns the cyclic collector off inside and leaves it as it found it."""

from __future__ import annotations

import gc

import pytest

from backprop_tutor.engine import load_lesson
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
