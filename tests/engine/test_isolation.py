"""The engine (and the quiz logic built on it) never imports a terminal library."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

PROBE = """
import importlib, json, pkgutil, sys
modules = {modules!r}
imported = []
for name in modules:
    package = importlib.import_module(name)
    imported.append(name)
    # Every submodule too, so a module nobody imports yet cannot sneak a UI import in.
    for info in pkgutil.walk_packages(getattr(package, "__path__", []), name + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
leaked = sorted(
    m for m in sys.modules if m.split(".")[0] in ("textual", "rich")
)
print(json.dumps({{"imported": imported, "leaked": leaked}}))
"""


def probe(*modules: str) -> dict[str, list[str]]:
    """Import `modules` and all their submodules in a fresh interpreter; report what leaked."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=list(modules))],
        capture_output=True,
        text=True,
        check=True,
    )
    report: dict[str, list[str]] = json.loads(result.stdout)
    return report


def test_engine_imports_no_terminal_library() -> None:
    """backprop_tutor.engine and every engine module, export included, load without
    textual or rich."""
    report = probe("backprop_tutor.engine", "backprop_tutor.engine.export")
    assert "backprop_tutor.engine.export" in report["imported"]
    assert "backprop_tutor.engine.tape" in report["imported"]
    assert report["leaked"] == []


def test_quiz_imports_no_terminal_library() -> None:
    """The quiz logic is engine-side too: it loads without textual or rich."""
    if importlib.util.find_spec("backprop_tutor.quiz") is None:
        pytest.skip("backprop_tutor.quiz does not exist yet")
    report = probe("backprop_tutor.quiz")
    assert report["leaked"] == []


def test_the_probe_can_see_a_leak() -> None:
    """The probe itself detects a UI import (so the tests above can fail)."""
    report = probe("rich.text")
    assert "rich" in report["leaked"]
