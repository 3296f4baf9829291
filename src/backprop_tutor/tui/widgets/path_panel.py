"""The gradient-path panel: every path from the objective to the selected node."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from backprop_tutor.engine import Graph, Path, StepTrace, format_number
from backprop_tutor.engine.symbolic import render

from ..stepper import Position, Revealed

PATH_LIMIT = 40  # paths listed at most; the count is always exact


def _paren(value: float) -> str:
    """A number as a factor: negatives in parentheses."""
    text = format_number(value)
    return f"({text})" if value < 0 else text


def branch_role(graph: Graph, branch: str) -> str:
    """What the lesson says a branch of the objective is (" (data)"), or nothing."""
    # Only the lesson's [roles] table says so: a role read off the structure can be wrong.
    role = graph.role(branch)
    return f" ({role})" if role else ""


@dataclass(frozen=True)
class PathRequest:
    """What the panel is asked to show."""

    trace: StepTrace
    node: str
    position: Position
    revealed: Revealed


class PathPanel(Vertical):
    """The selected node's paths from the objective, their products and their sum."""

    @dataclass
    class PathChosen(Message):
        """The learner moved to a path (its nodes, objective first), or to none."""

        nodes: tuple[str, ...]

    def __init__(
        self, id: str | None = None, *, branch_roles: bool = False, stepping: bool = False
    ) -> None:
        super().__init__(id=id)
        # Say "(data)" / "(regularization)" after each branch; off by default so other
        # screens that embed the panel keep their text until they opt in.
        self.branch_roles = branch_roles
        # Whether the screen steps through the passes (ctrl+n), so a hint may name it.
        self.stepping = stepping
        self.border_title = "Gradient paths"
        self._paths: list[Path] = []

    def compose(self) -> ComposeResult:
        """A summary (stage working, merges, sum) above a scrollable list of paths."""
        yield Static(id="path-summary")
        yield _PathList(id="path-list")

    @property
    def summary(self) -> Static:
        """The text above the list."""
        return self.query_one("#path-summary", Static)

    @property
    def path_list(self) -> OptionList:
        """The list of paths."""
        return self.query_one("#path-list", OptionList)

    @property
    def paths(self) -> list[Path]:
        """The paths currently listed."""
        return list(self._paths)

    def show(self, request: PathRequest) -> None:
        """Show the paths of `request.node` at the given step and position."""
        trace, node, revealed = request.trace, request.node, request.revealed
        graph = trace.graph
        numbers = node in revealed.grads
        count = trace.path_count(node)
        gname = graph.derivative_symbol(node)
        shown = "" if count <= PATH_LIMIT else f", first {PATH_LIMIT} listed"
        self.border_title = f"Paths to {graph.label(node)}: {count}{shown}"
        # The objective's only "path" is itself: nothing to list.
        objective = node == graph.objective
        self._paths = [] if objective else list(trace.paths(node, limit=PATH_LIMIT))
        self.summary.update(self._summary(request, gname, numbers))
        options = [
            Option(self._path_text(graph, i, p, numbers), id=str(i))
            for i, p in enumerate(self._paths)
        ]
        lst = self.path_list
        lst.clear_options()
        lst.add_options(options)
        if not options:
            self.post_message(self.PathChosen(()))

    def choose(self, index: int) -> None:
        """Highlight the path at `index` (and so in the graph)."""
        if 0 <= index < len(self._paths):
            self.path_list.highlighted = index

    def _summary(self, request: PathRequest, gname: str, numbers: bool) -> Text:
        trace, node, pos = request.trace, request.node, request.position
        graph = trace.graph
        text = Text()
        info = graph.node(node)
        if pos.stage == "forward" and info.expression is not None:
            known = node in request.revealed.values
            with_numbers = render(graph.tree(node), trace.values)
            result = format_number(trace.values[node]) if known else "?"
            work = f" = {with_numbers}" if known else ""
            text.append(f"{graph.label(node)} = {graph.expression_text(node)}{work} = ")
            text.append(result, style="bold")
            text.append("\n")
        if pos.stage == "update" and node in trace.params_after:
            if node in request.revealed.updated:
                eta, g = trace.learning_rate, trace.grads[node]
                before, after = trace.params_before[node], trace.params_after[node]
                text.append(
                    f"{graph.label(node)} ← {graph.label(node)} − η·{gname}"
                    f" = {format_number(before)} − {format_number(eta)}"
                    f" × {_paren(g)} = "
                )
                text.append(format_number(after), style="bold")
            else:
                text.append(f"{graph.label(node)} ← {graph.label(node)} − η·{gname} = ?")
            text.append("\n")
        if node == graph.objective:
            text.append(f"{gname} = 1: the start of every path.")
            return text
        if not numbers:
            if self.stepping:
                when = f"when the backward pass reaches {graph.label(node)} (ctrl+n) or "
            else:
                when = ""
            text.append(f"{gname} = ?  Numbers appear {when}when you answer it.")
            return text
        edges = trace.contributions_to(node)
        if len(edges) > 1:
            text.append(f"{len(edges)} branches meet at {graph.label(node)}: ", style="bold")
            text.append("its gradient is the sum of what each consumer sends back.\n")
        for e in edges:
            cons = graph.label(e.node)
            local = graph.local_formula(e.node, node)
            text.append(
                f"  through {cons}: {graph.derivative_symbol(e.node)}·∂{cons}/∂{graph.label(node)}"
                f" = {_paren(trace.grads[e.node])} × {local}"
                f" ({format_number(e.local)}) = "
            )
            text.append(format_number(e.contribution), style="bold")
            text.append("\n")
        products = " + ".join(_paren(p.product) for p in self._paths)
        more = " + …" if trace.path_count(node) > len(self._paths) else ""
        text.append(f"{gname} = sum of path products = {products}{more} = ")
        text.append(format_number(trace.grads[node]), style="bold")
        return text

    def _path_text(self, graph: Graph, index: int, path: Path, numbers: bool) -> Text:
        text = Text()
        route = " → ".join(graph.label(n) for n in path.nodes)
        role = branch_role(graph, path.branch) if self.branch_roles else ""
        text.append(f"{index + 1}. via {graph.label(path.branch)}{role}: ", style="bold")
        text.append(route)
        for f in path.factors:
            name = f"∂{graph.label(f.node)}/∂{graph.label(f.operand)}"
            formula = graph.local_formula(f.node, f.operand)
            value = format_number(f.local) if numbers else "?"
            text.append(f"\n│ {name} = {formula} = {value}")
        product = format_number(path.product) if numbers else "?"
        text.append("\n└ product = ")
        text.append(product, style="bold")
        return text

    @on(OptionList.OptionHighlighted, "#path-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Tell the graph which path to light up."""
        event.stop()
        index = event.option_index
        if 0 <= index < len(self._paths):
            self.post_message(self.PathChosen(self._paths[index].nodes))


class _PathList(OptionList):
    """Textual's OptionList, safe from PageUp/PageDown before its lines are laid out."""

    def _move_page(self, direction: Any) -> None:
        # Textual 8.2.8 reads `_index_to_line`, which is empty until the list has been
        # laid out at a usable height (a short terminal): KeyError 0 (issue 17).
        if (self.highlighted or 0) not in self._index_to_line:
            self.action_first() if direction < 0 else self.action_last()
            return
        super()._move_page(direction)
