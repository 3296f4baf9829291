"""A seeded random-key fuzz of both apps: no exception, and every answer acknowledged is kept.

Each run presses random keys into the tutor app and the study app: printable characters
(symbols too, as the terminal sends them), Enter, Backspace, arrows, Tab, PageUp/PageDown,
F1 to F12, ctrl keys, Escape, bracketed pastes, terminal resizes down to 7 rows (where
PageUp/PageDown once raised `KeyError: 0` inside Textual's OptionList), and now and then
the right answer to whatever question has focus (a number, paths or a formula). After
each right answer it waits until the app is settled and checks the answer was taken and
is on disk: the tutor's row is finished and its saved record holds the answer; the study
session moved on and its progress file holds as many answers as were taken. At the end
no exception was raised (the Pilot re-raises any) and nothing is left unsaved.

`make test` runs 4 seeds of 250 presses in each app (2,000 presses). A failure names its
seed; rerun it alone with `BACKPROP_TUTOR_FUZZ_SEED=<seed>`. More:
`BACKPROP_TUTOR_FUZZ_PRESSES=2000 BACKPROP_TUTOR_FUZZ_SEEDS=10`. Every wait is bounded
(`settled()` raises `NotSettled` naming what is pending), so a hang fails.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import random
import unicodedata
from collections.abc import Awaitable, Callable
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from tests.study.conftest import FakeClock, clock
from textual import events
from textual.app import App
from textual.geometry import Size
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot

from backprop_tutor.engine import Lesson
from backprop_tutor.quiz import Question
from backprop_tutor.quiz.ids import QuestionId
from backprop_tutor.study.progress import ProgressStore
from backprop_tutor.study.tutor_records import current_record
from backprop_tutor.tui import deferred, make_app
from backprop_tutor.tui.screens.study_app import StudyApp, make_study_app
from backprop_tutor.tui.widgets.question_row import QuestionRow

__all__ = ["clock"]  # the study tests' fake clock, as a fixture here too

# In `make test`: a few thousand presses in all (PRESSES per seed, each app, each seed).
# BACKPROP_TUTOR_FUZZ_PRESSES sets more (500 is a long run), BACKPROP_TUTOR_FUZZ_SEEDS how
# many seeds (1, 2, ...), BACKPROP_TUTOR_FUZZ_SEED one seed alone (to rerun a failure).
PRESSES = int(os.environ.get("BACKPROP_TUTOR_FUZZ_PRESSES", "") or 250)
_SEED_COUNT = int(os.environ.get("BACKPROP_TUTOR_FUZZ_SEEDS", "") or 4)
_ONE_SEED = os.environ.get("BACKPROP_TUTOR_FUZZ_SEED")
SEEDS = [int(_ONE_SEED)] if _ONE_SEED else list(range(1, _SEED_COUNT + 1))
# A whole run's bound, on top of settled()'s own per-wait bound: a hang fails, naming the seed.
HANG_LIMIT = 60.0 + PRESSES * 0.5

_TYPED = [*list("0123456789.-+*/^()eE ?!qxyz,=_"), "∂", "δ", "é", "٣", "\t"]
_KEYS = [
    "enter",
    "backspace",
    "delete",
    "left",
    "right",
    "up",
    "down",
    "home",
    "end",
    "pageup",
    "pagedown",
    "tab",
    "shift+tab",
    "escape",
    "space",
    *(f"f{n}" for n in range(1, 13)),
    # Every ctrl letter but q (quit, pressed at the end), z (suspends the process) and o
    # (home, where s starts self-study in place of the app: the home has tests of its own).
    *(f"ctrl+{c}" for c in "abcdefghijklmnprstuvwxy"),
]
_PASTES = ["0.1*0.955015", "2", "1/7", "1" * 5000, "\x1b[31mred", "2\n4\n6", "", "0e1000000"]
_SIZES = [(120, 40), (80, 24), (60, 18), (40, 12), (30, 8), (20, 8), (18, 7), (200, 60)]


class Fuzz:
    """One seeded run: random events into an app, with a check after each right answer."""

    def __init__(self, seed: int, pilot: Pilot[Any]) -> None:
        self.seed = seed
        self.random = random.Random(seed)
        self.pilot = pilot
        self.app: App[Any] = pilot.app
        self.log: list[str] = []  # what was sent, for the failure message
        self.answered = 0
        # Whether the learner asked to quit: the study summary's q or Escape, or Quit chosen
        # in the command palette (which command a burst's Enter picks there depends on how
        # far the palette's search has got). Any other close is a failure.
        self.quit_asked = False
        original_quit = self.app.action_quit

        async def quit_asked() -> None:
            self.quit_asked = True
            result = original_quit()
            if inspect.isawaitable(result):
                await result

        self.app.action_quit = quit_asked  # type: ignore[method-assign]

    async def run(self, presses: int, right_answer: Callable[[], Awaitable[None]]) -> None:
        """Send `presses` random events; a hang fails with the seed instead of hanging."""
        try:
            await asyncio.wait_for(self._run(presses, right_answer), HANG_LIMIT)
        except TimeoutError:
            pytest.fail(self.failure(f"the app did not settle within {HANG_LIMIT} s"))

    async def _run(self, presses: int, right_answer: Callable[[], Awaitable[None]]) -> None:
        """Send `presses` random events; about one in twelve is the focused row's answer."""
        for _ in range(presses):
            roll = self.random.random()
            if roll < 0.08:
                await right_answer()
            elif roll < 0.12:
                size = self.random.choice(_SIZES)
                self.log.append(f"resize {size}")
                await self.resize(*size)
            elif roll < 0.15:
                text = self.random.choice(_PASTES)
                self.log.append(f"paste {text[:20]!r}")
                self.app.post_message(events.Paste(text))
                await self.settle()
            else:
                # A burst of one to six keys with no pause between them, as a fast typist,
                # a paste without bracketing or a remote connection sends them.
                burst = [
                    self.random.choice(_TYPED if self.random.random() < 0.5 else _KEYS)
                    for _ in range(self.random.randint(1, 6))
                ]
                await self.press(*burst)
            if not self.app.is_running:
                why = f"the app closed ({self.app.return_code=}, {self.app._exception!r})"
                assert self.quit_asked, self.failure(why)
                return

    async def press(self, *keys: str) -> None:
        """Send keys the way the terminal driver does, all at once, then wait until settled."""
        self.log.extend(keys)
        driver = self.app._driver
        assert driver is not None
        for key in keys:
            driver.send_message(_key_event(self.app, key))
        if self.app.is_running:
            await self.settle()

    def quit(self) -> None:
        """Press ctrl+q, and let the app close (no wait on its screen, which is going)."""
        driver = self.app._driver
        if driver is not None and self.app.is_running:
            driver.send_message(_key_event(self.app, "ctrl+q"))

    async def resize(self, width: int, height: int) -> None:
        """What Pilot.resize_terminal does, then a settle instead of Pilot's own wait."""
        size = Size(width, height)
        self.app._driver._size = size  # type: ignore[union-attr]
        self.app.post_message(events.Resize(size, size))
        await self.settle()

    async def settle(self) -> None:
        """Wait until the app has nothing pending (never a fixed time).

        An app that closes while this waits ends the wait; `_run` then checks the
        close was one the keys asked for.
        """
        try:
            await deferred.settled(self.app)
        except deferred.NotSettled:
            if self.app.is_running or self.app._exception is not None:
                raise
            return
        stale = _not_running(self.app)
        assert not stale, self.failure(f"widgets left in the tree, not running: {stale[:5]}")

    def failure(self, what: str) -> str:
        """The message for a failed check: the seed to rerun and the last events."""
        return (
            f"{what} (rerun with BACKPROP_TUTOR_FUZZ_SEED={self.seed}); "
            f"last events: {self.log[-15:]}"
        )

    async def clear_and_type(self, text: str) -> None:
        """Empty the focused input and type `text`, then Enter."""
        focused = self.app.focused
        value = getattr(focused, "value", "")
        self.log.append(f"answer {text!r}")
        await self.press("end", *["backspace"] * len(value), *text, "enter")


def _key_event(app: App[Any], key: str) -> events.Key:
    """The event the terminal driver makes for `key` (without Pilot's per-key idle waits)."""
    if len(key) == 1:
        # A typed character: the driver names it (`rightwards_arrow`) and keeps the
        # character itself, which Textual's name lookup cannot give back for most symbols.
        char: str | None = key
        key = _character_to_key(key)
    else:
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = None
    event = events.Key(key, char)
    event.set_sender(app)
    return event


def _not_running(app: App[Any]) -> list[str]:
    """Widgets of every screen in the stack that are attached but not running (leaked)."""
    return [
        f"{node!r} in {screen!r} ({node._message_queue.qsize()} queued)"
        for screen in app.screen_stack
        for node in screen.walk_children(with_self=False)
        if node.is_attached and not node.is_running
    ]


def _right_text(question: Question) -> str:
    """What a learner who knows the answer types: the number, or the paths or formula."""
    return question.typed or repr(question.expected)


def _focused_row(app: App[Any]) -> QuestionRow | None:
    node = app.focused
    while node is not None and not isinstance(node, QuestionRow):
        node = node.parent  # type: ignore[assignment]
    return node


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_keys_in_the_tutor(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock, seed: int
) -> None:
    """The tutor app as a learner meets it (the lesson's plan, work saved): random keys,
    pastes and resizes; every right answer (paths, formulas, numbers) is taken and on disk."""
    store = ProgressStore(tmp_path)
    app = make_app(worked_example, store=store, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.settled()
        fuzz = Fuzz(seed, pilot)

        async def right_answer() -> None:
            row = _focused_row(app)
            if row is None or row.finished or not app.focused or not hasattr(app.focused, "value"):
                return
            question: Question = row.question
            text = _right_text(question)
            await fuzz.clear_and_type(text)
            assert row.finished, fuzz.failure(f"the right answer to {question.id} was not taken")
            assert (question.id, text) in _answers_on_disk(tmp_path), fuzz.failure(
                f"the right answer to {question.id} is not on disk"
            )
            fuzz.answered += 1

        await fuzz.run(PRESSES, right_answer)
        await fuzz.settle()
        unsaved = sum(saves.unsaved for saves in app.saves.values())
        fuzz.quit()
    assert app._exception is None
    assert unsaved == 0


def _answers_on_disk(directory: Path) -> set[tuple[QuestionId, str]]:
    """Every answer the tutor's saved record of the worked example holds: (question, text)."""
    record = current_record(ProgressStore(directory).load().tutor, "branch-merge")
    events = record.events if record is not None else ()
    return {(event.question, event.text) for event in events if event.action == "answer"}


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_keys_in_the_study_app(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock, seed: int
) -> None:
    """The study app: the same, and every answer it took is on disk when it closes."""
    seeds = count(100)
    store = ProgressStore(tmp_path)
    app: StudyApp = make_study_app(
        store, worked_example, clock=clock, new_seed=lambda: next(seeds), seed=seed
    )
    taken = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await deferred.settled(app)
        fuzz = Fuzz(seed, pilot)

        async def right_answer() -> None:
            nonlocal taken
            study = app.study
            focused = app.focused
            if (
                study is None
                or study.current is None
                or getattr(focused, "id", "") != ("study-answer")
            ):
                return
            before = study.done
            await fuzz.clear_and_type(_right_text(study.current))
            if app.study is study:
                assert study.done == before + 1, fuzz.failure("the right answer was not taken")
            taken += 1
            on_disk = len(ProgressStore(tmp_path).load().answers)
            assert on_disk >= taken, fuzz.failure(f"{taken} answers taken, {on_disk} on disk")

        await fuzz.run(PRESSES, right_answer)
        await fuzz.settle()
        study = app.study
        fuzz.quit()
    assert app._exception is None
    assert study is None or study.unsaved == 0
    assert len(store.load().answers) >= taken
