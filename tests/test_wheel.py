"""The wheel is what a server installs: it must hold everything a served app reads
besides code, and nothing of the development tools, and it must run on its own.

The wheel is built from a copy of the checkout (setuptools' in-tree ``build/`` could
otherwise lend it files that the package data no longer names), with the
translations compiled there. It is installed into a fresh virtualenv outside the
repository with the runtime lockfile's exact, hash-checked dependencies, and then
migrates a new SQLite database and serves a page and its stylesheet through gunicorn
from a working directory outside the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.ops import processes

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
# What the wheel is built from: the package, the method text its symlink points to, and
# tools/, so that a packaging rule that took the tools in would show here.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "valgomat", "docs", "tools")
NOT_COPIED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
DEV_TOOL_NAMES = {"tools", "bench", "audit_bench", "match_bench", "loadbench", "faultdrill",
                  "ops"}
# Data the served app reads, as folders of the package whose every file must be there.
DATA_FOLDERS = ("templates", "static", "storage/migrations")


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 300) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    checkout = tmp_path_factory.mktemp("wheel-source") / "valgomat-checkout"
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, checkout / name, symlinks=True, ignore=NOT_COPIED)
        elif path.exists():
            checkout.mkdir(exist_ok=True)
            shutil.copy2(path, checkout / name)
    run([sys.executable, "-m", "babel.messages.frontend", "compile", "-d",
         "valgomat/translations"], cwd=checkout)
    return checkout


@pytest.fixture(scope="module")
def wheel(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
         str(out), str(source)], cwd=out)
    (built,) = out.glob("valgomat-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def package_files(source: Path, pattern: str) -> set[str]:
    """The files under ``source/valgomat`` matching ``pattern``, as wheel names."""
    return {path.relative_to(source).as_posix()
            for path in (source / "valgomat").glob(pattern) if path.is_file()}


def test_the_wheel_holds_every_template_static_file_and_migration(
        source: Path, wheel_names: set[str]) -> None:
    expected = set()
    for folder in DATA_FOLDERS:
        expected |= package_files(source, f"{folder}/**/*")
    expected |= package_files(source, "*/templates/**/*")
    assert {"valgomat/storage/migrations/env.py", "valgomat/storage/migrations/alembic.ini",
            "valgomat/storage/migrations/script.py.mako"} <= expected
    assert any("/versions/" in name for name in expected)
    assert any(name.startswith("valgomat/voter/templates/") for name in expected)
    assert sorted(expected - wheel_names) == []


def test_the_wheel_holds_the_compiled_translations(source: Path,
                                                   wheel_names: set[str]) -> None:
    catalogues = package_files(source, "translations/*/LC_MESSAGES/*.po")
    assert len(catalogues) >= 4  # nb, sv, de, en
    compiled = {name.removesuffix(".po") + ".mo" for name in catalogues}
    assert sorted(compiled - wheel_names) == []


def test_the_wheel_holds_the_method_text_not_a_link(wheel: Path) -> None:
    """valgomat/voter/method.md is a symlink to docs/method.md in the checkout."""
    assert (ROOT / "valgomat" / "voter" / "method.md").is_symlink()
    with zipfile.ZipFile(wheel) as archive:
        packed = archive.read("valgomat/voter/method.md")
    assert packed == (ROOT / "docs" / "method.md").read_bytes()


def test_the_wheel_holds_none_of_the_dev_tools(wheel_names: set[str]) -> None:
    assert [name for name in wheel_names
            if DEV_TOOL_NAMES & {part.removesuffix(".py") for part in name.split("/")}] == []


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the runtime lockfile and the wheel, outside the repository."""
    venv = tmp_path_factory.mktemp("wheel-venv") / "venv"
    # This pip installs into it, without byte-compiling: a third of the time otherwise.
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv.parent)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
           "--quiet", "--no-compile"]
    run([*pip, "--require-hashes", "-r", str(RUNTIME_LOCK)], cwd=venv.parent)
    run([*pip, "--no-deps", str(wheel)], cwd=venv.parent)
    return venv


def installed_env(work: Path) -> dict[str, str]:
    """This environment less anything that would point into the checkout or configure
    the app, plus a new SQLite database in ``work``."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("VALGOMAT_", "PYTHON", "VIRTUAL_ENV"))}
    env.update({"VALGOMAT_DATABASE_URL": f"sqlite:///{work / 'valgomat.sqlite3'}",
                "WEB_CONCURRENCY": "1", "PYTHONUNBUFFERED": "1"})
    return env


@pytest.fixture(scope="module")
def server(installed: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[processes.Server]:
    work = tmp_path_factory.mktemp("wheel-run")
    env = installed_env(work)
    where = run([str(installed / "bin" / "python"), "-c",
                 "import valgomat; print(valgomat.__file__)"], cwd=work, env=env)
    assert Path(where.strip()).is_relative_to(installed)
    run([str(installed / "bin" / "valgomat"), "db", "upgrade"], cwd=work, env=env)
    port = processes.free_port()
    log_path = work / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(installed / "bin" / "gunicorn"), "--config", "python:valgomat.gunicorn_conf",
             "--bind", f"{processes.HOST}:{port}", "valgomat:create_app()"],
            cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    running = processes.Server("wheel", process, port, log_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"gunicorn exited:\n{running.log()[-3000:]}"
            try:
                processes.http_request(port, "/nb/", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, f"no answer:\n{running.log()[-3000:]}"
                time.sleep(0.2)
        yield running
    finally:
        running.stop()


def test_the_installed_wheel_serves_a_page_and_its_static_files(
        server: processes.Server) -> None:
    status, body, headers = processes.http_request(server.port, "/nb/")
    assert status == 200, server.log()[-3000:]
    assert headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert "<html" in page
    linked = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert linked, page[:2000]
    status, body, _ = processes.http_request(server.port, linked[0].replace("&amp;", "&"))
    assert status == 200, linked[0]
    assert body
