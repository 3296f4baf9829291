"""The end of a study session: accuracy per skill as a bar chart, streak, what is due next."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from backprop_tutor.quiz import Standing, Summary
from backprop_tutor.quiz.skills import describe
from backprop_tutor.study.words import when

BAR_WIDTH = 30
DUE_LINES = 4  # due dates listed; the rest are in `backprop-tutor progress`


def accuracy_bar(right: int, asked: int, colour: str, width: int = BAR_WIDTH) -> Text:
    """A bar of `width` cells, filled in proportion to right / asked; readable without colour."""
    filled = round(width * right / asked) if asked else 0
    bar = Text()
    bar.append("█" * filled, style=colour)
    bar.append("░" * (width - filled), style="dim")
    return bar


def chart(summary: Summary, colour: str = "green") -> Table:
    """One row per skill asked: name, bar, right of asked, percent, box."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True, style="dim")
    for score in summary.skills:
        table.add_row(
            score.name,
            accuracy_bar(score.first_try, score.asked, colour),
            f"{score.first_try}/{score.asked}",
            f"{round(100 * score.accuracy)}%",
            f"box {score.box}",
        )
    return table


def due_text(standing: Standing) -> Text:
    """What comes due next and when, soonest first."""
    text = Text()
    if not standing.due_next:
        text.append("Everything you practised is due again today.")
        return text
    for day, skills in standing.due_next[:DUE_LINES]:
        text.append(f"{when(day, standing.today)}: ", style="bold")
        text.append(", ".join(describe(s) for s in skills) + "\n")
    return text


class StudySummaryScreen(Screen[None]):
    """Shown when the last question of a session is answered."""

    DEFAULT_CSS = """
    StudySummaryScreen { align: center middle; }
    #summary-body {
        width: 100;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $text-primary;
        padding: 1 2;
    }
    .summary-heading { color: $text-primary; text-style: bold; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "again", "Another session"),
        Binding("q,escape", "app.quit", "Quit"),
    ]

    def __init__(self, summary: Summary, title: str) -> None:
        """The numbers to show (a study session's, with its standing) and the lesson's title."""
        super().__init__()
        if summary.standing is None:
            raise ValueError("the study summary screen needs a study session's summary")
        self.summary = summary
        self.standing = summary.standing
        self.lesson_title = title

    def compose(self) -> ComposeResult:
        """Score, chart, streak, due dates."""
        summary = self.summary
        with VerticalScroll(id="summary-body") as body:
            # A Text, not a str: the lesson's title is data, never read as markup.
            body.border_title = Text(f"Session complete: {self.lesson_title}")
            body.border_subtitle = "n another session · q quit"
            yield Static(
                Text.assemble(
                    ("Right at the first try: ", "bold"),
                    f"{summary.first_try} of {summary.total}",
                )
            )
            yield Static("Accuracy per skill this session", classes="summary-heading")
            # Rich text cannot read theme variables, so the theme's colour is looked up.
            colour = self.app.get_css_variables().get("success", "green")
            yield Static(chart(summary, colour), id="summary-chart")
            streak = self.standing.streak
            days = "day" if streak == 1 else "days"
            yield Static("Streak", classes="summary-heading")
            yield Static(f"{streak} {days} in a row with a session.", id="summary-streak")
            yield Static("Due next", classes="summary-heading")
            yield Static(due_text(self.standing), id="summary-due")
        yield Footer()

    def action_again(self) -> None:
        """Start a new session on the same lesson."""
        start = getattr(self.app, "start_session", None)
        if start is not None:
            start()
