"""Template helpers for the risk pages."""

from __future__ import annotations

from django import template
from django.utils.formats import get_format

from toezicht.risk.engine.explain import dutch_number

register = template.Library()


@register.filter
def text_colour(background: str) -> str:
    """Black or white, whichever contrasts most with the hexadecimal ``background`` (WCAG luminance)."""
    value = (background or "#ffffff").lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    try:
        channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    except ValueError:
        return "#000000"
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


@register.filter
def nl(value: float | None, digits: int = 1) -> str:
    """A number without trailing zeros, with the decimal separator of the user's language (the name is
    from when the pages were Dutch only)."""
    if value is None:
        return "—"
    return dutch_number(float(value), int(digits)).replace(",", str(get_format("DECIMAL_SEPARATOR")))


@register.filter
def percent_width(value: float | None) -> int:
    """0..1 → 0..100 for bar widths."""
    if not value:
        return 0
    return max(0, min(100, round(float(value) * 100)))
