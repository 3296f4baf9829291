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
