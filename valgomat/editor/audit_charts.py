"""Server-rendered SVG charts of an audit, accessible without colour or sight.

Each function returns one ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
that states the figures in words; the numbers are also printed in the chart, so
colour never carries meaning alone. The caller renders the data table next to it
(``shares_rows`` and ``distance_rows`` give its rows). All text is escaped, and
only SVG presentation attributes are used (the site's CSP forbids inline styles).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from valgomat.core.audit.report import AuditReport
from valgomat.core.colour import BLACK, WHITE, luminance
from valgomat.core.model import Quiz

HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
FONT = 'font-family="system-ui, sans-serif" font-size="13"'
# Black and white text contrast equally on this luminance, √(1.05 × 0.05) − 0.05, both by
# at least 4.58:1, so a cell's figure keeps WCAG AA (4.5:1) whatever its shade.
BLACK_TEXT_ABOVE = 0.179
LABEL_WIDTH, BAR_WIDTH, ROW, TOP = 250, 360, 28, 34
CELL, HEAT_LABEL = 58, 170


def shares_rows(report: AuditReport, quiz: Quiz,
                population: str = "uniform") -> list[tuple[str, float]]:
    """(party name, first-place share) under the quiz's own settings."""
    own = report.population(population).own()
    return [(party.name, share) for party, share in zip(quiz.parties, own.shares, strict=True)]


def distance_rows(report: AuditReport, quiz: Quiz) -> list[tuple[str, list[float | None]]]:
    """(party name, distances to every party in quiz order)."""
    return [(party.name, list(row))
            for party, row in zip(quiz.parties, report.distances.matrix, strict=True)]


def shares_bar_chart(report: AuditReport, quiz: Quiz, population: str = "uniform",
                     id_prefix: str = "audit-shares") -> str:
    """Horizontal bars of first-place shares, with the fair share and the warning bounds."""
    rows, fair = shares_rows(report, quiz, population), report.fair_share
    top = max([share for _, share in rows] + [min(1.0, 3 * fair)])
    top = min(1.0, -(-top * 10 // 1) / 10)  # round up to a tenth

    def x(share: float) -> float:
        return LABEL_WIDTH + BAR_WIDTH * share / top

    height = TOP + ROW * len(rows) + 30
    parts = [_open(LABEL_WIDTH + BAR_WIDTH + 90, height, id_prefix,
                   f"First-place shares of simulated voters ({population})",
                   _shares_desc(rows, fair))]
    for index, (name, share) in enumerate(rows):
        y = TOP + ROW * index
        colour = quiz.parties[index].colour
        fill = colour if HEX.fullmatch(colour) else "#555555"
        parts += [_text(LABEL_WIDTH - 8, y + 18, name, anchor="end"),
                  f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{x(share) - LABEL_WIDTH:.1f}" '
                  f'height="{ROW - 10}" fill={quoteattr(fill)} stroke="#222222" '
                  'stroke-width="0.5"/>',
                  _text(x(share) + 6, y + 18, _pct(share))]
    bottom = TOP + ROW * len(rows)
    dashed = ' stroke-dasharray="4 3"'
    for share, label, dash in ((fair, "fair share", ""), (fair / 3, "÷3", dashed),
                               (3 * fair, "×3", dashed)):
        if share <= top:
            parts += [f'<line x1="{x(share):.1f}" y1="{TOP - 4}" x2="{x(share):.1f}" '
                      f'y2="{bottom}" stroke="#000000" stroke-width="1"{dash}/>',
                      _text(x(share), TOP - 10, label, anchor="middle")]
    parts.append(_text(LABEL_WIDTH, bottom + 20, f"Lines: fair share {_pct(fair)}, "
                       "a third of it (÷3) and three times it (×3)."))
    return "\n".join(parts) + "\n</svg>"


def _shares_desc(rows: list[tuple[str, float]], fair: float) -> str:
    listed = "; ".join(f"{name}: {_pct(share)}" for name, share in rows)
    return (f"Share of simulated voters for whom each party comes first. Fair share "
            f"{_pct(fair)}. {listed}.")


def distance_heat_map(report: AuditReport, quiz: Quiz,
                      id_prefix: str = "audit-distances") -> str:
    """A party × party grid of distances, each cell printed with its number."""
    names = [party.short_name for party in quiz.parties]
    matrix = report.distances.matrix
    size = len(names)
    width, height = HEAT_LABEL + CELL * size + 120, HEAT_LABEL + CELL * size + 10
    parts = [_open(width, height, id_prefix, "Distances between the parties' positions",
                   _distance_desc(quiz, matrix))]
    for column, name in enumerate(names):
        cx = HEAT_LABEL + CELL * column + CELL / 2
        parts.append(f'<text x="{cx:.1f}" y="{HEAT_LABEL - 8}" {FONT} text-anchor="start" '
                     f'transform="rotate(-45 {cx:.1f} {HEAT_LABEL - 8})">{escape(name)}</text>')
    for row, name in enumerate(names):
        y = HEAT_LABEL + CELL * row
        parts.append(_text(HEAT_LABEL - 8, y + CELL / 2 + 5, name, anchor="end"))
        for column, value in enumerate(matrix[row]):
            x = HEAT_LABEL + CELL * column
            fill, ink = _shade(value)
            parts += [f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{fill}" '
                      'stroke="#ffffff" stroke-width="1"/>',
                      f'<text x="{x + CELL / 2:.1f}" y="{y + CELL / 2 + 5:.1f}" {FONT} '
                      f'text-anchor="middle" fill="{ink}">'
                      f'{"–" if value is None else f"{value:.2f}"}</text>']
    return "\n".join(parts) + "\n</svg>"


def _distance_desc(quiz: Quiz, matrix: tuple[tuple[float | None, ...], ...]) -> str:
    pairs = [(value, quiz.parties[i].name, quiz.parties[j].name)
             for i, row in enumerate(matrix) for j, value in enumerate(row)
             if j > i and value is not None]
    text = ("Distance between each pair of parties over the statements both take a position "
            "on, from 0 (the same positions) to 1 (opposite extremes).")
    if pairs:
        near, far = min(pairs), max(pairs)
        text += (f" Closest: {near[1]} and {near[2]} ({near[0]:.2f}). Farthest: {far[1]} and "
                 f"{far[2]} ({far[0]:.2f}).")
    return text


def _shade(value: float | None) -> tuple[str, str]:
    """Cell fill from light (0) to dark blue (1), and a text colour that contrasts."""
    if value is None:
        return "#dddddd", BLACK
    light, dark = (247, 251, 255), (8, 48, 107)
    mix = [round(a + (b - a) * min(max(value, 0.0), 1.0)) for a, b in zip(light, dark,
                                                                          strict=True)]
    fill = "#{:02x}{:02x}{:02x}".format(*mix)
    return fill, (BLACK if luminance(fill) > BLACK_TEXT_ABOVE else WHITE)


def _open(width: float, height: float, prefix: str, title: str, desc: str) -> str:
    ids = f"{prefix}-title {prefix}-desc"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" '
            f"aria-labelledby={quoteattr(ids)}>\n"
            f"<title id={quoteattr(prefix + '-title')}>{escape(title)}</title>\n"
            f"<desc id={quoteattr(prefix + '-desc')}>{escape(desc)}</desc>")


def _text(x: float, y: float, text: str, anchor: str = "start") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" {FONT} text-anchor="{anchor}" fill="#000000">'
            f"{escape(text)}</text>")


def _pct(share: float) -> str:
    return f"{share * 100:.1f} %"
