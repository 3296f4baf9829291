"""Finding where a table or key is written in a TOML file, so messages can say file:line."""

from __future__ import annotations

import re
import tomllib
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
# this form are read with a few patterns over the whole text instead (see
# `plain_graph_lines`). Each pattern is anchored to one line (re.M; none matches a newline),
# so a match of `^P$` is a line that P matches whole.
_COMMENT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
_GRAPH_HEADER = re.compile(rf"^[ \t]*\[[ \t]*graph[ \t]*\][ \t]*{_COMMENT}\r?$", re.M)
_MENTIONS_GRAPH = re.compile(
    r"""^[ \t]*(?:\[\[?[ \t]*["']?graph\b|["']?graph["']?[ \t]*[.=])""", re.M
)
_TABLE_START = re.compile(r"^[ \t]*\[", re.M)
_BLANK_OR_COMMENT = re.compile(rf"^[ \t]*{_COMMENT}\r?$", re.M)
_PLAIN_ENTRY = re.compile(
    r'^[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"'
    rf"[ \t]*{_COMMENT}\r?$",
    re.M,
)


def plain_graph_lines(source: str) -> tuple[str, dict[str, str]] | None:
    """The [graph] table read directly where it is plain: the source with those lines left
    empty (so tomllib still sees the header, and every line keeps its number) and the
    entries in order. None where anything is unusual; then tomllib reads it all."""
    headers = _GRAPH_HEADER.finditer(source)
    header = next(headers, None)
    if header is None or next(headers, None) is not None:
        return None
    # Nothing else may add to the table ([graph.x], a dotted graph key). A header line
    # inside a multi-line string is no header: then tomllib finds no [graph] table in
    # what is left, and the caller reads the whole source instead.
    if any(m.start() != header.start() for m in _MENTIONS_GRAPH.finditer(source)):
        return None
    if header.end() == len(source):
        return None  # a header on the last line: no entries, nothing to read quickly
    start = header.end() + 1  # the line after the header
    following = _TABLE_START.search(source, start)
    end = following.start() if following else len(source)
    table = source[start:end]
    found = _PLAIN_ENTRY.findall(table)
    # Every line of the table is an entry or blank (a line cannot be both).
    if len(found) + len(_BLANK_OR_COMMENT.findall(table)) != table.count("\n") + 1:
        return None
    entries = dict(found)
    if len(entries) != len(found):
        return None  # a name defined twice: tomllib words that error
    return source[:start] + _PLAIN_ENTRY.sub("", table) + source[end:], entries
