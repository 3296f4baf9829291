"""How the app writes numbers: exact integers plainly, others to 6 decimals."""

from __future__ import annotations


def fmt(value: float) -> str:
    """A number as the lesson prints it: `2`, `0.142857`, `−0.017493` (Unicode minus)."""
    if float(value).is_integer() and abs(value) < 1e15:
        text = str(int(value))
    elif value != 0 and abs(value) < 1e-6:
        text = f"{value:.3e}"
    else:
        text = f"{value:.6f}"
    return text.replace("-", "−")
