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


class _Headless:
    """Run the app without a terminal (the test process has none), as the learner's would."""

    def run(self, *args: object, **kwargs: object) -> None:
        """Headless, otherwise exactly the app's own run."""
        super().run(headless=True)  # type: ignore[misc]


def _assert_last_resort(result_code: int, stdout: str, stderr: str) -> None:
    assert result_code == 2, (stdout, stderr)
    assert "Traceback" not in stdout + stderr and "ZeroDivisionError: a bug" not in stderr
    found = re.search(r"unexpected error \(ZeroDivisionError\); a full report is in (\S+)$", stderr)
    assert found, stderr
    report = Path(found.group(1)).read_text(encoding="utf-8")
    assert "Traceback" in report and "ZeroDivisionError: a bug" in report


def test_an_error_inside_the_tutor_app_is_one_line_and_a_report(
    run_main: RunMain, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Textual printed its own traceback for an error in a handler, and the exit code was 0."""
    from backprop_tutor import tui
    from backprop_tutor.tui.app import TutorApp

    class Broken(_Headless, TutorApp):
        CSS_PATH = str(Path(tui.__file__).parent / "app.tcss")

        def on_mount(self) -> None:
            raise ZeroDivisionError("a bug")

    monkeypatch.setattr(tui, "make_app", lambda lesson, **_options: Broken(lesson))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    result = run_main()
    _assert_last_resort(result.returncode, result.stdout, result.stderr)


def test_an_error_inside_the_study_app_is_one_line_and_a_report(
    run_main: RunMain, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The same for the study app, after its session was opened and saved."""
    from backprop_tutor.tui.screens import study_app

    class Broken(_Headless, study_app.StudyApp):
        def on_mount(self) -> None:
            super().on_mount()
            raise ZeroDivisionError("a bug")

    monkeypatch.setattr(study_app, "make_study_app", lambda *a, **k: Broken(*a, **k))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    result = run_main("quiz", "--data-dir", str(tmp_path / "data"), "--seed", "3")
    _assert_last_resort(result.returncode, result.stdout, result.stderr)
    assert (tmp_path / "data" / "progress.json").exists()
