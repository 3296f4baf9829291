"""`backprop-tutor quiz --plain` and `backprop-tutor progress`, run as a learner would."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from backprop_tutor.engine import load_lesson
from backprop_tutor.quiz import QuizSession
from backprop_tutor.study.exercises import make_exercise, study_plan
from backprop_tutor.study.progress import ENV_VAR, SCHEMA_VERSION

if TYPE_CHECKING:
    import subprocess

    from conftest import CliResult, Env, RunMain, RunProcess


@pytest.fixture
def quiz_env(tmp_path: Path) -> Callable[[Path | None], Env]:
    """The environment of one run: progress in `home`, never the learner's real data dir."""

    def env(home: Path | None) -> Env:
        """BACKPROP_TUTOR_HOME set to `home` (or unset); HOME and XDG inside the test's folder."""
        fake_home = tmp_path / "fake-home"
        return {
            ENV_VAR: None if home is None else str(home),
            "HOME": str(fake_home),
            "XDG_DATA_HOME": str(fake_home / "share"),
        }

    return env


@pytest.fixture
def run(run_main: RunMain, quiz_env: Callable[[Path | None], Env]) -> RunMain:
    """`backprop-tutor ARGS` in this process, progress kept in `home`."""

    def run(*args: str, stdin: str = "", home: Path | None = None) -> CliResult:
        """One command line with `stdin` piped in."""
        return run_main(*args, stdin=stdin, env=quiz_env(home))

    return run


@pytest.fixture
def run_real(run_process: RunProcess, quiz_env: Callable[[Path | None], Env]) -> RunProcess:
    """`python -m backprop_tutor ARGS` as a process, `stdin` a real pipe, progress in `home`."""

    def run(
        *args: str, stdin: str = "", home: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """One process with `stdin` piped in."""
        return run_process(*args, stdin=stdin, env=quiz_env(home), timeout=60)

    return run


def _expected_answers(seed: int) -> dict[str, str]:
    """A right answer, as typed, for every question the exercise may ask."""
    exercise = make_exercise(load_lesson("branch-merge"), seed)
    session = QuizSession(exercise.lesson, plan=study_plan(exercise.lesson))
    # Keyed as the progress file writes ids.
    return {str(q.id): q.typed or repr(q.expected) for q in session.questions}


def _document(folder: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((folder / "progress.json").read_text())
    return data


def _prompts(stdout: str) -> list[str]:
    return [line.split(" = ?")[0] for line in stdout.splitlines() if " = ?" in line]


def test_a_piped_session_saves_every_answer_and_a_restart_resumes(
    run_real: RunProcess, tmp_path: Path
) -> None:
    """Real processes and pipes: two answers, end of input; the file has them; the next
    process resumes at question 3."""
    seed = 21
    first = run_real("quiz", "--plain", "--seed", str(seed), stdin="", home=tmp_path)
    assert first.returncode == 0, first.stderr
    session = _document(tmp_path)["sessions"][0]  # type: ignore[index]
    queue: list[str] = session["queue"]
    expected = _expected_answers(seed)
    answers = "".join(f"{expected[qid]}\n" for qid in queue[:2])
    second = run_real("quiz", "--plain", "--seed", str(seed), stdin=answers, home=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "Correct" in second.stdout and "your place is saved" in second.stdout
    document = _document(tmp_path)
    assert document["schema"] == SCHEMA_VERSION
    saved = document["answers"]
    assert [(a["question"], a["outcome"]) for a in saved] == [  # type: ignore[union-attr]
        (queue[0], "right"),
        (queue[1], "right"),
    ]
    third = run_real("quiz", "--plain", stdin="", home=tmp_path)
    assert "Resuming where you stopped: question 3 of" in third.stdout
    assert f"exercise {seed}" in third.stdout


def test_a_whole_session_through_the_pipe(run: RunMain, tmp_path: Path) -> None:
    """Every question answered (one wrong first): summary, streak, next due; file complete."""
    seed = 33
    run("quiz", "--plain", "--seed", str(seed), home=tmp_path)
    queue: list[str] = _document(tmp_path)["sessions"][0]["queue"]  # type: ignore[index]
    expected = _expected_answers(seed)
    # First answer wrong, then right: a miss that brings its skill back later.
    typed_kind = any(f":{kind}:" in queue[0] for kind in ("paths", "local", "formula"))
    lines = ["J" if typed_kind else "999999"] + [expected[qid] for qid in queue]
    for _ in range(3):  # the queue may grow with follow-ups; answer until it ends
        result = run("quiz", "--plain", stdin="\n".join(lines) + "\n", home=tmp_path)
        document = _document(tmp_path)
        if not document["sessions"]:
            break
        live = document["sessions"][0]  # type: ignore[index]
        lines = [expected[qid] for qid in live["queue"][live["position"] :]]
    assert result.returncode == 0, result.stderr
    assert "Session complete." in result.stdout
    assert "Streak: 1 day in a row." in result.stdout
    assert "Next due tomorrow" in result.stdout
    saved = _document(tmp_path)["answers"]
    outcomes = [a["outcome"] for a in saved]  # type: ignore[union-attr]
    assert outcomes[0] == "missed" and outcomes[1:] == ["right"] * (len(outcomes) - 1)
    assert len(saved) >= len(queue)  # type: ignore[arg-type]
    assert _document(tmp_path)["sessions"] == []


def test_hint_and_reveal_keys_work_in_the_pipe(run: RunMain, tmp_path: Path) -> None:
    """? prints a hint, ! shows the value and moves on."""
    result = run("quiz", "--plain", "--seed", "5", stdin="?\n!\n", home=tmp_path)
    assert "Hint 1" in result.stdout and "Shown:" in result.stdout
    saved = _document(tmp_path)["answers"]
    assert [a["outcome"] for a in saved] == ["missed"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"schema": 1, "answ', "not valid JSON"),
        (b"\x89\xff\x00garbage\xfe", "not"),
        (json.dumps({"schema": 99}).encode(), "newer version"),
    ],
    ids=["truncated", "random-bytes", "newer"],
)
def test_an_unreadable_file_is_refused_without_a_terminal(
    run: RunMain, tmp_path: Path, content: bytes, words: str
) -> None:
    """No TTY: one line on stderr, exit 2, the file untouched and nothing moved."""
    (tmp_path / "progress.json").write_bytes(content)
    result = run("quiz", "--plain", stdin="1\n", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and words in result.stderr
    assert "nothing was changed" in result.stderr
    assert (tmp_path / "progress.json").read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("progress.json.")) == []


def test_a_real_pipe_is_not_a_terminal_either(run_real: RunProcess, tmp_path: Path) -> None:
    """As a process with stdin a real pipe: the same refusal, exit status 2, file untouched."""
    (tmp_path / "progress.json").write_bytes(b'{"schema": 1, "answ')
    result = run_real("quiz", "--plain", stdin="1\n", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "nothing was changed" in result.stderr
    assert (tmp_path / "progress.json").read_bytes() == b'{"schema": 1, "answ'


def test_data_dir_flag_beats_the_environment(run: RunMain, tmp_path: Path) -> None:
    """--data-dir wins over BACKPROP_TUTOR_HOME."""
    flag = tmp_path / "flag"
    result = run("quiz", "--plain", "--data-dir", str(flag), home=tmp_path / "env")
    assert result.returncode == 0, result.stderr
    assert (flag / "progress.json").exists()
    assert not (tmp_path / "env" / "progress.json").exists()


def test_a_data_dir_that_cannot_be_written_is_one_line_exit_2(run: RunMain, tmp_path: Path) -> None:
    """A data dir under a plain file cannot be created: clear message, nothing asked."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("quiz", "--plain", "--data-dir", str(blocker / "data"), stdin="1\n")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot save progress" in result.stderr
    assert "--data-dir" in result.stderr


def test_progress_table_and_json(run: RunMain, tmp_path: Path) -> None:
    """After one answer: the table names the skill; --json has accuracy, box and due."""
    run("quiz", "--plain", "--seed", "5", stdin="!\n", home=tmp_path)
    table = run("progress", home=tmp_path)
    assert table.returncode == 0 and "Progress by skill" in table.stdout
    # The session's first question maps the paths (the lesson's plan asks them first).
    assert "mapping the paths" in table.stdout and "1 answer " in table.stdout
    document = json.loads(run("progress", "--json", home=tmp_path).stdout)
    [row] = [r for r in document["skills"] if r["skill"] == "mapping-paths"]
    assert (row["asked"], row["right"], row["box"], row["due_now"]) == (1, 0, 1, True)
    assert document["answers"] == 1 and document["open_sessions"][0]["seed"] == 5


def test_progress_on_an_unreadable_file_is_one_line(run: RunMain, tmp_path: Path) -> None:
    """The table refuses rather than guessing; the file stays."""
    (tmp_path / "progress.json").write_bytes(b"[[[")
    result = run("progress", home=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert (tmp_path / "progress.json").read_bytes() == b"[[["


def test_reset_needs_yes_without_a_terminal_and_keeps_the_old_file(
    run: RunMain, tmp_path: Path
) -> None:
    """--reset alone refuses in a pipe; with --yes the file is renamed, not deleted."""
    run("quiz", "--plain", "--seed", "5", stdin="!\n", home=tmp_path)
    before = (tmp_path / "progress.json").read_bytes()
    refused = run("progress", "--reset", home=tmp_path)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert (tmp_path / "progress.json").read_bytes() == before
    done = run("progress", "--reset", "--yes", home=tmp_path)
    assert done.returncode == 0 and "Progress reset" in done.stdout
    [kept] = [p for p in tmp_path.iterdir() if p.name.startswith("progress.json.reset-")]
    assert kept.read_bytes() == before
    assert not (tmp_path / "progress.json").exists()
    assert "No progress yet" in run("progress", home=tmp_path).stdout
