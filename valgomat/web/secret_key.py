"""The development secret key: random, made once per install, kept in ``instance/``.

Without ``PRODUCTION`` and without a configured ``SECRET_KEY`` (``make run`` on a
fresh checkout), sessions are signed with the key in ``instance/secret_key``. The
first start writes it; every later start, and every gunicorn worker, reads the same
one. Production never comes here: there the operator sets the key.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

KEY_FILE = "secret_key"


def instance_secret_key(instance_dir: Path) -> str:
    """The key in ``instance_dir/secret_key``, created (mode 0600) when there is none."""
    path = instance_dir / KEY_FILE
    if not path.exists():
        _create_once(path)
    return path.read_text().strip()


def _create_once(path: Path) -> None:
    """Write a fresh key next to ``path`` and link it into place: the link fails when
    another process got there first, so starters racing each other all end up reading
    the one complete file that won (never a half-written one, never two keys)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, draft = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")  # mode 0600
    try:
        with os.fdopen(handle, "w") as file:
            file.write(secrets.token_hex(32) + "\n")
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another starter's key is the one
            os.link(draft, path)
    finally:
        os.unlink(draft)
