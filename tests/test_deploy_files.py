"""deploy/Caddyfile is a configuration Caddy accepts (``caddy validate``).

deploy/nginx.conf is run for real by tests/e2e/test_https_proxy.py and
tests/e2e/test_proxy_cache.py. Without Caddy this test skips, except in CI
(``CI=true``, where .ci/run installs Debian's package), where it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CADDYFILE = Path(__file__).resolve().parents[1] / "deploy" / "Caddyfile"


def test_the_caddyfile_is_valid() -> None:
    caddy = shutil.which("caddy")
    if caddy is None:
        if os.environ.get("CI") == "true":
            pytest.fail("caddy is not installed (CI=true): apt-get install caddy", pytrace=False)
        pytest.skip("caddy is not installed: apt-get install caddy")
    checked = subprocess.run([caddy, "validate", "--config", str(CADDYFILE), "--adapter",
                              "caddyfile"], capture_output=True, text=True, timeout=60,
                             check=False)
    assert checked.returncode == 0, checked.stderr[-3000:]
    assert "Valid configuration" in checked.stdout + checked.stderr
