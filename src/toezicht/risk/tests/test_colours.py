"""Heatmap cell text stays readable on any matrix colour an analyst configures."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from toezicht.risk.templatetags.risk_tags import nl, percent_width, text_colour


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@given(st.integers(min_value=0, max_value=0xFFFFFF))
def test_text_on_any_background_meets_wcag_aa(value: int) -> None:
    background = f"#{value:06x}"
    text = text_colour(background)
    lighter, darker = sorted((_luminance(background), _luminance(text)), reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5


def test_short_and_broken_colours() -> None:
    assert text_colour("#fff") == "#000000"
    assert text_colour("#000") == "#ffffff"
    assert text_colour("nonsense") == "#000000"


def test_dutch_numbers_and_bar_widths() -> None:
    assert nl(60.0, 1) == "60"
    assert nl(0.4567, 2) == "0,46"
    assert nl(None) == "—"
    assert percent_width(0.456) == 46
    assert percent_width(3) == 100
