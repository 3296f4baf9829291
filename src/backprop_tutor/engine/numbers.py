"""How every front end writes a number: one rule, so a value reads the same everywhere."""

from __future__ import annotations

from fractions import Fraction

DECIMALS = 6
# Below this a fixed six decimals would lose the figures that matter (0.000000 for 3e-7).
SMALL = 1e-4
# Integers this large print as digits; beyond it they are written with an exponent.
LARGE_INTEGER = 1e15


def format_number(value: float | Fraction, *, fixed: bool = False) -> str:
    """A number as the lesson writes it: `2`, `0.5`, `−0.017493`, `3.05916e−05`.

    Whole numbers are written as they are. Others get six decimals, with trailing zeros
    dropped unless `fixed` (tables and quiz values keep them, so columns line up);
    numbers too small for six decimals keep six significant figures instead. The minus
    sign is Unicode's, and −0 is written 0.
    """
    x = float(value)
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < LARGE_INTEGER:
        text = str(int(x))
    elif abs(x) < SMALL or abs(x) >= LARGE_INTEGER:
        text = f"{x:.6g}"
    else:
        text = f"{x:.{DECIMALS}f}"
        if not fixed:
            text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−")


def format_coefficient(value: Fraction | float) -> str:
    """A coefficient inside a formula, in ASCII so it parses back: 2, 0.5, 0.285714."""
    return format_number(value).replace("−", "-")
