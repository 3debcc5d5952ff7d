"""WCAG 2 relative luminance and contrast ratio of ``#rrggbb`` colours, and palettes
of many distinct colours that keep a contrast (imported parties' colours).

The thresholds belong to the callers: 4.5:1 for text (WCAG AA), 3:1 for
graphics and large text.
"""

from __future__ import annotations

from math import dist

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


def _lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of a ``#rrggbb`` colour."""
    red, green, blue = (_linear(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    xyz = (0.4124 * red + 0.3576 * green + 0.1805 * blue,
           0.2126 * red + 0.7152 * green + 0.0722 * blue,
           0.0193 * red + 0.1192 * green + 0.9505 * blue)
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
                  for t in (xyz[0] / 0.95047, xyz[1], xyz[2] / 1.08883))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def categorical_palette(count: int, background: str, minimum: float,
                        avoid: tuple[str, ...] = ()) -> tuple[str, ...]:
    """``count`` colours for as many categories, each at least ``minimum``:1 against
    ``background`` and as far apart as can be: Glasbey's method (each colour the one
    farthest, in CIELAB, from those taken and from ``background`` and ``avoid``), over
    an sRGB grid. Deterministic: the same arguments give the same palette."""
    levels = range(0, 256, 17)  # 16 steps a channel: 4,096 candidates
    grid = (f"#{r:02x}{g:02x}{b:02x}" for r in levels for g in levels for b in levels)
    candidates = {colour: _lab(colour) for colour in grid
                  if contrast(colour, background) >= minimum}
    taken = [_lab(colour) for colour in (background, *avoid)]
    nearest = {colour: min(dist(lab, t) for t in taken)
               for colour, lab in candidates.items()}
    palette: list[str] = []
    while len(palette) < count and nearest:
        chosen = max(nearest, key=lambda colour: (nearest[colour], colour))
        palette.append(chosen)
        lab = candidates[chosen]
        del nearest[chosen]
        for colour in nearest:
            nearest[colour] = min(nearest[colour], dist(candidates[colour], lab))
    return tuple(palette)
