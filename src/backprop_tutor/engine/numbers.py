"""How every front end writes a number: one rule, so a value reads the same everywhere."""

from __future__ import annotations

from fractions import Fraction

SIGNIFICANT = 6
# Decimals a coefficient inside a formula keeps.
COEFFICIENT_DECIMALS = 6
# Below this a plain decimal would start with too many zeros to read (0.0000003).
SMALL = 1e-4
# Integers this large print as digits; beyond it they are written with an exponent.
LARGE_INTEGER = 1e15


def format_number(value: float | Fraction, *, significant: int = SIGNIFICANT) -> str:
    """A number as the lesson writes it: `2`, `0.1`, `−3.1`, `0.000305916`, `3.05916e−05`.

    Six significant figures, trailing zeros dropped, so an exact value reads as it is
    (0.1, −3.1) and a small one keeps its figures (0.000305916); 1/7 is 0.142857. Whole
    numbers are written as they are. `significant` is for a view with no room for six (a
    graph's boxes when narrow). The minus sign is Unicode's, and −0 is written 0.
    """
    x = float(value)
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < LARGE_INTEGER:
        text = str(int(x))
    else:
        text = f"{x:.{significant}g}"
        if "e" in text and SMALL <= abs(x) < LARGE_INTEGER:
            # 123456.7 rounds to 123457: a whole number, not 1.23457e+05.
            text = f"{round(x):d}"
    return text.replace("-", "−")


def format_coefficient(value: Fraction | float) -> str:
    """A coefficient inside a formula, in ASCII so it parses back: 2, 0.5, 0.285714.

    Formulas keep six decimals (1/3.086161), the precision they have always had, so a
    formula reads the same whatever the size of its numbers.
    """
    x = float(value)
    if x == 0 or (x.is_integer() and abs(x) < LARGE_INTEGER):
        return format_number(x).replace("−", "-")
    if abs(x) < SMALL or abs(x) >= LARGE_INTEGER:
        return f"{x:.{SIGNIFICANT}g}"
    return f"{x:.{COEFFICIENT_DECIMALS}f}".rstrip("0").rstrip(".")
