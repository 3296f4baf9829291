"""The gradient-path panel: every path from the objective to the selected node."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from backprop_tutor.engine import Graph, Path, StepTrace, format_number
from backprop_tutor.engine.symbolic import render
from backprop_tutor.engine.trace import Edge
from backprop_tutor.quiz import Kind, Known, QuestionId

from ..stepper import Position, Revealed
from .paged_option_list import PagedOptionList

PATH_LIMIT = 40  # paths listed at most; the count is always exact
SHOWN = " (shown)"  # after a number the learner asked to be shown


def _paren(value: float) -> str:
    """A number as a factor: negatives in parentheses."""
    text = format_number(value)
    return f"({text})" if value < 0 else text


def _as_factor(text: str) -> str:
    """A number already written, as a factor: negatives in parentheses, the mark after."""
    number = text.removesuffix(SHOWN)
    mark = text[len(number) :]
    return f"({number}){mark}" if number.startswith("−") else text


def branch_role(graph: Graph, branch: str) -> str:
    """What the lesson says a branch of the objective is (" (data)"), or nothing."""
    # Only the lesson's [roles] table says so: a role read off the structure can be wrong.
    role = graph.role(branch)
    return f" ({role})" if role else ""


@dataclass(frozen=True)
class PathRequest:
    """What the panel is asked to show.

    `revealed` is what stepping has shown (the engine's numbers); `known` is what the
    learner has settled on in the quiz (their own numbers, or shown ones, marked).
    """

    trace: StepTrace
    node: str
    position: Position
    revealed: Revealed
    known: Mapping[QuestionId, Known] = field(default_factory=dict)

    def _number(self, kind: Kind, name: str, engine: float, stepped: bool) -> str | None:
        found = self.known.get(QuestionId(self.trace.step, kind, name))
        if found is not None:
            return format_number(found.value) + (SHOWN if found.revealed else "")
        return format_number(engine) if stepped else None

    def gradient(self, name: str) -> str | None:
        """The gradient at `name` as the learner has it (None: not yet answered)."""
        trace = self.trace
        if name == trace.graph.objective:
            return "1"
        stepped = name in self.revealed.grads
        return self._number(Kind.GRADIENT, name, trace.grads.get(name, 0.0), stepped)

    def value(self, name: str) -> str | None:
        """A node's value as the learner has it (leaves are always known)."""
        trace = self.trace
        if trace.graph.node(name).expression is None:
            return format_number(trace.values[name])
        return self._number(Kind.VALUE, name, trace.values[name], name in self.revealed.values)

    def updated(self, name: str) -> str | None:
        """A parameter's new value as the learner has it."""
        after = self.trace.params_after[name]
        return self._number(Kind.UPDATE, name, after, name in self.revealed.updated)


class PathList(PagedOptionList):
    """The list of paths (PageUp/PageDown safe at any height)."""


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
        # What the panel last drew (title, summary, paths), so an unchanged request redraws nothing.
        self._drawn: tuple[str, str, tuple[str, ...]] | None = None

    def compose(self) -> ComposeResult:
        """A summary (stage working, merges, sum) above a scrollable list of paths."""
        yield Static(id="path-summary")
        yield PathList(id="path-list")

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
        trace, node = request.trace, request.node
        graph = trace.graph
        count = trace.path_count(node)
        shown = "" if count <= PATH_LIMIT else f", first {PATH_LIMIT} listed"
        title = f"Paths to {graph.label(node)}: {count}{shown}"
        # The objective's only "path" is itself: nothing to list.
        objective = node == graph.objective
        paths = [] if objective else list(trace.paths(node, limit=PATH_LIMIT))
        self._paths = paths
        summary = self._summary(request)
        texts = [self._path_text(request, i, p) for i, p in enumerate(paths)]
        drawn = (title, summary.plain, tuple(t.plain for t in texts))
        if drawn == self._drawn:
            return  # the same on screen: keep the list, its highlight and its scroll
        self._drawn = drawn
        self.border_title = title
        self.summary.update(summary)
        options = [Option(text, id=str(i)) for i, text in enumerate(texts)]
        lst = self.path_list
        lst.clear_options()
        lst.add_options(options)
        if not options:
            self.post_message(self.PathChosen(()))

    def withhold(self, request: PathRequest, why: str) -> None:
        """List nothing for `request.node` yet, and say why (the quiz asks for it, or for
        something its paths would give away)."""
        self.border_title = f"Paths to {request.trace.graph.label(request.node)}: held back"
        self._drawn = None  # shown again later, the paths are drawn whatever came before
        self._paths = []
        self.summary.update(Text(why))
        self.path_list.clear_options()
        self.post_message(self.PathChosen(()))

    def choose(self, index: int) -> None:
        """Highlight the path at `index` (and so in the graph)."""
        if 0 <= index < len(self._paths):
            self.path_list.highlighted = index

    def _summary(self, request: PathRequest) -> Text:
        """The stage's line for the node, then how its gradient is made, each line to its result."""
        trace, node, pos = request.trace, request.node, request.position
        graph = trace.graph
        gname = graph.derivative_symbol(node)
        text = Text()
        info = graph.node(node)
        if pos.stage == "forward" and info.expression is not None:
            self._forward_line(text, request)
        if pos.stage == "update" and node in trace.params_after:
            self._update_line(text, request, gname)
        if node == graph.objective:
            text.append(f"{gname} = 1: the start of every path.")
            return text
        mine = request.gradient(node)
        # Nothing to build on yet (the objective's own 1 does not count): say when numbers come.
        upstream = [c for c in graph.live_consumers(node) if c != graph.objective]
        if mine is None and not any(request.gradient(c) for c in upstream):
            if self.stepping:
                when = f"when the backward pass reaches {graph.label(node)} (ctrl+n) or "
            else:
                when = ""
            text.append(f"{gname} = ?  Numbers appear {when}when you answer it.")
            return text
        count = trace.path_count(node)
        if count == 0:
            text.append(
                f"{gname} = 0: {graph.objective_label} does not depend on {graph.label(node)}."
            )
            return text
        if count >= 2:
            # First, so a short panel cuts the parts below rather than the result.
            products = " + ".join(self._product(request, p) for p in self._paths)
            more = " + …" if count > len(self._paths) else ""
            text.append(f"{gname} = sum of path products = {products}{more} = ")
            text.append(mine or "?", style="bold")
            text.append("\n")
        edges = trace.contributions_to(node)
        if len(edges) > 1:
            text.append(f"{len(edges)} branches meet at {graph.label(node)}: ", style="bold")
            text.append("what each consumer sends back adds up.\n")
        for e in edges:
            self._edge_line(text, request, e, mine if len(edges) == 1 else None)
        text.rstrip()
        return text

    def _forward_line(self, text: Text, request: PathRequest) -> None:
        """`v = c·h + u + d = 1·4 + 2 + 0 = 6`, the work left out where it says nothing new."""
        trace, node = request.trace, request.node
        graph = trace.graph
        mine = request.value(node)
        formula = graph.expression_text(node)
        line = f"{graph.label(node)} = {formula}"
        if mine is not None:
            work = render(graph.tree(node), trace.values)
            if work not in (formula, mine):
                line += f" = {work}"
        if formula != mine:
            text.append(line + " = ")
            text.append(mine or "?", style="bold")
        else:
            text.append(line)
        text.append("\n")

    def _update_line(self, text: Text, request: PathRequest, gname: str) -> None:
        """`a ← a − η·∂J/∂a = 1 − 0.1 × 0.449854 = 0.955015`, ? until the learner has it."""
        trace, node = request.trace, request.node
        label = trace.graph.label(node)
        text.append(f"{label} ← {label} − η·{gname} = ")
        mine = request.updated(node)
        gradient = request.gradient(node)
        if mine is not None and gradient is not None:
            before, eta = trace.params_before[node], trace.learning_rate
            text.append(
                f"{format_number(before)} − {format_number(eta)} × {_as_factor(gradient)} = "
            )
        text.append(mine or "?", style="bold")
        text.append("\n")

    def _local(self, request: PathRequest, edge: Edge) -> str:
        """`∂u/∂a = x = 2`; a formula that is its own value (`1`) once; ? until answered."""
        graph = request.trace.graph
        name = f"∂{graph.label(edge.node)}/∂{graph.label(edge.operand)}"
        formula = graph.local_formula(edge.node, edge.operand)
        # A local derivative's number comes with the gradient at its operand; a formula
        # that is its own number (`1`) is that number, so it waits too.
        known = request.gradient(edge.operand) is not None
        if formula == format_number(edge.local):
            return f"{name} = {formula if known else '?'}"
        return f"{name} = {formula} = {format_number(edge.local) if known else '?'}"

    def _edge_line(self, text: Text, request: PathRequest, edge: Edge, whole: str | None) -> None:
        """What one consumer sends back, formula and numbers, ending with its result.

        `whole` is the learner's gradient when this edge is the only one (the line is
        then the gradient itself); at a merge each line ends with its contribution.
        """
        trace = request.trace
        graph = trace.graph
        single = len(trace.contributions_to(edge.operand)) == 1
        head = (
            f"{graph.derivative_symbol(edge.operand)} = "
            if single
            else f"  through {graph.label(edge.node)}: "
        )
        result = whole if single else self._contribution(request, edge)
        local = f"∂{graph.label(edge.node)}/∂{graph.label(edge.operand)}"
        formula = graph.local_formula(edge.node, edge.operand)
        number = format_number(edge.local)
        if edge.node == graph.objective:
            if not single:
                head += f"{local} = "
            if formula == number:
                text.append(f"{head}{formula if result else '?'}\n")
                return
            text.append(f"{head}{formula} = ")
        else:
            known = request.gradient(edge.operand) is not None
            if formula == number:
                factor = formula if known else local  # a bare 1 would tell the part
            else:
                factor = f"{formula} ({number})" if known else formula
            upstream = request.gradient(edge.node) or "?"
            text.append(
                f"{head}{graph.derivative_symbol(edge.node)}·{local}"
                f" = {_as_factor(upstream)} × {factor} = "
            )
        text.append(result or "?", style="bold")
        text.append("\n")

    def _contribution(self, request: PathRequest, edge: Edge) -> str | None:
        """What one consumer sends back, once the learner has both its factors."""
        if request.gradient(edge.node) is None or request.gradient(edge.operand) is None:
            return None
        return format_number(edge.contribution)

    def _product(self, request: PathRequest, path: Path, *, term: bool = True) -> str:
        """A path's product (as a term of the sum: negatives in parentheses), ? until it is in."""
        if all(request.gradient(f.operand) is not None for f in path.factors):
            return _paren(path.product) if term else format_number(path.product)
        return "?"

    def _path_text(self, request: PathRequest, index: int, path: Path) -> Text:
        graph = request.trace.graph
        text = Text()
        route = " → ".join(graph.label(n) for n in path.nodes)
        role = branch_role(graph, path.branch) if self.branch_roles else ""
        text.append(f"{index + 1}. via {graph.label(path.branch)}{role}: ", style="bold")
        text.append(route)
        factors = [self._local(request, f) for f in path.factors]
        if len(factors) == 1:
            # One factor: it is the product; saying both would say it twice.
            text.append(f"\n└ {factors[0]}")
            return text
        for factor in factors:
            text.append(f"\n│ {factor}")
        text.append("\n└ product = ")
        text.append(self._product(request, path, term=False), style="bold")
        return text

    @on(OptionList.OptionHighlighted, "#path-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Tell the graph which path to light up."""
        event.stop()
        index = event.option_index
        if 0 <= index < len(self._paths):
            self.post_message(self.PathChosen(self._paths[index].nodes))
