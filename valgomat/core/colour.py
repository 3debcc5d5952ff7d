"""WCAG 2 relative luminance and contrast ratio of ``#rrggbb`` colours.

The thresholds belong to the callers: 4.5:1 for text (WCAG AA), 3:1 for
graphics and large text.
"""

from __future__ import annotations

BLACK, WHITE = "#000000", "#ffffff"


def _linear(value: int) -> float:
    channel = value / 255
    return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _linear(red) + 0.7152 * _linear(green) + 0.0722 * _linear(blue)


def contrast(first: str, second: str) -> float:
    """From 1 (the same luminance) to 21 (black on white)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
