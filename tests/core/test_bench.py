"""The benchmark runs, and its plain-Python loop agrees with score_batch."""

from __future__ import annotations

import pytest

from tools.bench import main


@pytest.mark.parametrize(("method", "missing"), [("cityblock", "neutral"),
                                                 ("hybrid", "exclude"),
                                                 ("euclidean", "farthest")])
def test_bench_agrees_with_the_loop(method: str, missing: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--voters", "5000", "--loop-voters", "300", "--seed", "7",
                 "--method", method, "--missing", missing]) == 0
    out = capsys.readouterr().out
    assert "voters/s" in out and "speed-up" in out
