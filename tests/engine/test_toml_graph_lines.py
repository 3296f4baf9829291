"""The [graph] table read line by line (toml_lines.plain_graph_lines) reads as tomllib does."""

from __future__ import annotations

import tomllib

import pytest

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
