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
# this form are read with one pattern each instead (see `plain_graph_lines`).
_GRAPH_HEADER = re.compile(r"[ \t]*\[[ \t]*graph[ \t]*\][ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?\r?")
_MENTIONS_GRAPH = re.compile(r"""[ \t]*(?:\[\[?[ \t]*["']?graph\b|["']?graph["']?[ \t]*[.=])""")
_TABLE_START = re.compile(r"[ \t]*\[")
_BLANK_OR_COMMENT = re.compile(r"[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?\r?")
_PLAIN_ENTRY = re.compile(
    r'[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"'
    r"[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?\r?"
)


def plain_graph_lines(source: str) -> tuple[str, dict[str, str]] | None:
    """The [graph] table read directly where it is plain: the source with those lines left
    empty (so tomllib still sees the header, and every line keeps its number) and the
    entries in order. None where anything is unusual; then tomllib reads it all."""
    lines = source.split("\n")
    headers = [i for i, line in enumerate(lines) if _GRAPH_HEADER.fullmatch(line)]
    if len(headers) != 1:
        return None
    start = headers[0]
    # Nothing else may add to the table ([graph.x], a dotted graph key). A header line
    # inside a multi-line string is no header: then tomllib finds no [graph] table in
    # what is left, and the caller reads the whole source instead.
    if any(_MENTIONS_GRAPH.match(line) for i, line in enumerate(lines) if i != start):
        return None
    entries: dict[str, str] = {}
    end = start + 1
    while end < len(lines) and not _TABLE_START.match(lines[end]):
        line = lines[end]
        entry = _PLAIN_ENTRY.fullmatch(line)
        if entry is not None:
            key, value = entry.groups()
            if key in entries:
                return None  # defined twice: tomllib words that error
            entries[key] = value
            lines[end] = ""
        elif not _BLANK_OR_COMMENT.fullmatch(line):
            return None
        end += 1
    return "\n".join(lines), entries
