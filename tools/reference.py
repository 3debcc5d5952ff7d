"""docs/method.md (formulas and the evidence rule) written out literally, one voter and
one party at a time.

Deliberately naive and independent of ``valgomat.core``'s scoring (only the
scales' values come from ``core.scale``): the oracle the tests compare the
vectorised core and the API against, and the loop ``tools.bench`` times.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from valgomat.core.scale import SCALES


def reference_score(answers: Mapping[str, float | None], important: set[str],
                    positions: Mapping[str, float | None], weights: Mapping[str, float], *,
                    scale: int, method: str, missing: str,
                    multiplier: float = 2.0) -> float | None:
    top = max(abs(value) for value in SCALES[scale].values)
    terms: list[tuple[float, float, float]] = []
    evidence = False
    for sid, answer in answers.items():
        omega = weights[sid] * (multiplier if sid in important else 1)
        if answer is None or omega <= 0:
            continue
        v, stated = answer / top, positions.get(sid)
        evidence = evidence or stated is not None
        if stated is None:
            if missing == "exclude":
                continue
            p = 0.0 if missing == "neutral" else (-1.0 if v >= 0 else 1.0)
        else:
            p = stated / top
        terms.append((omega, v, p))
    if not terms or not evidence:  # a score needs a stated position among the answers
        return None
    total = sum(o for o, _, _ in terms)
    city = 100 * (1 - sum(o * abs(v - p) for o, v, p in terms) / (2 * total))
    directional = 100 * (1 + sum(o * v * p for o, v, p in terms) / total) / 2
    if method == "cityblock":
        return city
    if method == "euclidean":
        spread = math.sqrt(sum(o * (v - p) ** 2 for o, v, p in terms))
        return 100 * (1 - spread / (2 * math.sqrt(total)))
    if method == "directional":
        return directional
    return (city + directional) / 2
