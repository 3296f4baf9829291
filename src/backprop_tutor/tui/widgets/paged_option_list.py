"""An `OptionList` whose PageUp/PageDown work at any height, even with no room at all."""

from __future__ import annotations

from typing import Literal

from textual.widgets import OptionList


class PagedOptionList(OptionList):
    """Textual's OptionList, safe from PageUp/PageDown before its lines are laid out.

    Textual 8.2.8's OptionList lays its lines out only once it has room; with no room
    (a short terminal leaves the list zero rows high) PageUp/PageDown looked the
    highlight up in the empty line table and raised KeyError. Here a page is then one
    option.
    """

    def _move_page(self, direction: Literal[-1, 1]) -> None:
        if not self.scrollable_content_region or self.highlighted not in self._index_to_line:
            count = self.option_count
            if count:
                here = self.highlighted if self.highlighted is not None else 0
                self.highlighted = max(0, min(count - 1, here + direction))
            return
        super()._move_page(direction)
