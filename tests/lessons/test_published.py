"""Lessons written from published worked examples: the engine gets the published numbers.

Each number below is the one printed in the source named at the top of its lesson file
(rounded as printed there, so compared to that many places).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backprop_tutor.engine import StepTrace, load_lesson, run_lesson

PUBLISHED = Path(__file__).parent / "published"


def first_step(name: str) -> StepTrace:
    """The trace of a published lesson's first step."""
    return run_lesson(load_lesson(PUBLISHED / f"{name}.toml"))[0]


def test_the_folder_holds_six_lessons() -> None:
    """At least six published examples, every one of them tested below."""
    assert len(list(PUBLISHED.glob("*.toml"))) >= 6


def test_mazur_2_2_2_network() -> None:
    """Mazur: forward values, E_total and every weight after one update at η = 0.5."""
    t = first_step("mazur-2-2-2")
    assert t.values["h1"] == pytest.approx(0.593269992, abs=1e-9)
    assert t.values["o1"] == pytest.approx(0.75136507, abs=1e-8)
    assert t.values["o2"] == pytest.approx(0.772928465, abs=1e-9)
    assert t.values["E"] == pytest.approx(0.298371109, abs=1e-9)
    after = {
        "w5": 0.35891648,
        "w6": 0.408666186,
        "w7": 0.511301270,
        "w8": 0.561370121,
        "w1": 0.149780716,
        "w2": 0.19956143,
        "w3": 0.24975114,
        "w4": 0.29950229,
    }
    for name, value in after.items():
        assert t.params_after[name] == pytest.approx(value, abs=1e-8), name


def test_cs231n_sum_then_product() -> None:
    """f = (x + y)·z at (−2, 5, −4): f = −12, ∂f/∂x = ∂f/∂y = −4, ∂f/∂z = 3."""
    t = first_step("circuit-sum-product")
    assert t.values["f"] == -12
    assert (t.grads["x"], t.grads["y"], t.grads["z"], t.grads["q"]) == (-4, -4, 3, -4)


def test_olah_two_roads_to_b() -> None:
    """e = (a + b)(b + 1) at (2, 1): c = 3, d = 2, e = 6, ∂e/∂a = 2, ∂e/∂b = 5."""
    t = first_step("shared-b")
    assert (t.values["c"], t.values["d"], t.values["e"]) == (3, 2, 6)
    assert (t.grads["a"], t.grads["b"]) == (2, 5)
    assert t.path_count("b") == 2


def test_cs231n_max_gate() -> None:
    """f = 2·(x·y + max(z, w)) at (3, −4, 2, −1): f = −20; z gets 2, w gets 0; x −8, y 6."""
    t = first_step("max-gate")
    assert t.values["f"] == -20
    assert (t.grads["x"], t.grads["y"], t.grads["z"], t.grads["w"]) == (-8, 6, 2, 0)


def test_micrograd_readme_expression() -> None:
    """micrograd's README: g = 24.7041, ∂g/∂a = 138.8338, ∂g/∂b = 645.5773."""
    t = first_step("micrograd-readme")
    assert t.values["g"] == pytest.approx(24.7041, abs=5e-5)
    assert t.grads["a"] == pytest.approx(138.8338, abs=5e-5)
    assert t.grads["b"] == pytest.approx(645.5773, abs=5e-5)


def test_cs231n_sigmoid_neuron() -> None:
    """The 2-D neuron: f ≈ 0.73, ∂f/∂x ≈ [0.39, −0.59], ∂f/∂w ≈ [−0.20, −0.39, 0.20]."""
    t = first_step("sigmoid-neuron")
    assert t.values["f"] == pytest.approx(0.73, abs=5e-3)
    grads = [t.grads[n] for n in ("x0", "x1", "w0", "w1", "w2")]
    assert grads == pytest.approx([0.39, -0.59, -0.20, -0.39, 0.20], abs=5e-3)
