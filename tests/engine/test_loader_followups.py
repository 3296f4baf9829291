"""A problem in one place is reported once, not again as a knock-on error elsewhere."""

from __future__ import annotations

from pathlib import Path

from backprop_tutor.engine import lesson_errors

LESSON = """\
title = "t"
objective = "J"
[parameters]
w = "one"
[optimizer]
learning_rate = 0.1
[graph]
J = "w^2"
"""


def test_bad_parameter_value_is_one_error(tmp_path: Path) -> None:
    """A parameter without a numeric value is not also called undefined where it is used."""
    path = tmp_path / "bad.toml"
    path.write_text(LESSON, encoding="utf-8")
    messages = [str(error) for error in lesson_errors(path)]
    assert messages == [
        f"{path}:4: [parameters] w: has no numeric value (got 'one'); write w = 1.5"
    ]
