"""The command line's last resort: one line and a report file, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import RunMain

from backprop_tutor import cli


def test_an_unexpected_error_is_one_line_and_a_report(
    run_main: RunMain, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A bug nobody foresaw: exit 2, one line naming the report, the traceback in it."""

    def broken(args: object) -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli.tutor, "run", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    result = run_main()
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    found = re.search(r"a full report is in (\S+)$", result.stderr.strip())
    assert found, result.stderr
    report = Path(found.group(1)).read_text(encoding="utf-8")
    assert "Traceback" in report and "ZeroDivisionError: a bug" in report


def test_interrupt_says_so(run_main: RunMain, monkeypatch: pytest.MonkeyPatch) -> None:
    """ctrl+c exited 130 with no word."""

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.tutor, "run", interrupted)
    result = run_main()
    assert result.returncode == 130
    assert "interrupted" in result.stderr
