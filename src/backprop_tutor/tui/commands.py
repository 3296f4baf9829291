"""The command palette's commands: steps, nodes, paths, lessons, home, self-study, the theme."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from backprop_tutor.engine.numbers import format_number

if TYPE_CHECKING:
    from .app import TutorApp


class TutorCommands(Provider):
    """Everything the palette offers besides Textual's own commands."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("TutorApp", self.app)
        screen = app.tutor
        if screen is None:
            return self._home_commands(app)
        graph = screen.lesson.graph
        out: list[tuple[str, str, Callable[[], object]]] = []
        for i, trace in enumerate(screen.traces):
            fed = ", ".join(
                f"{graph.label(k)} = {format_number(v)}" for k, v in trace.inputs.items()
            )
            out.append((f"Go to step {i + 1}", fed or "the step", partial(screen.goto_step, i)))
        for node in graph.nodes:
            label = graph.label(node.name)
            out.append(
                (f"Select node {label}", f"{node.kind.value}", partial(screen.select, node.name))
            )
        for name in screen.lesson.parameters:
            label = graph.label(name)
            out.append(
                (
                    f"Show paths of {label}",
                    f"every path from {graph.label(graph.objective)} to {label}",
                    partial(screen.show_paths_of, name),
                )
            )
        out.append(("Go home", "every lesson, and how far you are in each", app.action_home))
        out.append(
            (
                f"Start over: {screen.lesson.title}",
                "a fresh start on this lesson; the earlier work is kept, set aside",
                app.start_over,
            )
        )
        for lesson in app.lessons():
            run = partial(app.open_lesson, lesson)
            out.append((f"Switch lesson: {lesson.name}", f"{lesson.order}. {lesson.title}", run))
        out.append(("Toggle light/dark theme", "switch theme", app.action_toggle_dark))
        return out

    def _home_commands(self, app: TutorApp) -> list[tuple[str, str, Callable[[], object]]]:
        """On the home screen: open, self-study or start over any lesson; continue."""
        home = app.home
        out: list[tuple[str, str, Callable[[], object]]] = []
        if home is None:
            return out
        if home.last is not None:
            last = home.last.lesson
            out.append((f"Continue: {last.title}", home.last.status.words(), home.action_resume))
        for entry in home.entries:
            lesson = entry.lesson
            out.append(
                (
                    f"Open lesson: {lesson.title}",
                    entry.status.words(),
                    partial(app.open_lesson, lesson),
                )
            )
        for entry in home.entries:
            lesson = entry.lesson
            out.append(
                (
                    f"Self-study: {lesson.title}",
                    "fresh numbers on this lesson's graph, the skills that are due",
                    partial(app.start_study, lesson),
                )
            )
        for entry in home.entries:
            if entry.status.state != "not started":
                lesson = entry.lesson
                out.append(
                    (
                        f"Start over: {lesson.title}",
                        "the earlier work is kept, set aside",
                        partial(app.open_lesson, lesson, fresh=True),
                    )
                )
        out.append(("Toggle light/dark theme", "switch theme", app.action_toggle_dark))
        return out

    async def discover(self) -> Hits:
        """Offer every command when nothing is typed yet."""
        for title, help_text, run in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        """The commands matching what was typed."""
        matcher = self.matcher(query)
        for title, help_text, run in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help=help_text)
