"""Dutch formatting helpers for every text a user can read (numbers, percentages, quarters, lists)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def number(value: float, decimals: int = 0) -> str:
    """Format a number the Dutch way: 1.240 or 12,5."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def hours(value: float) -> str:
    return f"{number(round(value))} uur"


def percent(fraction: float, decimals: int = 1) -> str:
    """0.008 -> '0,8 %'; whole percentages are printed without decimals."""
    pct = fraction * 100.0
    if abs(pct - round(pct)) < 10 ** (-decimals) / 2:
        return f"{number(round(pct))} %"
    return f"{number(pct, decimals)} %"


def gap_percent(fraction: float) -> str:
    """Gaps are small; show two significant decimals when below 0,1 %."""
    if fraction < 0.001:
        return percent(fraction, 2)
    return percent(fraction, 1)


def quarter(q: int) -> str:
    return f"Q{q}"


def quarters(qs: Iterable[int]) -> str:
    """Compact Dutch notation for a set of quarters: 'Q1–Q3', 'Q1, Q3 en Q4'."""
    ordered = sorted(set(qs))
    if not ordered:
        return "geen kwartaal"
    runs: list[tuple[int, int]] = []
    for q in ordered:
        if runs and runs[-1][1] == q - 1:
            runs[-1] = (runs[-1][0], q)
        else:
            runs.append((q, q))
    parts = [quarter(a) if a == b else f"{quarter(a)}–{quarter(b)}" for a, b in runs]
    return join(parts)


def join(parts: Sequence[str], last: str = "en") -> str:
    """'A', 'A en B', 'A, B en C'."""
    parts = [p for p in parts if p]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} {last} {parts[-1]}"


def quoted(title: str) -> str:
    return f"‘{title}’"


def count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"
