"""A throwaway PostgreSQL for the fault drill: its own data directory, port and socket."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
from contextlib import suppress
from pathlib import Path

from tools.ops.processes import HOST, free_port

PG_BINARIES = ("initdb", "pg_ctl", "postgres", "createdb")
PG_USER = "postgres"


class DrillUnavailable(RuntimeError):
    """This machine cannot run the drill (no PostgreSQL binaries, no postgres user)."""


def postgres_bindir() -> Path | None:
    """PostgreSQL's server binaries: ``VALGOMAT_PG_BINDIR``, Debian's newest, or PATH."""
    candidates = []
    if os.environ.get("VALGOMAT_PG_BINDIR"):
        candidates.append(Path(os.environ["VALGOMAT_PG_BINDIR"]))
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(versions, key=lambda p: _version_key(p.parent.name), reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for directory in candidates:
        if all((directory / tool).exists() for tool in PG_BINARIES):
            return directory
    return None


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


def unavailable_reason() -> str | None:
    """Why the drill cannot run on this machine, or None when it can."""
    if postgres_bindir() is None:
        return ("PostgreSQL server binaries (initdb, pg_ctl, postgres, createdb) not found in "
                "/usr/lib/postgresql/*/bin or on PATH; install postgresql or set "
                "VALGOMAT_PG_BINDIR")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(PG_USER)
        except KeyError:
            return "running as root, and there is no 'postgres' OS user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root, and runuser is missing to run PostgreSQL as 'postgres'"
    return None


class Postgres:
    """A throw-away PostgreSQL cluster in a temporary directory, on a free loopback port."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="valgomat-drill-pg-"))
        self.data = self.root / "data"
        self.log_path = self.root / "postgres.log"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:  # PostgreSQL refuses to run as root: the directory is postgres's
            user = pwd.getpwnam(PG_USER)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self.postmaster_pid: int | None = None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{PG_USER}@{HOST}:{self.port}/valgomat"

    def _run(self, tool: str, *args: str, timeout: float = 120,
             check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", PG_USER, "--", *command]
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True,
                              timeout=timeout, check=False, stdin=subprocess.DEVNULL)
        if check and done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
                               f"\n{self.log_tail()}")
        return done

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", PG_USER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        self.start()
        self._run("createdb", "-h", HOST, "-p", str(self.port), "-U", PG_USER, "valgomat")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses={HOST} "
                   "-c fsync=off -c full_page_writes=off")
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log_path), "-w",
                  "-t", "60", "-o", options)
        self.postmaster_pid = self._read_pid()

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w", "-t", "60")

    def running(self) -> bool:
        return self._run("pg_ctl", "status", "-D", str(self.data), check=False).returncode == 0

    def _read_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def cleanup(self) -> None:
        """Stop the cluster however it is, then remove its directory."""
        try:
            if self.data.exists() and self.running():
                self.stop("immediate")
        except (OSError, RuntimeError, subprocess.TimeoutExpired):
            pid = self._read_pid() or self.postmaster_pid
            if pid:  # only the postmaster this drill started
                with suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)
