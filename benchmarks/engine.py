"""Time the engine's forward+backward per node, and compare it with micrograd per operation.

Run it with `.venv/bin/python benchmarks/engine.py` (or `make bench`, which installs the
benchmark extra, micrograd==0.1.0). Options: `--sizes 1000 10000 100000`, `--repeat N`,
`--no-micrograd`, `--profile` (cProfile of one engine step at the largest size).

What is timed
-------------
One `run_step` is one forward sweep, one backward sweep and the SGD update. It keeps every
number the tutor shows: each node's value, ∂J/∂node for every node, and ∂node/∂operand for
every edge. The Edge objects (operand → node, local derivative, contribution ∂J/∂node ·
local) are made from those numbers when a display first reads `trace.edges`, so the table
shows both: the step alone, and the step with every Edge object built. Parsing and
compiling the lesson happen once per lesson and are reported apart ("compile").

Times are CPU time of this process (the best of several runs), so other work on a busy
machine counts as little as it can.

The graphs are generated so that every named node is exactly one elementary operation that
micrograd also does as one operation: `x + y`, `x * w` (w a parameter) and `relu(x)`. They
are layered, 40 layers deep and N/40 wide, then summed pairwise into the objective. That
keeps micrograd's recursive topological sort within Python's recursion limit; a separate
deep chain (one node after another) shows the engine needs no such care, while micrograd
needs the recursion limit raised. A third graph has nodes of three operations each,
relu(x·w + y), as lessons write them, to time the engine's general path per operation.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import math
import pstats
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backprop_tutor.engine import Graph, StepTrace, parse, run_step

LAYERS = 40
PARAMETERS = 16


@dataclass(frozen=True)
class Spec:
    """A generated computation: leaves with values and one-operation nodes in order."""

    inputs: dict[str, float]
    params: dict[str, float]
    nodes: list[tuple[str, str, tuple[str, ...]]]  # name, op ("add" "mul" "relu"), operands

    @property
    def objective(self) -> str:
        return self.nodes[-1][0]


def layered(size: int, affine: bool = False) -> Spec:
    """About `size` elementary operations: LAYERS layers of width size/LAYERS, then a sum
    tree. Layers cycle through x + y, x·w and relu(x); with `affine`, every node is
    relu(x·w + y) instead (three operations in one node, as lessons write them)."""
    per_node = 3 if affine else 1
    width = max(2, size // per_node // (LAYERS + 1))
    inputs = {f"x{j}": math.sin(j + 1.0) for j in range(width)}
    params = {f"w{k}": 0.5 + 0.01 * k for k in range(PARAMETERS)}
    nodes: list[tuple[str, str, tuple[str, ...]]] = []
    previous = list(inputs)
    for layer in range(LAYERS):
        current = []
        kind = "affine" if affine else ("add", "mul", "relu")[layer % 3]
        for j in range(width):
            name = f"n{layer}_{j}"
            weight = f"w{(j + layer) % PARAMETERS}"
            neighbour = previous[(j + 1) % width]
            operands = {
                "add": (previous[j], neighbour),
                "mul": (previous[j], weight),
                "relu": (previous[j],),
                "affine": (previous[j], weight, neighbour),
            }[kind]
            nodes.append((name, kind, operands))
            current.append(name)
        previous = current
    level = 0
    while len(previous) > 1:
        reduced = []
        for j in range(0, len(previous) - 1, 2):
            name = f"s{level}_{j // 2}"
            nodes.append((name, "add", (previous[j], previous[j + 1])))
            reduced.append(name)
        if len(previous) % 2:
            reduced.append(previous[-1])
        previous = reduced
        level += 1
    return Spec(inputs, params, nodes)


def chain(size: int) -> Spec:
    """`size` nodes one after another: n_k = n_{k-1}·w, + w, relu, in turn."""
    inputs = {"x": 0.7}
    params = {"w": 0.999}
    nodes: list[tuple[str, str, tuple[str, ...]]] = []
    previous = "x"
    for k in range(size):
        kind = ("mul", "add", "relu")[k % 3]
        operands = (previous, "w") if kind != "relu" else (previous,)
        nodes.append((f"n{k}", kind, operands))
        previous = f"n{k}"
    return Spec(inputs, params, nodes)


SOURCE = {
    "add": "{0} + {1}",
    "mul": "{0}*{1}",
    "relu": "relu({0})",
    "affine": "relu({0}*{1} + {2})",
}
OPERATIONS = {"add": 1, "mul": 1, "relu": 1, "affine": 3}


def build_graph(spec: Spec) -> Graph:
    """The engine's graph for a spec (parsed and compiled once, as a lesson is)."""
    computed = {}
    for name, kind, operands in spec.nodes:
        source = SOURCE[kind].format(*operands)
        computed[name] = (source, parse(source))
    return Graph(
        inputs=tuple(spec.inputs),
        constants=(),
        parameters=tuple(spec.params),
        computed=computed,
        objective=spec.objective,
    )


def engine_step(graph: Graph, spec: Spec) -> StepTrace:
    """One forward+backward+update of the engine."""
    return run_step(
        graph, step=1, inputs=spec.inputs, constants={}, params=spec.params, learning_rate=0.01
    )


def engine_step_with_edges(graph: Graph, spec: Spec) -> StepTrace:
    """One step, then every Edge object (operand → node, local, contribution) built."""
    trace = engine_step(graph, spec)
    assert len(trace.edges) >= len(spec.nodes)
    return trace


def micrograd_step(spec: Spec) -> tuple[float, dict[str, float]]:
    """The same computation in micrograd: build the Values (forward), then backward()."""
    from micrograd.engine import Value

    values: dict[str, Any] = {name: Value(v) for name, v in spec.inputs.items()}
    leaves = {name: Value(v) for name, v in spec.params.items()}
    values.update(leaves)
    for name, kind, operands in spec.nodes:
        if kind == "add":
            values[name] = values[operands[0]] + values[operands[1]]
        elif kind == "mul":
            values[name] = values[operands[0]] * values[operands[1]]
        elif kind == "relu":
            values[name] = values[operands[0]].relu()
        else:
            x, w, y = (values[op] for op in operands)
            values[name] = (x * w + y).relu()
    out = values[spec.objective]
    out.backward()
    return out.data, {name: leaf.grad for name, leaf in leaves.items()}


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs, in seconds of this process's CPU time (so other
    processes on a busy machine do not count), garbage collected before each."""
    best = math.inf
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def check_same_numbers(graph: Graph, spec: Spec) -> None:
    """Both engines must compute the same objective and parameter gradients."""
    trace = engine_step(graph, spec)
    value, grads = micrograd_step(spec)
    assert math.isclose(trace.values[spec.objective], value, rel_tol=1e-9, abs_tol=1e-12)
    for name, grad in grads.items():
        assert math.isclose(trace.grads[name], grad, rel_tol=1e-9, abs_tol=1e-12), name


def fitted_exponent(sizes: list[int], times: list[float]) -> float:
    """The slope of log(time) against log(size): 1.0 is linear."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(t) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def operations(spec: Spec) -> int:
    """How many elementary operations the spec's nodes do."""
    return sum(OPERATIONS[kind] for _, kind, _ in spec.nodes)


def table(
    title: str, specs: list[Spec], repeat: int, with_micrograd: bool
) -> tuple[list[int], list[float], tuple[Graph, Spec] | None]:
    """Time each spec; print one row per size. Returns operation counts and step times."""
    print(title)
    header = f"{'nodes':>7} {'ops':>7} {'compile':>8} {'step':>8} {'µs/op':>6} {'+edges':>7}"
    if with_micrograd:
        header += f" {'micrograd':>9} {'µs/op':>6} {'step/mg':>7} {'+edges/mg':>9}"
    print(header)
    counts: list[int] = []
    times: list[float] = []
    last: tuple[Graph, Spec] | None = None
    for spec in specs:
        ops = operations(spec)
        start = time.process_time()
        graph = build_graph(spec)
        compile_time = time.process_time() - start
        runs = repeat if ops < 50_000 else min(repeat, 2)
        step = best_time(lambda graph=graph, spec=spec: engine_step(graph, spec), runs)
        full = best_time(lambda graph=graph, spec=spec: engine_step_with_edges(graph, spec), runs)
        counts.append(ops)
        times.append(step)
        line = (
            f"{len(spec.nodes):>7} {ops:>7} {compile_time:>7.2f}s {step * 1e3:>6.0f}ms"
            f" {step / ops * 1e6:>6.2f} {full / ops * 1e6:>7.2f}"
        )
        if with_micrograd:
            check_same_numbers(graph, spec)
            reference = best_time(lambda spec=spec: micrograd_step(spec), runs)
            line += (
                f" {reference * 1e3:>7.0f}ms {reference / ops * 1e6:>6.2f}"
                f" {step / reference:>6.2f}x {full / reference:>8.2f}x"
            )
        print(line)
        last = (graph, spec)
    if len(counts) > 1:
        print(
            f"cost grows as operations^{fitted_exponent(counts, times):.2f} (1.00 is linear):"
            f" {times[0] / counts[0] * 1e6:.2f} µs/op at {counts[0]},"
            f" {times[-1] / counts[-1] * 1e6:.2f} µs/op at {counts[-1]}"
        )
    print()
    return counts, times, last


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5, help="best of N (2 at 50k and above)")
    parser.add_argument("--no-micrograd", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile one engine step")
    args = parser.parse_args(argv)

    try:
        import micrograd.engine  # noqa: F401

        with_micrograd = not args.no_micrograd
    except ImportError:
        print("micrograd is not installed (pip install micrograd==0.1.0, or make bench);")
        print("timing the engine alone.\n")
        with_micrograd = False

    print(
        f"Python {sys.version.split()[0]}. CPU time, best of {args.repeat} runs (2 at 50k"
        " operations and more). µs/op: per elementary operation (+, ·, relu)."
    )
    print(
        "step: forward + backward + update, every value, gradient and local derivative kept;"
        " +edges: the same with every Edge object built, as a display reads them."
    )
    print(
        "micrograd 0.1.0 sorts its graph recursively, so these graphs are layered"
        f" ({LAYERS} layers deep), far below the recursion limit.\n"
    )
    _, _, largest = table(
        f"Layered graphs, one operation per node (x + y, x·w, relu(x)), {LAYERS} layers:",
        [layered(size) for size in args.sizes],
        args.repeat,
        with_micrograd,
    )
    table(
        "Layered graphs, three operations per node: relu(x·w + y):",
        [layered(size, affine=True) for size in args.sizes],
        args.repeat,
        with_micrograd,
    )

    deep = max(args.sizes)
    spec = chain(deep)
    graph = build_graph(spec)
    step = best_time(lambda: engine_step(graph, spec), 1)
    print(f"A chain {deep} nodes deep: engine {step / deep * 1e6:.2f} µs/op, no recursion.")
    if with_micrograd:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 4 * deep + 1000))
        try:
            reference = best_time(lambda: micrograd_step(spec), 1)
        finally:
            sys.setrecursionlimit(limit)
        print(
            f"micrograd needs sys.setrecursionlimit({4 * deep + 1000}) for it:"
            f" {reference / deep * 1e6:.2f} µs/op (engine/micrograd {step / reference:.2f}x)."
        )

    if args.profile and largest is not None:
        graph, spec = largest
        profiler = cProfile.Profile()
        profiler.runcall(engine_step_with_edges, graph, spec)
        print(f"\ncProfile of one engine step (with edges) at {len(spec.nodes)} nodes:")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
