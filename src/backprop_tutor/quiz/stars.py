"""Products written without `*`: where the answer reader puts the stars in.

As STACK's "insert stars" does, the reader writes a `*` between two tokens that stand
side by side only where one reading is possible:

- a number before a name or `(`: `2c` is 2*c, `2(u + 1)` is 2*(u + 1), `2exp(u)` is 2*exp(u);
- `)` before `(`, a name or a number: `(u + 1)(u - 1)`, `(u + 1)x`, `(u + 1)2`;
- a name before a name (`λa`, `c u`), and a name of the lesson before `(`: `δ(2cu + 1)`;
  a function's name before `(` stays a call (`exp(u)`, `log(x)`);
- a run of letters that is not a name of the lesson but splits in exactly one way into
  the lesson's names (and a function's name just before its `(`): `cu` is c*u where c and
  u are names and cu is not, `cexp(u)` is c*exp(u). A run that splits in two ways is
  refused, naming both readings; one that does not split is left as typed (and refused
  as an unknown name).

An inserted `*` binds as a typed one (`2u^2` is 2*u^2). Right after `/` it could be read
two ways (`1/2u`: (1/2)*u or 1/(2*u)), so that is refused, naming both. A number keeps
its exponent: `2e3` is 2000, not 2*e3.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import NamedTuple

from backprop_tutor.engine.expr import FUNCTIONS, FUNCTIONS_2, tokens

_CALLS = frozenset((*FUNCTIONS, *FUNCTIONS_2))
# A run longer than this is not split (no lesson name is near it; the reader refuses it).
MAX_RUN = 60


class Ambiguous(ValueError):
    """A product without `*` that reads two ways; the message names both."""


class _Piece(NamedTuple):
    """A token, or one name of a split run, with the text typed after it (spaces)."""

    kind: str
    text: str
    after: str


def insert_stars(source: str, is_name: Callable[[str], bool]) -> str:
    """`source` with a `*` wherever the rule above reads a product; raises Ambiguous.

    `is_name` says which names are the lesson's. Text that does not tokenize is left
    as it is, for the parser to refuse with its own message.
    """
    try:
        found = tokens(source)
    except ValueError:
        return source
    pieces = _pieces(source, found, is_name)
    out = [source[: found[0][2] - 1]]
    for index, piece in enumerate(pieces):
        if index and _star_between(pieces[index - 1], piece, is_name):
            _refuse_after_divide(pieces, index)
            out.append("*")
        out.append(piece.text + piece.after)
    return "".join(out)


def _pieces(
    source: str, found: list[tuple[str, str, int]], is_name: Callable[[str], bool]
) -> list[_Piece]:
    """The tokens (without the end), each run of names split where the rule splits it."""
    pieces: list[_Piece] = []
    for (kind, text, column), (_, _, following) in pairwise(found):
        raw = source[column - 1 : following - 1]
        # What follows the token's own text: spaces (a `**` is read as `^`, so cut by rstrip).
        after = raw[len(text) :] if raw.startswith(text) else raw[len(raw.rstrip()) :]
        pieces.append(_Piece(kind, text, after))
    out: list[_Piece] = []
    for index, piece in enumerate(pieces):
        call_next = index + 1 < len(pieces) and pieces[index + 1].text == "("
        split = _split(piece.text, is_name, call_next) if piece.kind == "name" else None
        if split is None:
            out.append(piece)
            continue
        out.extend(_Piece("name", name, "") for name in split[:-1])
        out.append(_Piece("name", split[-1], piece.after))
    return out


def _split(run: str, is_name: Callable[[str], bool], call_next: bool) -> list[str] | None:
    """The one way `run` splits into names (None: it is a name, or does not split)."""
    if is_name(run) or run in _CALLS or len(run) > MAX_RUN or run.startswith("_"):
        return None
    readings = _readings(run, is_name, call_next)
    if len(readings) > 1:
        first, second = ("*".join(r) for r in readings[:2])
        raise Ambiguous(
            f"{run!r} can be read two ways, as {first} or as {second}: write the * you mean."
        )
    return readings[0] if readings else None


def _readings(run: str, is_name: Callable[[str], bool], call_next: bool) -> list[list[str]]:
    """Up to two ways to cut `run` into names (the last may be a function before `(`)."""
    # ways[i]: up to two splits of run[i:], found from the end backwards.
    ways: list[list[list[str]]] = [[] for _ in range(len(run) + 1)]
    ways[len(run)] = [[]]
    for start in range(len(run) - 1, -1, -1):
        for end in range(start + 1, len(run) + 1):
            word = run[start:end]
            last = end == len(run)
            if not (is_name(word) or (last and call_next and word in _CALLS and start > 0)):
                continue
            for rest in ways[end]:
                if len(ways[start]) < 2:
                    ways[start].append([word, *rest])
    return [w for w in ways[0] if len(w) > 1]


def _star_between(left: _Piece, right: _Piece, is_name: Callable[[str], bool]) -> bool:
    """Whether two pieces side by side are a product."""
    opens = right.text == "("
    if left.kind == "number":
        return right.kind == "name" or opens
    if left.text == ")":
        return right.kind in ("name", "number") or opens
    if left.kind == "name" and left.text not in _CALLS:
        return right.kind == "name" or (opens and is_name(left.text))
    return False


def _refuse_after_divide(pieces: list[_Piece], index: int) -> None:
    """Refuse a product without `*` whose left factor is a divisor (`1/2u`)."""
    start = _operand_start(pieces, index - 1)
    before = start - 1
    while before >= 0 and pieces[before].text in ("-", "+"):
        before -= 1  # 1/-2u reads as (1/-2)*u as well
    if before >= 0 and pieces[before].text == "/":
        left = "".join(p.text for p in pieces[before + 1 : index])
        right = "".join(p.text for p in pieces[index : _operand_end(pieces, index) + 1])
        raise Ambiguous(
            f"/{left}{right} can be read two ways, as /{left}*{right} (only {left} divides) "
            f"or as /({left}*{right}): write the brackets you mean."
        )


def _operand_start(pieces: list[_Piece], end: int) -> int:
    """Where the factor ending at `end` begins: a bracket with its function, a power's base."""
    start = _atom_start(pieces, end)
    while True:
        before = start - 1
        if before >= 1 and pieces[before].text in ("-", "+") and pieces[before - 1].text == "^":
            before -= 1  # u^-2: the exponent's sign
        if before < 1 or pieces[before].text != "^":
            return start
        start = _atom_start(pieces, before - 1)


def _atom_start(pieces: list[_Piece], end: int) -> int:
    """Where the number, name or bracketed group ending at `end` begins."""
    if pieces[end].text != ")":
        return end
    depth = 0
    for index in range(end, -1, -1):
        text = pieces[index].text
        depth += {")": 1, "(": -1}.get(text, 0)
        if depth == 0:
            return index - 1 if index and pieces[index - 1].text in _CALLS else index
    return 0


def _operand_end(pieces: list[_Piece], start: int) -> int:
    """Where the factor starting at `start` ends (a bracketed group, or a call, whole)."""
    index = start + 1 if pieces[start].text in _CALLS else start
    if index >= len(pieces) or pieces[index].text != "(":
        return start
    depth = 0
    for position in range(index, len(pieces)):
        depth += {"(": 1, ")": -1}.get(pieces[position].text, 0)
        if depth == 0:
            return position
    return len(pieces) - 1
