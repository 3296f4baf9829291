"""Snapshots at the sizes besides 120×40 (SVGs under __snapshots__/, looked at by a person)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app

from .helpers import settle

MAZUR = Path(__file__).parents[1] / "lessons" / "published" / "mazur-2-2-2.toml"


async def mid_backward(pilot: Pilot[None]) -> None:
    """Forward pass done, four nodes into the backward pass."""
    await settle(pilot)
    await pilot.press("ctrl+l", *["ctrl+n"] * 4)
    await settle(pilot)


class TestRoomySizes:
    """A large terminal draws the graph larger: every gradient by its full name."""

    def test_branch_merge_at_200x60(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """The worked example mid backward pass, boxes writing ∂J/∂u = …"""
        assert snap_compare(
            make_app(plan=NUMBERS_ONLY), terminal_size=(200, 60), run_before=mid_backward
        )

    def test_mazur_at_200x60(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """The 2-2-2 network, drawn whole with room to spare."""
        app = make_app(str(MAZUR), plan=NUMBERS_ONLY)
        assert snap_compare(app, terminal_size=(200, 60), run_before=mid_backward)


class TestSmallSizes:
    """Too small for the whole graph: the selected node's neighbourhood."""

    def test_neighbourhood_at_80x24(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """Mid backward pass on the 2-2-2 network: the selected node, its operands, consumers."""
        app = make_app(str(MAZUR), plan=NUMBERS_ONLY)
        assert snap_compare(app, terminal_size=(80, 24), run_before=mid_backward)
