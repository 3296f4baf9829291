"""Time `backprop-tutor trace --json` of a generated lesson against micrograd, each alone.

Run it with `.venv/bin/python benchmarks/trace.py` (`make bench` installs micrograd==0.1.0
first). Options: `--nodes 20000` (the compared size), `--growth 2000 20000` (sizes for the
growth and loading figures, each in a fresh process), `--runs 5`, `--steps 1`, `--profile`.

What is timed
-------------
**trace --json**: a fresh Python process runs the real command line
(`backprop_tutor.cli.main(["trace", "--json", "--lesson", FILE])`) on a generated lesson
and writes the JSON document to a file: interpreter start, imports, reading and checking
the lesson, every step, every formula of every edge, the paths, and the JSON. The lesson is
larger than the loader accepts from a learner (256 KB), so the child raises that limit first.

**micrograd**: a fresh Python process imports micrograd 0.1.0, builds the same graph out of
`Value`s (its forward pass) and runs `backward()`, once per step.

The two alternate, `--runs` times each; the medians of wall time and of the child's CPU
time are compared. The aim is trace/micrograd ≤ 1.5.

**load**: `parse_lesson` (TOML, names, expressions, the graph compiled) per node; the aim is
≤ 10 µs a node. **growth**: the whole trace (load, run, export, the JSON text written to a
file as the command writes it) at each `--growth` size; 10× the nodes should cost ≤ 11× the
time. Each size is measured in a fresh process of its own, `--runs` times (the median), CPU
time from the lesson's text to the JSON written: run one after another in one process, the
largest alone paid for the memory the process had to grow by, and the smaller ones ran in a
heap the earlier ones had left. The baseline, alternated with it run by run: micrograd
building and backpropagating the same graph in a fresh process, its collector off as the
trace's is, timed from its spec read to the last backward pass. Its growth is what 10x the
nodes costs a Python graph on this machine (dictionaries and objects that no longer fit
its caches, fresh memory the kernel must map); the line prints both and their ratio.
`--instructions` counts each size's instructions with valgrind's cachegrind: the
instructions a node adds, the same at every size, are the work's own growth, which the
machine's memory cannot change.

The lesson: inputs x0…, 16 parameters, LAYERS layers of nodes cycling through four shapes
built from +, −, ·, /, ^ and relu (all of which micrograd has), each reading the layer
before, then a pairwise sum into J. About four operands a node, so about four edges and
formulas a node.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import math
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

LAYERS = 40
PARAMETERS = 16
# Each shape's operands: a, b, c from the previous layer, w, v from the parameters.
SHAPES = (
    "relu({a}*{w} + {b}*{v})",
    "{a}*{w} - {b}*{v} + {c}*{u}",
    "{a}*{b}/(1 + {a}^2 + {b}^2)",
    "relu({a}*{w} + {b}) - {c}*{v}",
)


# A generated node: name, expression, shape (an index into SHAPES; None for a sum of two,
# -1 for the objective's square) and the operands the shape is given.
Node = tuple[str, str, int | None, list[str]]


def lesson_text(nodes: int, steps: int = 1) -> tuple[str, list[Node]]:
    """A lesson of about `nodes` computed nodes, and its nodes in order."""
    width = max(3, nodes // (LAYERS + 1))
    params = [f"w{k}" for k in range(PARAMETERS)]
    previous = [f"x{j}" for j in range(width)]
    graph: list[Node] = []
    for layer in range(LAYERS):
        shape = layer % len(SHAPES)
        current = []
        for j in range(width):
            name = f"n{layer}_{j}"
            operands = [
                previous[j],
                previous[(j + 1) % width],
                previous[(j + 2) % width],
                params[(j + layer) % PARAMETERS],
                params[(j + layer + 5) % PARAMETERS],
                params[(j + layer + 11) % PARAMETERS],
            ]
            source = SHAPES[shape].format(**dict(zip("abcwvu", operands, strict=True)))
            graph.append((name, source, shape, operands))
            current.append(name)
        previous = current
    level = 0
    while len(previous) > 1:
        reduced = []
        for j in range(0, len(previous) - 1, 2):
            name = f"s{level}_{j // 2}"
            pair = [previous[j], previous[j + 1]]
            graph.append((name, f"{pair[0]} + {pair[1]}", None, pair))
            reduced.append(name)
        if len(previous) % 2:
            reduced.append(previous[-1])
        previous = reduced
        level += 1
    graph.append(("J", f"{previous[0]}^2 / 2", -1, previous[:1]))
    lines = [
        f'title = "Generated, {len(graph)} nodes"',
        'objective = "J"',
        "[parameters]",
        *(f"w{k} = {0.2 + 0.02 * k:.2f}" for k in range(PARAMETERS)),
        "[optimizer]",
        "learning_rate = 0.01",
    ]
    for step in range(steps):
        lines.append("[[steps]]")
        lines += [f"x{j} = {math.sin(j + 1.0 + step):.4f}" for j in range(width)]
    lines.append("[graph]")
    lines += [f'{name} = "{source}"' for name, source, _, _ in graph]
    return "\n".join(lines) + "\n", graph


TRACE_CHILD = """
import sys
import backprop_tutor.engine.lesson as lesson
lesson.MAX_LESSON_BYTES = 1 << 30
from backprop_tutor.cli import main
sys.stdout = open(sys.argv[2], "w", encoding="utf-8")
sys.exit(main(["trace", "--json", "--lesson", sys.argv[1]]))
"""

# micrograd builds the same nodes: each shape as the same operations on Values.
# With a second argument "--timed" it runs with the collector off (as `trace --json` does)
# and prints the CPU seconds from the spec read to the last backward pass (a growth run).
MICROGRAD_CHILD = """
import gc, json, sys, time
from micrograd.engine import Value
sys.setrecursionlimit(100000)
spec = json.load(open(sys.argv[1]))
timed = sys.argv[2:] == ["--timed"]
if timed:
    gc.disable()
start = time.process_time()
v = {}
shapes = [
    lambda a, b, c, w, v_, u: (a*w + b*v_).relu(),
    lambda a, b, c, w, v_, u: a*w - b*v_ + c*u,
    lambda a, b, c, w, v_, u: a*b/(1 + a**2 + b**2),
    lambda a, b, c, w, v_, u: (a*w + b).relu() - c*v_,
]
for inputs in spec["steps"]:
    v = {name: Value(x) for name, x in spec["params"].items()}
    v.update({name: Value(x) for name, x in inputs.items()})
    for name, shape, operands in spec["nodes"]:
        if shape is None:
            v[name] = v[operands[0]] + v[operands[1]]
        elif shape == -1:
            v[name] = v[operands[0]]**2 / 2
        else:
            v[name] = shapes[shape](*(v[o] for o in operands))
    out = v["J"]
    out.backward()
print(time.process_time() - start if timed else out.data)
"""


def micrograd_spec(text: str, graph: list[Node]) -> dict[str, object]:
    """The lesson as micrograd's child reads it: parameters, steps, nodes (shape, operands)."""
    import tomllib

    data = tomllib.loads(text)
    nodes = [(name, shape, operands) for name, _, shape, operands in graph]
    return {"params": data["parameters"], "steps": data["steps"], "nodes": nodes}


def run_child(code: str, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds of a fresh Python process running `code` with `args`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def in_process(text: str, path: Path) -> tuple[float, float]:
    """Seconds to load the lesson, and seconds for the whole trace, its document written to
    a file beside `path` as `trace --json` writes it to its standard output."""
    from backprop_tutor.engine import parse_lesson, run_lesson
    from backprop_tutor.engine.export import lesson_to_dict

    try:
        from backprop_tutor.commands.trace import write_trace_json
    except ImportError:  # an older tree, for a figure from before: its own trace_json

        def write_trace_json(lesson: Any, write: Any) -> None:
            try:
                from backprop_tutor.commands.trace import trace_json
            except ImportError:
                write(json.dumps(lesson_to_dict(lesson, run_lesson(lesson)), ensure_ascii=False))
            else:
                write(trace_json(lesson))

    with path.with_suffix(".json").open("w", encoding="utf-8") as out:
        start = time.process_time()
        lesson = parse_lesson(text, path)
        loaded = time.process_time() - start
        write_trace_json(lesson, out.write)  # what `trace --json` prints, as it writes it
        out.flush()
        total = time.process_time() - start
    return loaded, total


def growth_run(size: int, steps: int) -> tuple[int, float, float]:
    """Nodes, loading seconds and whole-trace seconds (CPU) of a fresh process at `size`."""
    done = subprocess.run(
        [sys.executable, __file__, "--one", str(size), "--steps", str(steps)],
        check=True,
        capture_output=True,
        text=True,
    )
    nodes, loaded, total = done.stdout.split()
    return int(nodes), float(loaded), float(total)


def reference_spec(size: int, steps: int, folder: Path) -> Path:
    """The lesson of `size` as micrograd's child reads it, written once for every run."""
    text, graph = lesson_text(size, steps)
    spec = folder / f"spec{size}.json"
    spec.write_text(json.dumps(micrograd_spec(text, graph)), encoding="utf-8")
    return spec


def reference_growth_run(spec: Path) -> float:
    """CPU seconds of micrograd building and backpropagating the lesson in `spec` in a
    fresh process, its collector off as the trace's is (the same-run baseline for
    growth: what 10x the nodes costs a Python graph on this machine)."""
    done = subprocess.run(
        [sys.executable, "-c", MICROGRAD_CHILD, str(spec), "--timed"],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout)


def instructions_run(size: int, steps: int) -> int:
    """Instructions a growth child at `size` executes, whole process, counted by
    valgrind's cachegrind (no cache simulation): a count the machine's memory cannot
    change, where CPU time grows with every cache and page the heap outgrows."""
    done = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--one",
            str(size),
            "--steps",
            str(steps),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"cachegrind printed no instruction count: {done.stderr[-300:]}")
    return int(found.group(1).replace(",", ""))


def print_instructions(sizes: list[int], steps: int) -> None:
    """Each size's instructions, and what each node costs beyond the previous size's:
    the same figure at every size is work that grows linearly."""
    print("\nInstructions (valgrind cachegrind, whole process, one run each; slow):")
    counts: list[tuple[int, int]] = []
    for size in sizes:
        nodes = len(lesson_text(size, steps)[1])
        counts.append((nodes, instructions_run(size, steps)))
        line = f"  {nodes:>7} nodes: {counts[-1][1] / 1e9:.2f} G instructions"
        if len(counts) > 1:
            (n0, i0), (n1, i1) = counts[-2], counts[-1]
            line += f", {(i1 - i0) / (n1 - n0) / 1e3:.1f} k a node more than at {n0}"
        print(line)


def growth_child(size: int, steps: int) -> int:
    """In a growth child: generate the lesson, trace it, print nodes and the two times."""
    text, graph = lesson_text(size, steps)
    with tempfile.TemporaryDirectory() as folder:
        loaded, total = in_process(text, Path(folder) / f"g{size}.toml")
    print(len(graph), loaded, total)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Measure and print the three figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--growth", type=int, nargs="+", default=[2_000, 20_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="cProfile the trace at --nodes")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each --growth size's instructions with valgrind (minutes)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a growth child's size
    args = parser.parse_args(argv)
    if args.one is not None:
        return growth_child(args.one, args.steps)

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        text, graph = lesson_text(args.nodes, args.steps)
        lesson = base / "generated.toml"
        lesson.write_text(text, encoding="utf-8")
        out = base / "trace.json"
        print(f"Python {sys.version.split()[0]}; a generated lesson of {len(graph)} nodes,")
        print(f"{args.steps} step(s), {len(text) // 1024} KB; medians of {args.runs} runs.")

        try:
            import micrograd  # noqa: F401

            spec = base / "spec.json"
            spec.write_text(json.dumps(micrograd_spec(text, graph)), encoding="utf-8")
        except ImportError:
            print("micrograd is not installed (make bench); timing the trace alone.")
            spec = None
        traces: list[tuple[float, float]] = []
        references: list[tuple[float, float]] = []
        for _ in range(args.runs):
            traces.append(run_child(TRACE_CHILD, str(lesson), str(out)))
            if spec is not None:
                references.append(run_child(MICROGRAD_CHILD, str(spec)))
        document = json.loads(out.read_text(encoding="utf-8"))
        formulas = sum(len(step["edges"]) for step in document["steps"])
        tw = statistics.median(t[0] for t in traces)
        tc = statistics.median(t[1] for t in traces)
        print(f"trace --json, whole process: {tw:.2f} s wall, {tc:.2f} s CPU ({formulas} formulas)")
        if references:
            mw = statistics.median(r[0] for r in references)
            mc = statistics.median(r[1] for r in references)
            print(f"micrograd, whole process:    {mw:.2f} s wall, {mc:.2f} s CPU")
            print(
                f"ratio trace/micrograd:       {tw / mw:.2f}x wall, {tc / mc:.2f}x CPU (aim ≤ 1.5)"
            )

        print("\nA fresh process per size (CPU time, medians): loading, and the whole trace")
        if spec is not None:
            print("(and micrograd building and backpropagating the same graph, alternated)")
        totals: list[tuple[int, float]] = []
        baselines: list[tuple[int, float]] = []
        for size in args.growth:
            runs, baseline = [], []
            reference = reference_spec(size, args.steps, base) if spec is not None else None
            for _ in range(args.runs):
                runs.append(growth_run(size, args.steps))
                if reference is not None:
                    baseline.append(reference_growth_run(reference))
            nodes = runs[0][0]
            loaded = statistics.median(run[1] for run in runs)
            total = statistics.median(run[2] for run in runs)
            totals.append((nodes, total))
            line = (
                f"  {nodes:>7} nodes: load {loaded:.3f} s ({loaded / nodes * 1e6:.1f}"
                f" µs a node; aim ≤ 10), whole trace {total:.3f} s"
            )
            if baseline:
                baselines.append((nodes, statistics.median(baseline)))
                line += f", micrograd {baselines[-1][1]:.3f} s"
            print(line)
        for index, ((n0, t0), (n1, t1)) in enumerate(itertools.pairwise(totals)):
            line = f"  {n1 / n0:.1f}x the nodes: {t1 / t0:.2f}x the time (aim ≤ 1.1 per 1x)"
            if baselines:
                # The machine's own growth for a Python graph of these sizes, same sitting.
                machine = baselines[index + 1][1] / baselines[index][1]
                line += (
                    f"; micrograd {machine:.2f}x; the trace's ÷ micrograd's {t1 / t0 / machine:.2f}"
                )
            print(line)

        if args.instructions:
            if shutil.which("valgrind") is None:
                print("\nvalgrind is not installed (apt-get install valgrind): no counts.")
            else:
                print_instructions(args.growth, args.steps)

        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(in_process, text, lesson)
            print(f"\ncProfile of the whole trace at {len(graph)} nodes, in this process:")
            pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
