"""The [graph] table read line by line (toml_lines.plain_graph_lines) reads as tomllib does."""

from __future__ import annotations

import re
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tutor.engine import builtin_lesson_paths
from backprop_tutor.engine.lesson_validator import read_toml
from backprop_tutor.engine.toml_lines import plain_graph_lines

BASE = 'title = "t"\nobjective = "J"\n'


def _assert_reads_like_tomllib(source: str) -> None:
    """read_toml gives tomllib's data, or raises tomllib's error with its message."""
    try:
        expected = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        with pytest.raises(tomllib.TOMLDecodeError) as raised:
            read_toml(source)
        assert str(raised.value) == str(error)
    else:
        assert read_toml(source) == expected


@pytest.mark.parametrize("name", sorted(builtin_lesson_paths()))
def test_every_builtin_lesson_reads_the_same_and_takes_the_quick_way(name: str) -> None:
    """The built-in lessons are plain, and read to the same data, in the same order."""
    source = builtin_lesson_paths()[name].read_text(encoding="utf-8")
    assert plain_graph_lines(source) is not None
    data = read_toml(source)
    assert data == tomllib.loads(source)
    assert list(data["graph"]) == list(tomllib.loads(source)["graph"])


UNUSUAL = [
    # Each of these is tomllib's to read: the quick reading declines (None) or, for a
    # header inside a string, finds no table left and reads the whole source.
    BASE + '[graph]\nJ = "a"\nJ = "b"\n',  # defined twice
    BASE + '[graph]\n"J" = "a"\n',  # a quoted key
    BASE + '[graph]\nJ = "a\\u0041"\n',  # an escape
    BASE + "[graph]\nJ = 'a'\n",  # a literal string
    BASE + '[graph]\nJ.x = "a"\n',  # a dotted key
    BASE + '[graph]\nJ = "a"\n[graph.sub]\nx = "b"\n',  # a sub-table
    BASE + 'graph = { J = "a" }\n',  # an inline table, no header
    BASE + 'intro = """\n[graph]\nJ = "a"\n"""\n[graph]\nJ = "b"\n',  # two header lines
    BASE + 'intro = """\n[graph]\nJ = "a"\n"""\n',  # the header inside a string
    BASE + '[graph]\nJ = """a"""\n',  # a multi-line string
    BASE + "[graph]\nJ = 1\n",  # not a string
]


@pytest.mark.parametrize("source", UNUSUAL)
def test_anything_unusual_is_read_by_tomllib(source: str) -> None:
    """Unusual tables are tomllib's to read, so values and errors are its own."""
    if "intro" not in source:
        assert plain_graph_lines(source) is None
    _assert_reads_like_tomllib(source)


@pytest.mark.parametrize(
    "source",
    [
        BASE + '[graph]\n# a comment\n  J = "a*b"   # why\n\n',
        BASE + '[graph]\r\nJ = "a*b"\r\n[parameters]\r\na = 1\r\n',
        BASE + '[graph]\nh = "u^2"\nJ = "h + 1"\n[text]\nintro = "x"\n',
        BASE + '[graph]\nJ = "a"\n[parameters]\na = 1\nb = [\n1,\n2]\n',
        BASE + '[graph]\nJ = "a"\n[parameters]\na = = 1\n',  # an error after the table
        BASE + 'x = [\n[graph]\nJ = "a"\n',  # the header inside an array: an error
    ],
)
def test_plain_tables_read_the_same_and_errors_name_the_same_line(source: str) -> None:
    """Comments, CRLF, tables after the graph: the same data; an error, the same message."""
    _assert_reads_like_tomllib(source)


# The line-by-line reading that the whole-text patterns replaced (for speed), kept here as
# the reference they must agree with on every source.
_R_HEADER = re.compile(r"[ \t]*\[[ \t]*graph[ \t]*\][ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?\r?")
_R_MENTIONS = re.compile(r"""[ \t]*(?:\[\[?[ \t]*["']?graph\b|["']?graph["']?[ \t]*[.=])""")
_R_TABLE = re.compile(r"[ \t]*\[")
_R_BLANK = re.compile(r"[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?\r?")
_R_ENTRY = re.compile(
    r'[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"'
    r"[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?\r?"
)


def _reference(source: str) -> tuple[str, dict[str, str]] | None:
    lines = source.split("\n")
    headers = [i for i, line in enumerate(lines) if _R_HEADER.fullmatch(line)]
    if len(headers) != 1:
        return None
    start = headers[0]
    if any(_R_MENTIONS.match(line) for i, line in enumerate(lines) if i != start):
        return None
    entries: dict[str, str] = {}
    end = start + 1
    while end < len(lines) and not _R_TABLE.match(lines[end]):
        entry = _R_ENTRY.fullmatch(lines[end])
        if entry is not None:
            key, value = entry.groups()
            if key in entries:
                return None
            entries[key] = value
            lines[end] = ""
        elif not _R_BLANK.fullmatch(lines[end]):
            return None
        end += 1
    return "\n".join(lines), entries


_PIECES = [
    "[graph]",
    " [ graph ] # c",
    "[graph]\r",
    "[graph.x]",
    "[[graph]]",
    "[parameters]",
    "a = 1",
    'J = "a*b"',
    ' h = "u^2"  # why',
    'h = "u^2"\r',
    'J = "x"',
    "J.x = 'a'",
    'graph = "x"',
    '"J" = "a"',
    "# a comment",
    "",
    "  ",
    "\r",
    'x = "a\\"b"',
    'intro = """',
    '"""',
    "b = [",
    "1]",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.booleans())
def test_the_whole_text_reading_agrees_with_the_line_by_line_one(
    lines: list[str], newline_at_end: bool
) -> None:
    """Any mix of headers, entries, comments, CRs and unusual lines: the same answer."""
    source = "\n".join(lines) + ("\n" if newline_at_end else "")
    quick = plain_graph_lines(source)
    expected = _reference(source)
    if quick is None or expected is None:
        # A header on the last line has no entries: declining it leaves it to tomllib.
        assert quick == expected or expected[1] == {}
    else:
        # The same entries in the same order, and what is left reads the same to tomllib
        # (a comment line may be left out), line for line.
        assert list(quick[1].items()) == list(expected[1].items())
        assert quick[0].count("\n") == expected[0].count("\n")
        assert _toml_reading(quick[0]) == _toml_reading(expected[0])


def _toml_reading(source: str) -> object:
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        return str(error)
