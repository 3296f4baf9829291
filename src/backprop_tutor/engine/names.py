"""How names are shown to a learner: Greek letters for Greek names (lambda → λ)."""

from __future__ import annotations

import re

GREEK: dict[str, str] = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "phi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Delta": "Δ",
    "Sigma": "Σ",
    "Omega": "Ω",
}

_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_NAME_WITH_INDEX = re.compile(r"^([A-Za-z]+)_?(\d+)$")


def display_name(name: str) -> str:
    """The name as a learner reads it: `lambda` → λ, `eta` → η, `w1`/`w_1` → w₁."""
    if name in GREEK:
        return GREEK[name]
    match = _NAME_WITH_INDEX.match(name)
    if match:
        stem, index = match.groups()
        return GREEK.get(stem, stem) + index.translate(_SUBSCRIPT)
    return name
