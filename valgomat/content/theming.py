"""Partner themes for the embed: validated values turned into a small stylesheet.

A profile holds two colours, a font choice from a fixed list of system font
stacks, a corner radius and an optional logo (PNG, JPEG or WebP, checked by
its bytes). No free CSS and no URLs: the stylesheet is built here, and both
colours must keep WCAG AA contrast (4.5:1) against white.
"""

from __future__ import annotations

from typing import Any

from valgomat.content.image_size import image_size
from valgomat.core.colour import WHITE, contrast

FONTS = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
              "sans-serif",
    "serif": 'Georgia, Cambria, "Times New Roman", serif',
    "humanist": '"Gill Sans", "Gill Sans MT", Seravek, "Trebuchet MS", Calibri, sans-serif',
    "rounded": 'ui-rounded, "SF Pro Rounded", "Arial Rounded MT", system-ui, sans-serif',
}
MIN_CONTRAST = 4.5  # WCAG AA for text: white on the brand colour, links in the accent
MAX_LOGO_BYTES = 200 * 1024
MAX_LOGO_SIDE = 2000  # pixels; the logo is shown at most 12rem × 2.5rem
LOGO_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def contrast_problems(brand: str, accent: str) -> dict[str, str]:
    """Field name → message for every colour that fails AA against white."""
    problems = {}
    for field, colour, use in (("brand_colour", brand, "button text (white on it)"),
                               ("accent_colour", accent, "links and focus rings on white")):
        ratio = contrast(colour, WHITE)
        if ratio < MIN_CONTRAST:
            problems[field] = (f"{colour} has a contrast of {ratio:.2f}:1 with white; "
                               f"{use} needs at least {MIN_CONTRAST}:1 (WCAG AA). "
                               "Choose a darker colour.")
    return problems


def logo_type(data: bytes) -> str | None:
    """The image type of an uploaded logo, or None when it is not an accepted image."""
    if not data or len(data) > MAX_LOGO_BYTES:
        return None
    for signature, mime in LOGO_SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def logo_problem(data: bytes) -> str | None:
    """Why an uploaded logo is refused (the form's message), or None."""
    size = image_size(data) if logo_type(data) else None
    if size is None:
        return "The logo must be a PNG, JPEG or WebP image of at most 200 KB."
    width, height = size
    if max(width, height) > MAX_LOGO_SIDE:
        return (f"The logo is {width} × {height} pixels; it may have at most "
                f"{MAX_LOGO_SIDE} × {MAX_LOGO_SIDE} pixels.")
    return None


def stylesheet(profile: Any) -> str:
    """The theme's CSS: custom properties and the few rules that use them."""
    return "\n".join([
        f":root {{ --accent: {profile.accent_colour}; --focus: {profile.accent_colour}; "
        f"--brand: {profile.brand_colour}; --radius: {int(profile.radius)}px; }}",
        f"body {{ font-family: {FONTS.get(profile.font, FONTS['system'])}; }}",
        ".button.primary { background: var(--brand); border-color: var(--brand); }",
        ".button, .option, .share-link, .privacy, .notice, .warning { border-radius: "
        "var(--radius); }",
        "progress::-webkit-progress-value { background: var(--brand); }",
        "progress::-moz-progress-bar { background: var(--brand); }",
        ".embed-logo { display: block; max-height: 2.5rem; max-width: 12rem; margin: .5rem "
        ".75rem 0; }",
    ]) + "\n"
