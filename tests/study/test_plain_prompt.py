"""The plain front end's question before moving an unreadable file aside, and import purity."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_tutor.commands import CommandError
from backprop_tutor.commands.quiz import open_plain_session


class _Terminal(io.StringIO):
    """Typed input that says it comes from a terminal."""

    def isatty(self) -> bool:
        return True


def _args(folder: Path) -> argparse.Namespace:
    return argparse.Namespace(lesson="branch-merge", data_dir=str(folder), seed=3, plain=True)


def test_yes_moves_the_file_aside_and_says_where(tmp_path: Path) -> None:
    """y: renamed to progress.json.corrupt-<time>, named in the output, session opened."""
    (tmp_path / "progress.json").write_bytes(b"{broken")
    out = io.StringIO()
    study = open_plain_session(_args(tmp_path), _Terminal("y\n"), out)
    [moved] = [p for p in tmp_path.iterdir() if p.name.startswith("progress.json.corrupt-")]
    assert moved.read_bytes() == b"{broken"
    assert f"Moved it to {moved}" in out.getvalue()
    assert study.seed == 3 and (tmp_path / "progress.json").exists()


def test_anything_but_yes_changes_nothing(tmp_path: Path) -> None:
    """n (or an empty line): a one-line refusal, the file where it was."""
    (tmp_path / "progress.json").write_bytes(b"{broken")
    with pytest.raises(CommandError, match="nothing was changed"):
        open_plain_session(_args(tmp_path), _Terminal("\n"), io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json"]


def test_a_newer_file_is_moved_aside_as_newer(tmp_path: Path) -> None:
    """A newer format gets its own suffix, so it is easy to find after an upgrade."""
    (tmp_path / "progress.json").write_text('{"schema": 7}')
    open_plain_session(_args(tmp_path), _Terminal("yes\n"), io.StringIO())
    assert [p for p in tmp_path.iterdir() if p.name.startswith("progress.json.newer-")]


def test_the_study_core_loads_no_terminal_library() -> None:
    """Exercises, scheduler, progress, session and the plain front end: no Textual, no Rich."""
    code = (
        "import sys\n"
        "import backprop_tutor.study.session, backprop_tutor.plain.study\n"
        "import backprop_tutor.commands.quiz\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
