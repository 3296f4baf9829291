"""The console script's entry: `cli.main`, with Python's cyclic collector paused as it starts."""

from __future__ import annotations

import gc
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (`cli.main`), the collector paused through start-up."""
    # Before any import: nearly everything start-up makes (modules, classes, stylesheets,
    # widgets) stays alive, so each collection walks it all and frees nothing.
    gc.disable()
    from .engine import collector

    collector.pause_for_start_up()
    from .cli import main as run_command_line

    try:
        return run_command_line(argv)
    finally:
        collector.start_up_over()
