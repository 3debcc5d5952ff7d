"""How hard the generated-input tests try.

CI runs them at their normal size (``VALGOMAT_FUZZ_SCALE`` unset, 1). A long run,
for example before an election, multiplies every count:
``VALGOMAT_FUZZ_SCALE=20 make test PYTEST_ARGS="-m fuzz"``.
"""

from __future__ import annotations

import os

import pytest

SCALE = max(1, int(os.environ.get("VALGOMAT_FUZZ_SCALE", "1") or "1"))
fuzz = pytest.mark.fuzz


def examples(count: int) -> int:
    """``count`` generated cases, times ``VALGOMAT_FUZZ_SCALE``."""
    return count * SCALE
