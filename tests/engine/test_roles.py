"""A lesson's [roles] table: the only source of "data" / "regularization" labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from backprop_tutor.engine import LessonError, load_lesson
from backprop_tutor.quiz import skills
from backprop_tutor.tui.widgets.path_panel import branch_role

# e = (a + b)(b + 1): no input reaches c or d, yet neither is a regularization term.
NO_ROLES = """\
title = "Two paths to b"
objective = "e"

[parameters]
a = 2
b = 1

[optimizer]
learning_rate = 0.1

[graph]
c = "a + b"
d = "b + 1"
e = "c*d"

[[steps]]
"""

ROLES = NO_ROLES.replace("[graph]", '[roles]\nc = "data"\nd = "regularization"\n\n[graph]')


def write(tmp_path: Path, text: str) -> Path:
    """Save a lesson under tmp_path."""
    path = tmp_path / "roles.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_declared_roles_no_role_labels(tmp_path: Path) -> None:
    """A lesson that declares no roles gets plain `via c` labels and no regularization skill."""
    graph = load_lesson(write(tmp_path, NO_ROLES)).graph
    assert branch_role(graph, "c") == "" and branch_role(graph, "d") == ""
    assert skills.regularization_branches(graph) == frozenset()
    assert "regularization" not in skills.gradient_skills(graph, "b")


def test_declared_roles_are_used(tmp_path: Path) -> None:
    """Declared roles label the branches and decide the regularization skill."""
    graph = load_lesson(write(tmp_path, ROLES)).graph
    assert branch_role(graph, "c") == " (data)"
    assert branch_role(graph, "d") == " (regularization)"
    assert skills.regularization_branches(graph) == frozenset({"d"})
    assert "regularization" in skills.gradient_skills(graph, "b")
    assert "regularization" not in skills.gradient_skills(graph, "a")


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ('q = "data"', r"roles\.toml:12: \[roles\] q: there is no node 'q'"),
        ('c = "penalty"', r"roles\.toml:12: \[roles\] c: the role must be one of 'data'"),
    ],
)
def test_bad_roles_name_the_line(tmp_path: Path, roles: str, expected: str) -> None:
    """An unknown node or role is one line naming the file and line."""
    text = NO_ROLES.replace("[graph]", f"[roles]\n{roles}\n\n[graph]")
    with pytest.raises(LessonError, match=expected):
        load_lesson(write(tmp_path, text))


def test_built_in_labels_unchanged() -> None:
    """The built-in lessons declare the roles they always showed."""
    graph = load_lesson("branch-merge").graph
    assert [branch_role(graph, b) for b in ("L", "R")] == [" (data)", " (regularization)"]
    assert skills.regularization_branches(graph) == frozenset({"R"})
    two_layer = load_lesson("two-layer").graph
    assert branch_role(two_layer, "o") == " (data)"
