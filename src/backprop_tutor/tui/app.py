"""The Textual app: one lesson on the tutor screen, with a palette and themes."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from backprop_tutor.engine import Lesson, builtin_lesson_paths, load_lesson

from . import deferred, keymap
from .commands import TutorCommands
from .last_resort import LastResortApp
from .screens.tutor import TutorScreen

LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"


class TutorApp(LastResortApp):
    """Backpropagation, one node at a time."""

    CSS_PATH = "app.tcss"
    TITLE = "backprop-tutor"
    COMMANDS = App.COMMANDS | {TutorCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+p",
            "command_palette",
            "palette",
            show=False,
            priority=True,
            tooltip="command palette: steps, nodes, paths, lessons, theme",
        ),
        keymap.QUIT,
    ]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson

    @property
    def tutor(self) -> TutorScreen | None:
        """The tutor screen, when it is the one showing (or under a modal)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, TutorScreen):
                return screen
        return None

    def get_default_screen(self) -> TutorScreen:
        """The lesson's tutor screen is the app's first screen (no blank one before it)."""
        return TutorScreen(self.lesson)

    def lesson_names(self) -> list[str]:
        """The built-in lessons, by name."""
        return sorted(builtin_lesson_paths())

    def open_lesson(self, name: str) -> None:
        """Replace the current lesson with another one."""
        self.lesson = load_lesson(name)
        screen = TutorScreen(self.lesson)
        # The first lesson's screen is the default one, which can't be switched away.
        if len(self.screen_stack) > 1:
            deferred.track(self, self.switch_screen(screen))
        else:
            deferred.track(self, self.push_screen(screen))

    async def settled(self) -> None:
        """Return once no deferred work is pending (what tests wait for, never a sleep)."""
        await deferred.settled(self)

    def action_toggle_dark(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME
