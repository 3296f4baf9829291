"""The tutor in a real browser: `serve`, headless Chromium, a learner's name and an answer.

Each test opens the page as a student would, types into it, and reads the result where
it can be read: what the app sent the page, the learners' folders, a screenshot.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser import Page, browser_page, distinct_colours, require_chromium
from .served import Served, serving

# `BACKPROP_TUTOR_SCREENSHOTS=DIR` (set by `make screenshots`) keeps the browser's view there.
SCREENSHOTS_ENV = "BACKPROP_TUTOR_SCREENSHOTS"
SCREENSHOT_NAME = "11-browser.png"
NAME_SCREENSHOT_NAME = "12-browser-name.png"
# The worked example's first question maps the paths from J to a (its quiz plan).
FIRST_ANSWER = "J L p v u a; J L p v h u a; J R a"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for this module's tests; each test uses learner names of its own."""
    require_chromium()
    with serving(tmp_path_factory.mktemp("classroom")) as running:
        yield running


def sign_in(page: Page, name: str) -> None:
    """Answer the first screen's question with `name`."""
    page.wait_for("Who is learning?")
    page.type(name + "\n")


def open_first_lesson(page: Page) -> None:
    """Open Branch and merge, the third lesson, from the home screen; nothing answered yet."""
    from selenium.webdriver.common.keys import Keys

    page.wait_for("Lessons (8)")
    page.type(Keys.ARROW_DOWN * 2 + "\n")
    page.wait_for("quiz 0/32")


def answer_first_question(page: Page) -> None:
    """Type the first answer of the worked example and wait for its verdict."""
    page.type(FIRST_ANSWER + "\n")
    page.wait_for("Correct: all 3 paths from J")
    page.wait_for("quiz 1/32")


def folders(served: Served) -> set[str]:
    """The learners' folders the server has made so far."""
    root = served.data / "learners"
    return {path.name for path in root.iterdir()} if root.exists() else set()


def test_a_learner_answers_in_the_browser(served: Served, tmp_path: Path) -> None:
    """A name and a first answer typed into the page: checked, drawn, and the folder made."""
    with browser_page(served.url) as page:
        page.wait_for("Who is learning?")
        page.screenshot(tmp_path / NAME_SCREENSHOT_NAME)
        sign_in(page, "Ana")
        open_first_lesson(page)
        answer_first_question(page)
        assert page.splash_gone()
        page.screenshot(tmp_path / SCREENSHOT_NAME)
    assert "ana" in folders(served)
    assert (served.data / "learners" / "ana").is_dir()
    for name in (NAME_SCREENSHOT_NAME, SCREENSHOT_NAME):
        # A drawn screen has borders, text and colours; a blank page has one or two colours.
        assert distinct_colours(tmp_path / name) > 50, f"{name} looks blank"
        keep = os.environ.get(SCREENSHOTS_ENV)
        if keep:
            shutil.copyfile(tmp_path / name, Path(keep) / name)


def test_a_second_learner_starts_apart(served: Served) -> None:
    """Another name in another session gets a folder of its own and none of the first's work."""
    with browser_page(served.url) as page:
        sign_in(page, "dee")
        open_first_lesson(page)
        answer_first_question(page)
    with browser_page(served.url) as page:
        sign_in(page, "eli")
        open_first_lesson(page)
        assert "Correct" not in page.received()
        assert "quiz 1/32" not in page.received()
    assert {"dee", "eli"} <= folders(served)


def test_a_refused_name_is_explained_in_the_page(served: Served) -> None:
    """`../x` is refused with its reason and makes no folder; a good name then goes on."""
    before = set(served.data.rglob("*"))
    with browser_page(served.url) as page:
        sign_in(page, "../x")
        page.wait_for("A name cannot contain '.'")
        assert set(served.data.rglob("*")) == before
        page.erase(len("../x"))
        page.type("fay\n")
        open_first_lesson(page)
    assert "fay" in folders(served)
    assert not (served.data / "x").exists() and not (served.data.parent / "x").exists()


def test_a_returning_learner_resumes(served: Served) -> None:
    """The first answer is in the learner's progress file, and the same name gets it back."""
    with browser_page(served.url) as page:
        sign_in(page, "gus")
        open_first_lesson(page)
        answer_first_question(page)
    progress = served.data / "learners" / "gus" / "progress.json"
    assert progress.exists(), f"{progress} was not written"
    assert f'"{FIRST_ANSWER}"' in progress.read_text(encoding="utf-8")
    with browser_page(served.url) as page:
        sign_in(page, "Gus")
        page.wait_for("Continue (c): Branch and merge")
        page.type("c")
        page.wait_for("quiz 1/32")
