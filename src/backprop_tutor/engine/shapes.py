"""Expression shapes: an expression with its names taken out (a*w + b and x*v + c share one).

A generated or layered lesson repeats a few shapes thousands of times. Parsing, compiling,
differentiating, simplifying and printing depend only on a node's shape: they compare
names with each other but never read them. So each is done once per shape, over
placeholder names #0, #1, ... in order of first appearance, and a node's own names are put
back in where it is asked for. The results are the same trees and texts, byte for byte, as
those passes give on the node's own expression (tests/engine/test_shapes.py).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from itertools import chain, filterfalse, repeat
from json.encoder import encode_basestring
from typing import NamedTuple

from .expr import (
    FUNCTIONS,
    FUNCTIONS_2,
    MAX_LENGTH,
    Bin,
    Call,
    Expr,
    ExprSyntaxError,
    Neg,
    Num,
    Var,
    parse,
)
from .symbolic import derivative, headroom, render
from .tape import Tape, compile_expr

# A word where expr._TOKEN starts a name: not after a letter, digit, _ or point (a letter
# right after a digit or a point is a number's exponent, 1e5, or an error that parsing
# reports, 2x). The look-behind comes after the first letter, so that the search skips
# to letters in C. A function's name is such a word too, and stays part of the shape.
_WORD = re.compile(r"([A-Za-z_](?<![A-Za-z0-9_.][A-Za-z_])[A-Za-z0-9_]*)")
_FUNCTIONS = {name: name for name in (*FUNCTIONS, *FUNCTIONS_2)}
# Sources made only of the characters an expression may use (ASCII, so that the classes
# above and the tokenizer's agree); anything else is parsed without the shape cache. A
# batch is read as one text, the sources joined by `_SEPARATOR`, which no source has.
_SEPARATOR = ";"
_PLAIN = re.compile(r"[A-Za-z0-9_.+\-*/^(), \t\n\r;]*")
# Where a name was taken out of a source's skeleton (the text that identifies its shape).
_HOLE = "\x01"
# Marks a placeholder in a rendered formula: no rendered text contains it otherwise.
_MARK = "\x00"


@dataclass(slots=True)
class Shape:
    """One shape: its tree and tape over placeholders, and its formulas as they are asked for."""

    tree: Expr
    tape: Tape
    _derivatives: dict[int, Expr] = field(default_factory=dict)
    _templates: dict[int, str] = field(default_factory=dict)
    _edges_json: str | None = None

    def derivative(self, index: int) -> Expr:
        """∂shape/∂#index, simplified, over placeholders."""
        found = self._derivatives.get(index)
        if found is None:
            found = self._derivatives[index] = derivative(self.tree, _placeholder(index))
        return found

    def formula(self, index: int, labels: tuple[str, ...]) -> str:
        """∂shape/∂#index printed with `labels` (the node's names as shown) put in."""
        template = self._templates.get(index)
        if template is None:
            marked = render(self.derivative(index), label=_marked)
            template = self._templates[index] = _format_template(marked)
        return template.format(*labels)

    def edges_json(self) -> str:
        """A str.format template of a node's edges as `trace --json` writes them, built once.

        For a shape of k names its fields are: 0 … k-1, the node's names as (JSON string,
        JSON label) pairs, without quotes (`names_json`); k, the node's own pair; then the k
        local derivatives and the k contributions, floats, which format as json writes
        them where they are finite. The result is the text json.dumps gives the list of
        the node's edge dictionaries, without its brackets.
        """
        if self._edges_json is None:
            k = len(self.tape.operands)
            edges = []
            for i in range(k):
                pieces = render(self.derivative(i), label=_marked).split(_MARK)
                # Odd pieces are placeholder numbers: that name's JSON label goes there.
                formula = "".join(
                    f"{{{p}[1]}}" if n % 2 else _json_literal(p) for n, p in enumerate(pieces)
                )
                edges.append(
                    f'{{{{"from": "{{{i}[0]}}", "to": "{{{k}[0]}}", "local": {{{k + 1 + i}}},'
                    f' "formula": "{formula}", "contribution": {{{2 * k + 1 + i}}}}}}}'
                )
            self._edges_json = ", ".join(edges)
        return self._edges_json


def names_json(name: str, label: str) -> tuple[str, str]:
    """A name and its label as JSON strings without their quotes: what `edges_json` reads."""
    return encode_basestring(name)[1:-1], encode_basestring(label)[1:-1]


def _json_literal(text: str) -> str:
    """Text as it stands inside a JSON string, with str.format's braces doubled."""
    return encode_basestring(text)[1:-1].replace("{", "{{").replace("}", "}}")


def _placeholder(index: int) -> str:
    return f"#{index}"


def _marked(placeholder: str) -> str:
    return f"{_MARK}{placeholder[1:]}{_MARK}"


def _format_template(marked: str) -> str:
    """A marked text as a str.format template: #i becomes {i}, literal braces doubled."""
    pieces = marked.replace("{", "{{").replace("}", "}}").split(_MARK)
    # Odd pieces are placeholder numbers.
    return "".join(p if i % 2 == 0 else f"{{{p}}}" for i, p in enumerate(pieces))


class Shaped(NamedTuple):
    """A node's expression as a shape and the node's names for its placeholders (a named
    tuple: a lesson makes one per node, and it is the cheapest immutable record)."""

    shape: Shape
    names: tuple[str, ...]

    def tree(self) -> Expr:
        """The node's own expression tree."""
        with headroom():
            return rename(self.shape.tree, self.names)

    def tape(self) -> Tape:
        """The node's compiled tape: the shape's, reading the node's names."""
        tape = self.shape.tape
        return Tape(self.names, tape.literals, tape.ops, tape.steps)

    def derivative(self, operand: str) -> Expr:
        """∂node/∂operand in the node's own names."""
        found = self.shape.derivative(self.names.index(operand))
        with headroom():
            return rename(found, self.names)


def rename(expr: Expr, names: tuple[str, ...]) -> Expr:
    """`expr` with each placeholder #i replaced by names[i]."""
    if isinstance(expr, Var):
        return Var(names[int(expr.name[1:])])
    if isinstance(expr, Num):
        return expr
    if isinstance(expr, Bin):
        return Bin(expr.op, rename(expr.left, names), rename(expr.right, names))
    if isinstance(expr, Neg):
        return Neg(rename(expr.arg, names))
    return Call(expr.fn, rename(expr.arg, names))


def _abstract(expr: Expr, slots: dict[str, int]) -> Expr:
    """`expr` with each name replaced by its placeholder, numbered as first seen."""
    if isinstance(expr, Var):
        return Var(_placeholder(slots.setdefault(expr.name, len(slots))))
    if isinstance(expr, Num):
        return expr
    if isinstance(expr, Bin):
        left = _abstract(expr.left, slots)
        return Bin(expr.op, left, _abstract(expr.right, slots))
    if isinstance(expr, Neg):
        return Neg(_abstract(expr.arg, slots))
    return Call(expr.fn, _abstract(expr.arg, slots))


class Shapes:
    """The shapes of one graph's expressions, each parsed, compiled and derived once."""

    def __init__(self) -> None:
        """Start with no shapes known."""
        # Keyed by a source's skeleton, its functions, and where a name repeats, each one's place.
        self._by_source: dict[Hashable, Shape] = {}
        self._by_tree: dict[Expr, Shape] = {}

    def parse(self, source: str) -> Shaped:
        """Parse `source` (raising ExprSyntaxError as expr.parse does) into its shape and names."""
        found = self.parse_all([source])[0]
        if isinstance(found, ExprSyntaxError):
            raise found
        return found

    def parse_all(self, sources: Sequence[str]) -> list[Shaped | ExprSyntaxError]:
        """Each source parsed as `parse` does, or the error `parse` raises for it.

        A source's shape is identified by its skeleton (the text with each name taken out)
        and, where a name is used twice, which name stands at each place. The whole batch
        is split by one pattern, in C; per source there are a few calls into C and one
        lookup.
        """
        text = _SEPARATOR.join(sources)
        if not sources or max(map(len, sources)) > MAX_LENGTH or not _PLAIN.fullmatch(text):
            return [self._parse_alone(source) for source in sources]
        parts = _WORD.split(text)
        words = parts[1::2]
        # The text with a hole for each name (a function's name kept), per source, and
        # the names in order: each built by C loops over all the words.
        holes = map(_FUNCTIONS.get, words, repeat(_HOLE))
        texts = chain.from_iterable(
            zip(parts[0::2], holes, strict=False)
        )  # the last text has no word
        skeletons = "".join(chain(texts, parts[-1:])).split(_SEPARATOR)
        if len(skeletons) != len(sources):
            # A separator inside a source (an error parse words): each alone.
            return [self._parse_alone(source) for source in sources]
        names_in_order = list(filterfalse(_FUNCTIONS.__contains__, words))
        by_skeleton = self._by_source
        make = tuple.__new__
        results: list[Shaped | ExprSyntaxError] = []
        append = results.append
        start = 0
        for index, skeleton in enumerate(skeletons):
            end = start + skeleton.count(_HOLE)
            names = tuple(names_in_order[start:end])
            start = end
            key: Hashable = skeleton
            if len(set(names)) != len(names):  # a small set costs less than a dict
                # A name used twice: which name stands at each place is part of the shape.
                distinct = dict.fromkeys(names)
                place = {name: i for i, name in enumerate(distinct)}
                key = (skeleton, tuple(map(place.__getitem__, names)))
                names = tuple(distinct)
            shape = by_skeleton.get(key)
            if shape is None:
                try:
                    shape = self.of_tree(parse(sources[index])).shape
                except ExprSyntaxError as error:
                    append(error)
                    continue
                by_skeleton[key] = shape
            append(make(Shaped, (shape, names)))
        return results

    def _parse_alone(self, source: str) -> Shaped | ExprSyntaxError:
        try:
            return self.of_tree(parse(source))
        except ExprSyntaxError as error:
            return error

    def of_tree(self, tree: Expr) -> Shaped:
        """The shape of a parsed expression, and its names."""
        slots: dict[str, int] = {}
        with headroom():
            abstract = _abstract(tree, slots)
        shape = self._by_tree.get(abstract)
        if shape is None:
            shape = self._by_tree[abstract] = Shape(abstract, compile_expr(abstract))
        return Shaped(shape, tuple(slots))
