"""How hard the generated-input tests try, and the hostile inputs they share.

CI runs them at their normal size (``VALGOMAT_FUZZ_SCALE`` unset, 1). A long run,
for example before an election, multiplies every count:
``VALGOMAT_FUZZ_SCALE=20 make test PYTEST_ARGS="-m fuzz"``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import strategies as st

SCALE = max(1, int(os.environ.get("VALGOMAT_FUZZ_SCALE", "1") or "1"))
fuzz = pytest.mark.fuzz


def examples(count: int) -> int:
    """``count`` generated cases, times ``VALGOMAT_FUZZ_SCALE``."""
    return count * SCALE


# Hostile numbers: digits that str.isdigit() accepts but int() does not (¹ ₁ Ⅻ), or that
# int() accepts although they are not ASCII (٣ ７), and integers longer than Python
# converts between text and int (sys.int_info.str_digits_check_threshold, 4,300 digits).
UNICODE_DIGITS = ("¹", "₁", "٣", "７", "Ⅻ", "1¹", "²5")
HUGE_INTEGER = "9" * 5000
HOSTILE_NUMBERS = (*UNICODE_DIGITS, HUGE_INTEGER, "-" + HUGE_INTEGER, "1" * 30, "0" * 20 + "1")
hostile_numbers = st.sampled_from(HOSTILE_NUMBERS) | st.text(
    st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=6)


def huge_integer_body(field: str = "answers") -> bytes:
    """A match body with a JSON integer of 5,000 digits (json.dumps cannot write one)."""
    if field == "answers":
        return b'{"answers": {"toll-ring": ' + HUGE_INTEGER.encode() + b"}}"
    return (b'{"answers": {"toll-ring": 1}, "' + field.encode() + b'": '
            + HUGE_INTEGER.encode() + b"}")


def many_party_quiz(folder: Path, parties: int) -> Path:
    """The gate's ``skewed`` test quiz with ``parties`` parties in all, more than the audit
    simulates when over 62 (first places are bit sets in an int64)."""
    skewed = Path(__file__).parent / "data" / "gate" / "skewed"
    shutil.copytree(skewed, folder)
    template = (skewed / "positions" / "skewed" / "centre.yaml").read_text("utf-8")
    for number in range(parties - 3):
        (folder / "positions" / "skewed" / f"list-{number}.yaml").write_text(
            template.replace("id: centre", f"id: list-{number}")
                    .replace("name: Centre", f"name: List {number}")
                    .replace("short_name: C", f"short_name: L{number}")
                    .replace('"#b3261e"', f'"#{number:06x}"'), "utf-8")
    return folder
