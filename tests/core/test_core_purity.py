"""valgomat.core stays pure: importing it loads no web framework or database layer."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "jinja2", "wtforms", "flask_sqlalchemy")

PROGRAM = """
import importlib, json, pkgutil, sys
import valgomat.core
names = [m.name for m in pkgutil.walk_packages(valgomat.core.__path__, "valgomat.core.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": sorted(sys.modules)}))
"""


def test_core_imports_no_web_or_database_layer() -> None:
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                          check=True)
    report = json.loads(done.stdout)
    assert "valgomat.core.matching" in report["modules"]
    assert "valgomat.core.scoring" in report["modules"]
    loaded = {name.split(".")[0] for name in report["loaded"]}
    assert loaded.isdisjoint(FORBIDDEN), sorted(loaded & set(FORBIDDEN))
