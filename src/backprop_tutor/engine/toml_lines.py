"""Finding where a table or key is written in a TOML file, so messages can say file:line."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

_HEADER = re.compile(r"^\[\[?\s*([^\]]+?)\s*\]\]?")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class TomlLines:
    """A TOML file's text, searched line by line for tables and keys."""

    def __init__(self, source: str, path: Path) -> None:
        """Keep the file's lines; `path` is what messages name it by."""
        self.path = path
        self.lines = source.splitlines()

    def line_of(self, table: str | None, key: str | None = None, index: int = 0) -> int | None:
        """The line of `key` inside `[table]` (the index-th `[[table]]`), or of the header."""
        current: str | None = None
        seen = -1
        header_line: int | None = None
        key_pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""") if key else None
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            header = _HEADER.match(stripped)
            if header:
                current = header.group(1)
                if current == table:
                    seen += 1
                    if seen == index:
                        header_line = number
                continue
            if key_pattern and key_pattern.match(line):
                # Top-level keys come before the first header; table keys under it.
                if table is None and current is None:
                    return number
                if current == table and seen == index:
                    return number
        return header_line

    def where(self, line: int | None) -> str:
        """`path:line`, or the path alone where the line is not known."""
        return f"{self.path}:{line}" if line else f"{self.path}"

    def key_on(self, line: int) -> str:
        """The key a `key = value` line assigns ("?" past the end of the file)."""
        return self.lines[line - 1].split("=")[0].strip() if line <= len(self.lines) else "?"


def decode_error_position(error: tomllib.TOMLDecodeError) -> tuple[int | None, str]:
    """The line a TOML syntax error names, and its reason without the position."""
    message = str(error)
    position = _TOML_POSITION.search(message)
    line = int(position.group(1)) if position else None
    return line, _TOML_POSITION.sub("", message).strip()


# The [graph] table as lessons write it: one `name = "expression"` a line. tomllib reads
# TOML a character at a time, so for a large lesson it is most of the loading; lines of
# this form are read with one pattern over the whole table instead (see
# `plain_graph_lines`), and the lines around it are found with str.find. The patterns are
# anchored to one line (re.M; none matches a newline): a match of `^P$` is a whole line.
_COMMENT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
_GRAPH_HEADER = re.compile(rf"^[ \t]*\[[ \t]*graph[ \t]*\][ \t]*{_COMMENT}\r?$", re.M)
# A line that adds to the table: its header, [graph.x], [[graph]], graph.x = or graph =.
_MENTIONS_GRAPH = re.compile(
    r"""^[ \t]*(?:\[\[?[ \t]*["']?graph\b|["']?graph["']?[ \t]*[.=])""", re.M
)
# A line of the table: an entry (its name and expression), or blank or a comment ("", "").
_TABLE_LINE = re.compile(
    r'^[ \t]*(?:([A-Za-z0-9_-]+)[ \t]*=[ \t]*"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"[ \t]*)?'
    rf"{_COMMENT}\r?$",
    re.M,
)
_BLANK = ("", "")


def plain_graph_lines(source: str) -> tuple[str, dict[str, str]] | None:
    """The [graph] table read directly where it is plain: the source with those lines left
    empty (so tomllib still sees the header, and every line keeps its number) and the
    entries in order. None where anything is unusual; then tomllib reads it all."""
    # Exactly one line may add to the table, and it must be the header: nothing else
    # ([graph.x], a dotted graph key). A header line inside a multi-line string is no
    # header: then tomllib finds no [graph] table in what is left, and the caller reads
    # the whole source instead.
    mentions = {
        start
        for start in _line_starts(source, "graph", 0, len(source))
        if _MENTIONS_GRAPH.match(source, start)
    }
    if len(mentions) != 1:
        return None
    header = _GRAPH_HEADER.match(source, mentions.pop())
    if header is None or header.end() == len(source):
        return None  # a header on the last line has no entries: tomllib reads it
    start = header.end() + 1  # the line after the header
    # The table ends at the next line that starts a table: `[` after blanks.
    end = next(
        (at for at in _line_starts(source, "[", start, len(source)) if _starts_table(source, at)),
        len(source),
    )
    table = source[start:end]
    found = _TABLE_LINE.findall(table)
    lines = table.count("\n") + 1
    if len(found) != lines:
        return None  # a line that is neither an entry nor blank
    blanks = found.count(_BLANK)
    entries = dict(found)
    entries.pop("", None)
    if len(entries) != lines - blanks:
        return None  # a name defined twice: tomllib words that error
    # Every line left empty; a last line with no newline after it, if blank, kept as it
    # is, for tomllib to judge (a lone carriage return is an error there).
    last = table[table.rfind("\n") + 1 :] if found[-1] == _BLANK else ""
    return source[:start] + "\n" * (lines - 1) + last + source[end:], entries


def _line_starts(source: str, text: str, start: int, end: int) -> Iterator[int]:
    """The start of each line, from `start` on, on which `text` is found before `end`."""
    at = source.find(text, start, end)
    while at >= 0:
        line = source.rfind("\n", 0, at) + 1
        yield max(line, start)
        at = source.find(text, at + len(text), end)


def _starts_table(source: str, line: int) -> bool:
    """Whether the line at `line` starts a table: `[` after nothing but blanks."""
    return source[line : source.find("[", line)].strip(" \t") == ""
