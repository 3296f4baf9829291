"""Time a classroom session in a real browser: `serve`, headless Chromium, one learner.

Run it from the repository with `.venv/bin/python benchmarks/serve.py` (`--runs N`); it
needs Debian's chromium and chromium-driver, as the browser test does. One server is
started; each run opens a fresh browser on its page and times, from the browser's clock
in this process:
- start to name: from starting the browser to the app's name screen arriving over the
  websocket (Chromium's start, the page, the websocket, a fresh app process, its screen);
- name to tutor: from typing a name and Enter to the tutor's quiz arriving;
- answer to verdict: from typing the first answer and Enter to its verdict arriving.
Medians and worsts are printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.serve.browser import Page, browser_page
from tests.serve.served import serving


def timed(page: Page, keys: str | None, shown: str) -> float:
    """Seconds from typing `keys` (if any) to `shown` arriving in the page."""
    start = time.perf_counter()
    if keys is not None:
        page.type(keys)
    page.wait_for(shown)
    return time.perf_counter() - start


def main() -> None:
    """Run the sessions and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    figures: dict[str, list[float]] = {
        "start to name": [],
        "name to tutor": [],
        "answer to verdict": [],
    }
    with tempfile.TemporaryDirectory() as data, serving(Path(data)) as served:
        for run in range(runs):
            start = time.perf_counter()
            with browser_page(served.url) as page:
                page.wait_for("Who is learning?")
                figures["start to name"].append(time.perf_counter() - start)
                figures["name to tutor"].append(timed(page, f"learner{run}\n", "quiz 0/21"))
                figures["answer to verdict"].append(timed(page, "4/2\n", "Correct: u = 2."))
    for what, seconds in figures.items():
        print(f"{what:>18}: median {statistics.median(seconds):.2f} s, worst {max(seconds):.2f} s")


if __name__ == "__main__":
    main()
