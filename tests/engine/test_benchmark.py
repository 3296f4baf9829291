"""benchmarks/engine.py stays runnable and checks itself against micrograd."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "engine.py"


def test_benchmark_runs_on_small_graphs() -> None:
    """A tiny run prints a row per size, the growth exponent and the deep-chain line; with
    micrograd installed it also compares (and asserts both give the same gradients)."""
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--sizes", "150", "450", "--repeat", "1"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("cost grows as operations^") == 2
    assert "A chain 450 nodes deep" in out
    has_micrograd = importlib.util.find_spec("micrograd") is not None
    assert ("micrograd needs sys.setrecursionlimit" in out) == has_micrograd
    assert ("step/mg" in out) == has_micrograd
