"""Reading and validating a lesson file (TOML) into a `Lesson`.

Every problem is reported as one LessonError whose message names the file, the line
where it can be found, the table and the node, so a learner can go straight to it.
`load_lesson` and `parse_lesson` stop at the first problem; `lesson_errors` collects all.
"""

from __future__ import annotations

import math
import re
import sys
import tomllib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from .collector import collector_paused
from .expr import FUNCTIONS, FUNCTIONS_2, ExprSyntaxError
from .graph import Graph
from .lesson import (
    STAGES,
    Lesson,
    LessonError,
    LessonText,
    StepNote,
    plain_text,
    read_lesson_source,
    resolve_lesson,
)
from .shapes import Shaped, Shapes
from .toml_lines import TomlLines, decode_error_position, plain_graph_lines

_TOP_LEVEL_KEYS = (
    "order",
    "title",
    "summary",
    "objective",
    "constants",
    "parameters",
    "optimizer",
    "graph",
    "gradient_names",
    "roles",
    "steps",
    "text",
    "quiz",
)
ROLES = ("data", "regularization")
_TEXT_KEYS = ("intro", *STAGES, "takeaways", "notes")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# All of [graph]'s names joined by a separator no name has, checked with one pattern; a
# name this refuses is checked alone (good_name), as are function names.
_NODE_SEPARATOR = ","
_NODE_NAMES = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:,[A-Za-z_][A-Za-z0-9_]*)*")
_FUNCTION_NAMES = frozenset((*FUNCTIONS, *FUNCTIONS_2))
# A learner works each step by hand; more than this is not a lesson (and makes the
# quiz and the study scheduler slow).
MAX_STEPS = 100


def _clip(text: str, width: int = 60) -> str:
    """Text cut to `width` characters so an error line stays one readable line."""
    return text if len(text) <= width else text[: width - 1] + "…"


def load_lesson(spec: str | Path) -> Lesson:
    """Find, read and validate a lesson; raises LessonError with a one-line message."""
    path = resolve_lesson(spec)
    return parse_lesson(read_lesson_source(path), path)


def lesson_errors(spec: str | Path) -> list[LessonError]:
    """Every problem found in a lesson, not only the first (empty when it is valid)."""
    try:
        path = resolve_lesson(spec)
        source = read_lesson_source(path)
    except LessonError as error:
        return [error]
    errors: list[LessonError] = []
    try:
        _Validator(source, path, errors.append).lesson()
    except LessonError as error:
        errors.append(error)
    return errors


def parse_lesson(source: str, path: Path) -> Lesson:
    """Validate a lesson's TOML text; `path` names it in messages."""

    def fail(error: LessonError) -> None:
        raise error

    lesson = _Validator(source, path, fail).lesson()
    assert lesson is not None  # `fail` raises on the first problem
    return lesson


def read_toml(source: str) -> dict[str, Any]:
    """A lesson's TOML as tomllib reads it; its [graph] lines read directly where plain."""
    plain = plain_graph_lines(source)
    if plain is not None:
        rest, graph = plain
        try:
            data = tomllib.loads(rest)
        except (tomllib.TOMLDecodeError, RecursionError, ValueError):
            data = {}  # the whole source is read below, so the error is its own
        # Only a real [graph] header leaves an empty table: the lines were its entries.
        if data.get("graph") == {}:
            data["graph"] = graph
            return data
    return tomllib.loads(source)


def _finite_number(value: object) -> float | None:
    """A TOML number as a float; None for anything else: text, true/false, and the nan and
    inf that TOML allows but that are not values a lesson can compute with."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int) and abs(value) > sys.float_info.max:
        return None  # TOML integers are unbounded; this one has no float
    if not math.isfinite(value):
        return None
    return float(value)


# ---------------------------------------------------------------- validation


class _Validator:
    """Checks a lesson table by table; `report` either raises or collects each problem."""

    def __init__(self, source: str, path: Path, report: Callable[[LessonError], None]) -> None:
        self.source = source
        self.path = path
        self.report = report
        self.toml = TomlLines(source, path)
        self.failed = False
        # Each distinct expression shape is parsed and compiled once (shapes.py).
        self.shapes = Shapes()

    def error(
        self, message: str, table: str | None = None, key: str | None = None, index: int = 0
    ) -> None:
        self.failed = True
        line = self.toml.line_of(table, key, index)
        self.report(LessonError(f"{self.toml.where(line)}: {message}"))

    # -- the whole lesson

    def lesson(self) -> Lesson | None:
        with collector_paused():
            return self._lesson()

    def _lesson(self) -> Lesson | None:
        try:
            data = read_toml(self.source)
        except tomllib.TOMLDecodeError as error:
            self.report(self.toml_error(error))
            return None
        except RecursionError:
            self.report(LessonError(f"{self.path}: not valid TOML: nested too deeply"))
            return None
        except ValueError as error:
            # tomllib reads integers with int(), which refuses more than 4300 digits.
            self.report(LessonError(f"{self.path}: not valid TOML: {str(error)[:80]}"))
            return None
        for key in data:
            if key not in _TOP_LEVEL_KEYS:
                self.error(
                    f"unknown key {key!r} (a lesson has: {', '.join(_TOP_LEVEL_KEYS)})",
                    None if not isinstance(data[key], dict) else key,
                    None if isinstance(data[key], dict) else key,
                )
        title = self.string(data, "title", required=True)
        summary = self.string(data, "summary")
        order = data.get("order", 0)
        if not isinstance(order, int) or isinstance(order, bool):
            self.error("order must be a whole number", None, "order")
            order = 0
        constants = self.numbers(data, "constants")
        parameters = self.numbers(data, "parameters")
        self.check_distinct(constants, parameters)
        learning_rate = self.optimizer(data, has_parameters=bool(parameters))
        steps, inputs = self.steps(data, constants, parameters)
        computed = self.graph(data, constants, parameters, inputs)
        objective = self.objective(data, computed)
        gradient_names = self.gradient_names(data, computed, constants, parameters, inputs)
        roles = self.roles(data, {*computed, *constants, *parameters, *inputs})
        text = self.text(data, len(steps))
        self.quiz(data, {*computed, *constants, *parameters, *inputs}, objective)
        if self.failed or objective is None or title is None:
            return None
        graph = Graph(
            inputs=inputs,
            constants=tuple(constants),
            parameters=tuple(parameters),
            computed=computed,
            objective=objective,
            gradient_names=gradient_names,
            roles=roles,
            shapes=self.shapes,
        )
        return Lesson(
            name=self.path.stem,
            path=self.path,
            title=title,
            summary=summary or "",
            order=order,
            objective=objective,
            constants=constants,
            parameters=parameters,
            inputs=inputs,
            steps=tuple(steps),
            learning_rate=learning_rate,
            graph=graph,
            text=text,
            quiz=dict(data.get("quiz", {})),
        )

    def quiz(self, data: dict[str, Any], nodes: set[str], objective: str | None) -> None:
        """The `[quiz]` table, checked by the quiz's own plan reader."""
        if "quiz" in data:
            from backprop_tutor.quiz.plan import plan_problems  # the quiz builds on the engine

            for message, key in plan_problems(data["quiz"], nodes, objective):
                self.error(message, "quiz", key)

    def toml_error(self, error: tomllib.TOMLDecodeError) -> LessonError:
        line, reason = decode_error_position(error)
        where = self.toml.where(line)
        if reason.lower().startswith("cannot overwrite a value") and line:
            return LessonError(
                f"{where}: {self.toml.key_on(line)!r} is defined twice in the same table"
            )
        if reason.lower().startswith("cannot declare") and line:
            return LessonError(f"{where}: this table is declared twice")
        return LessonError(f"{where}: not valid TOML: {reason[:1].lower()}{reason[1:]}")

    # -- scalar fields

    def string(self, data: dict[str, Any], key: str, *, required: bool = False) -> str | None:
        if key not in data:
            if required:
                self.error(f'the lesson has no {key} (add a line: {key} = "...")')
            return None
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.error(f"{key} must be a non-empty string in quotes", None, key)
            return None
        return plain_text(value)

    def numbers(self, data: dict[str, Any], table: str) -> dict[str, float]:
        raw = data.get(table, {})
        if not isinstance(raw, dict):
            self.error(f"{table} must be a table ([{table}] with name = number lines)", None, table)
            return {}
        result: dict[str, float] = {}
        for name, value in raw.items():
            if not self.good_name(name, table):
                continue
            number = _finite_number(value)
            if number is None:
                self.error(
                    f"[{table}] {name}: has no numeric value"
                    f" (got {_clip(repr(value))}); write {name} = 1.5",
                    table,
                    name,
                )
                # Keep the name known, so that its uses are not reported as undefined too;
                # the lesson is never built once an error was reported.
                result[name] = float("nan")
                continue
            result[name] = number
        return result

    def good_name(self, name: str, table: str, index: int = 0) -> bool:
        if not _NAME.match(name):
            self.error(
                f"[{table}] {name!r} is not a valid name (letters, digits and _, not starting"
                " with a digit)",
                table,
                name,
                index,
            )
            return False
        if name in FUNCTIONS or name in FUNCTIONS_2:
            self.error(f"[{table}] {name!r} is the name of a function; choose another", table, name)
            return False
        return True

    def check_distinct(self, constants: dict[str, float], parameters: dict[str, float]) -> None:
        for name in list(parameters):
            if name in constants:
                self.error(
                    f"[parameters] {name}: is defined twice: in [constants] and in [parameters]",
                    "parameters",
                    name,
                )
                del parameters[name]

    def optimizer(self, data: dict[str, Any], *, has_parameters: bool) -> float:
        raw = data.get("optimizer", {})
        if not isinstance(raw, dict):
            self.error("optimizer must be a table ([optimizer] with learning_rate = ...)")
            return 0.0
        for key in raw:
            if key != "learning_rate":
                self.error(
                    f"[optimizer] unknown key {key!r} (expected learning_rate)", "optimizer", key
                )
        if "learning_rate" not in raw:
            if has_parameters:
                self.error(
                    "[optimizer] learning_rate is missing (the lesson has parameters to update)",
                    "optimizer",
                )
            return 0.0
        written = raw["learning_rate"]
        rate = _finite_number(written)
        if rate is None or rate <= 0:
            self.error(
                f"[optimizer] learning_rate must be a positive number (got {written!r})",
                "optimizer",
                "learning_rate",
            )
            return 0.0
        return rate

    # -- steps and inputs

    def steps(
        self, data: dict[str, Any], constants: dict[str, float], parameters: dict[str, float]
    ) -> tuple[list[dict[str, float]], tuple[str, ...]]:
        raw = data.get("steps", [{}])
        if not isinstance(raw, list) or not all(isinstance(step, dict) for step in raw):
            self.error("steps must be written as [[steps]] tables", None, "steps")
            return [{}], ()
        if not raw:
            raw = [{}]
        if len(raw) > MAX_STEPS:
            self.error(f"the lesson has {len(raw)} [[steps]]; at most {MAX_STEPS} are allowed")
            raw = raw[:MAX_STEPS]
        steps: list[dict[str, float]] = []
        inputs: dict[str, None] = {}
        for index, step in enumerate(raw):
            values: dict[str, float] = {}
            for name, value in step.items():
                where = f"[[steps]] step {index + 1}: {name}"
                if not self.good_name(name, "steps", index):
                    continue
                if name in parameters:
                    self.error(
                        f"{where}: assigns the parameter {name!r}; parameters start in"
                        " [parameters] and SGD updates them",
                        "steps",
                        name,
                        index,
                    )
                    continue
                if name in constants:
                    self.error(
                        f"{where}: assigns the constant {name!r}; a step may only feed inputs",
                        "steps",
                        name,
                        index,
                    )
                    continue
                number = _finite_number(value)
                if number is None:
                    self.error(
                        f"{where}: has no numeric value (got {_clip(repr(value))})",
                        "steps",
                        name,
                        index,
                    )
                    continue
                values[name] = number
                inputs.setdefault(name, None)
            steps.append(values)
        for index, values in enumerate(steps):
            for name in inputs:
                if name not in values:
                    self.error(
                        f"[[steps]] step {index + 1}: does not assign the input {name!r}"
                        " (every step must feed the same inputs)",
                        "steps",
                        None,
                        index,
                    )
        return steps, tuple(inputs)

    # -- the graph

    def graph(
        self,
        data: dict[str, Any],
        constants: dict[str, float],
        parameters: dict[str, float],
        inputs: tuple[str, ...],
    ) -> dict[str, tuple[str, Shaped]]:
        raw = data.get("graph")
        if not isinstance(raw, dict) or not raw:
            self.error('the lesson has no [graph] table of nodes (name = "expression")', "graph")
            return {}
        leaves = {
            **{n: "[constants]" for n in constants},
            **{n: "[parameters]" for n in parameters},
            **{n: "[[steps]]" for n in inputs},
        }
        computed = self.plain_nodes(raw, leaves)
        if computed is None:
            computed = self.each_node(raw, leaves)
        if not self.defined_in_order(raw, leaves, computed):
            self.undefined_operands(raw, leaves, computed)
        return computed

    def plain_nodes(
        self, raw: dict[str, Any], leaves: dict[str, str]
    ) -> dict[str, tuple[str, Shaped]] | None:
        """Every node at once where nothing is wrong with any (the names good and new, the
        expressions strings that parse); None otherwise, and nothing reported. Each check is
        one pass in C over all the nodes, so a large lesson is not checked a node at a time."""
        names = _NODE_SEPARATOR.join(raw)
        if (
            names.count(_NODE_SEPARATOR) != len(raw) - 1
            or not _NODE_NAMES.fullmatch(names)
            or not raw.keys().isdisjoint(_FUNCTION_NAMES)
            or not raw.keys().isdisjoint(leaves)
            or set(map(type, raw.values())) != {str}
        ):
            return None
        sources = list(raw.values())
        parsed = self.shapes.parse_all(sources)
        if set(map(type, parsed)) != {Shaped}:
            return None  # an expression that does not parse: each_node words it
        shaped = cast(list[Shaped], parsed)
        return dict(zip(raw, zip(sources, shaped, strict=True), strict=True))

    def each_node(
        self, raw: dict[str, Any], leaves: dict[str, str]
    ) -> dict[str, tuple[str, Shaped]]:
        """The nodes checked one by one, each problem reported; the good ones parsed."""
        computed: dict[str, tuple[str, Shaped]] = {}
        for name, source in raw.items():
            if not self.good_name(name, "graph"):
                continue
            if name in leaves:
                self.error(
                    f"[graph] {name}: is defined twice: in {leaves[name]} and in [graph]",
                    "graph",
                    name,
                )
                continue
            if not isinstance(source, str):
                self.error(
                    f"[graph] {name}: the expression must be a string in quotes, like"
                    f' {name} = "a*x + b"',
                    "graph",
                    name,
                )
                continue
            try:
                shaped = self.shapes.parse(source)
            except ExprSyntaxError as error:
                self.error(f'[graph] {name} = "{_clip(source)}": {error}', "graph", name)
                continue
            computed[name] = (source, shaped)
        return computed

    @staticmethod
    def defined_in_order(
        raw: dict[str, Any], leaves: dict[str, str], computed: dict[str, tuple[str, Shaped]]
    ) -> bool:
        """Whether every operand is a leaf or a node written before its user (one set
        test a node; `undefined_operands` says what is wrong where this is false)."""
        defined = set(leaves)
        for name in raw:
            entry = computed.get(name)
            if entry is not None and not defined.issuperset(entry[1].names):
                return False
            defined.add(name)
        return True

    def undefined_operands(
        self, raw: dict[str, Any], leaves: dict[str, str], computed: dict[str, tuple[str, Shaped]]
    ) -> None:
        """Report each operand that is not defined, defined later, or part of a cycle."""
        positions = {name: i for i, name in enumerate(raw)}
        uses = {name: shaped.names for name, (_, shaped) in computed.items()}
        for name, operands in uses.items():
            for operand in operands:
                if operand in leaves or (
                    operand in positions and positions[operand] < positions[name]
                ):
                    continue
                if operand == name or operand in positions:
                    cycle = self.find_cycle(name, uses)
                    if cycle:
                        self.error(
                            f"[graph] {name}: is part of a cycle: {' → '.join(cycle)}",
                            "graph",
                            name,
                        )
                    else:
                        line = self.toml.line_of("graph", operand)
                        self.error(
                            f"[graph] {name}: uses {operand!r} before it is defined"
                            f" (line {line}); nodes are evaluated in the order written",
                            "graph",
                            name,
                        )
                else:
                    self.error(
                        f"[graph] {name}: {operand!r} is not defined (it is not a constant,"
                        " a parameter, an input fed by [[steps]], or a node)",
                        "graph",
                        name,
                    )

    @staticmethod
    def find_cycle(start: str, uses: Mapping[str, tuple[str, ...]]) -> list[str] | None:
        """A cycle through `start` following operand links, as a list of names."""
        trail = [start]
        choices: list[Iterator[str]] = [iter(uses.get(start, ()))]
        visited: set[str] = set()
        while choices:
            following = next(choices[-1], None)
            if following is None:
                choices.pop()
                trail.pop()
                continue
            if following == start:
                return [*trail, start][::-1]
            if following in uses and following not in visited:
                visited.add(following)
                trail.append(following)
                choices.append(iter(uses[following]))
        return None

    def objective(
        self, data: dict[str, Any], computed: dict[str, tuple[str, Shaped]]
    ) -> str | None:
        objective = self.string(data, "objective", required=True)
        if objective is not None and computed and objective not in computed:
            written = data.get("graph")
            # A node that is written but broken has had its own error already.
            if not (isinstance(written, dict) and objective in written):
                self.error(f"objective {objective!r} is not a node of [graph]", None, "objective")
            return None
        return objective

    def gradient_names(
        self,
        data: dict[str, Any],
        computed: dict[str, tuple[str, Shaped]],
        constants: dict[str, float],
        parameters: dict[str, float],
        inputs: tuple[str, ...],
    ) -> dict[str, str]:
        raw = data.get("gradient_names", {})
        if not isinstance(raw, dict):
            self.error('gradient_names must be a table ([gradient_names] node = "name")')
            return {}
        known = set(computed) | set(constants) | set(parameters) | set(inputs)
        result: dict[str, str] = {}
        for node, label in raw.items():
            if node not in known:
                self.error(
                    f"[gradient_names] {node}: there is no node {node!r} to name",
                    "gradient_names",
                    node,
                )
            elif not isinstance(label, str) or not _NAME.match(label):
                self.error(
                    f"[gradient_names] {node}: the name must be a word in quotes, like"
                    f' {node} = "delta"',
                    "gradient_names",
                    node,
                )
            else:
                result[node] = label
        return result

    def roles(self, data: dict[str, Any], known: set[str]) -> dict[str, str]:
        raw = data.get("roles", {})
        if not isinstance(raw, dict):
            self.error('roles must be a table ([roles] node = "regularization")', None, "roles")
            return {}
        result: dict[str, str] = {}
        for node, role in raw.items():
            if node not in known:
                self.error(f"[roles] {node}: there is no node {node!r}", "roles", node)
            elif role not in ROLES:
                self.error(
                    f"[roles] {node}: the role must be one of {', '.join(map(repr, ROLES))}",
                    "roles",
                    node,
                )
            else:
                result[node] = role
        return result

    # -- text

    def text(self, data: dict[str, Any], step_count: int) -> LessonText:
        raw = data.get("text", {})
        if not isinstance(raw, dict):
            self.error("text must be a table ([text] with intro, forward, backward, update)")
            return LessonText()
        for key in raw:
            if key not in _TEXT_KEYS:
                self.error(
                    f"[text] unknown key {key!r} (expected: {', '.join(_TEXT_KEYS)})", "text", key
                )
        fields: dict[str, str] = {}
        for key in ("intro", *STAGES):
            value = raw.get(key, "")
            if not isinstance(value, str):
                self.error(f"[text] {key} must be a string", "text", key)
                value = ""
            fields[key] = plain_text(value.strip())
        takeaways = raw.get("takeaways", [])
        if not isinstance(takeaways, list) or not all(isinstance(t, str) for t in takeaways):
            self.error("[text] takeaways must be a list of strings", "text", "takeaways")
            takeaways = []
        notes: list[StepNote] = []
        raw_notes = raw.get("notes", [])
        if not isinstance(raw_notes, list) or not all(isinstance(n, dict) for n in raw_notes):
            self.error("[text] notes must be written as [[text.notes]] tables", "text", "notes")
            raw_notes = []
        for index, note in enumerate(raw_notes):
            where = f"[[text.notes]] note {index + 1}"
            step = note.get("step")
            stage = note.get("stage")
            body = note.get("text")
            unknown = set(note) - {"step", "stage", "text"}
            if unknown:
                self.error(
                    f"{where}: unknown key {sorted(unknown)[0]!r} (expected step, stage, text)",
                    "text.notes",
                    None,
                    index,
                )
            if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= step_count:
                self.error(
                    f"{where}: step must be a step number from 1 to {step_count}",
                    "text.notes",
                    "step",
                    index,
                )
                continue
            if stage is not None and stage not in STAGES:
                self.error(
                    f"{where}: stage must be one of {', '.join(STAGES)}",
                    "text.notes",
                    "stage",
                    index,
                )
                continue
            if not isinstance(body, str) or not body.strip():
                self.error(f"{where}: text must be a non-empty string", "text.notes", "text", index)
                continue
            notes.append(StepNote(step, stage, plain_text(body.strip())))
        return LessonText(
            intro=fields["intro"],
            forward=fields["forward"],
            backward=fields["backward"],
            update=fields["update"],
            takeaways=tuple(plain_text(t.strip()) for t in takeaways),
            notes=tuple(notes),
        )
