"""Small inline SVG charts, generated on the server. Pure Python, no Django, no JavaScript.

Every chart has a <title> and <desc> (read by screen readers); pages show the same numbers in a table.
Colours have enough contrast on white; breaches are marked by shape as well as colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

LINE = "#154273"
THRESHOLD = "#b45309"
BREACH = "#d52b1e"
GRID = "#8c8c8c"
TEXT = "#1a1a1a"


@dataclass(frozen=True)
class ChartPoint:
    label: str
    value: float
    marked: bool = False


def _number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def line_chart(
    points: Sequence[ChartPoint],
    *,
    title: str,
    desc: str,
    threshold: float | None = None,
    threshold_label: str = "",
    width: int = 640,
    height: int = 220,
    y_min: float | None = None,
    y_max: float | None = None,
    y_format: Callable[[float], str] = _number,
    chart_id: str = "grafiek",
    compact: bool = False,
) -> str:
    """A line chart with an optional horizontal threshold line; marked points are drawn as red squares."""
    left, right, top, bottom = (36, 8, 8, 20) if compact else (56, 16, 16, 40)
    plot_w = width - left - right
    plot_h = height - top - bottom
    values = [p.value for p in points]
    extra = [threshold] if threshold is not None else []
    low = y_min if y_min is not None else min([*values, *extra], default=0.0)
    high = y_max if y_max is not None else max([*values, *extra], default=1.0)
    if high <= low:
        high = low + 1.0
    pad = 0.0 if (y_min is not None and y_max is not None) else (high - low) * 0.08
    low_v, high_v = low - (pad if y_min is None else 0.0), high + (pad if y_max is None else 0.0)

    def x(i: int) -> float:
        if len(points) <= 1:
            return left + plot_w / 2
        return left + plot_w * i / (len(points) - 1)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - low_v) / (high_v - low_v))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'class="app-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'preserveAspectRatio="xMinYMin meet" style="max-width:{width}px">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#ffffff" stroke="{GRID}"/>',
    ]
    ticks = 2 if compact else 4
    for t in range(ticks + 1):
        value = low_v + (high_v - low_v) * t / ticks
        ty = y(value)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{GRID}" '
            f'stroke-opacity="0.35"/>'
            f'<text x="{left - 4}" y="{ty + 4:.1f}" text-anchor="end" font-size="{10 if compact else 12}" '
            f'fill="{TEXT}">{escape(y_format(value))}</text>'
        )
    if points:
        every = max(1, len(points) // (4 if compact else 8))
        for i, point in enumerate(points):
            if i % every and i != len(points) - 1:
                continue
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - (4 if compact else 14)}" text-anchor="middle" '
                f'font-size="{10 if compact else 12}" fill="{TEXT}">{escape(point.label)}</text>'
            )
    if threshold is not None and low_v <= threshold <= high_v:
        ty = y(threshold)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{THRESHOLD}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        if threshold_label and not compact:
            parts.append(
                f'<text x="{left + plot_w - 4}" y="{ty - 5:.1f}" text-anchor="end" font-size="12" '
                f'fill="{THRESHOLD}">{escape(threshold_label)}</text>'
            )
    if points:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(p.value):.1f}" for i, p in enumerate(points))
        parts.append(f'<path d="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
        for i, point in enumerate(points):
            cx, cy = x(i), y(point.value)
            if point.marked:
                size = 4 if compact else 5
                parts.append(
                    f'<rect x="{cx - size:.1f}" y="{cy - size:.1f}" width="{2 * size}" height="{2 * size}" '
                    f'fill="{BREACH}"/>'
                )
            elif not compact or len(points) <= 12:
                parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="2.5" fill="{LINE}"/>')
    parts.append("</svg>")
    return "".join(parts)


def percent(value: float) -> str:
    return f"{round(value)} %"
