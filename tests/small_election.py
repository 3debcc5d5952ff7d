"""A small imported (German, quote-free) quiz whose party names sort differently by
code point and by the German alphabet: the 2002 fixture with three other parties."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from flask import Flask

from valgomat.content import lifecycle
from valgomat.content.importers.qualomat import read_election

ELECTION_2002 = Path(__file__).resolve().parent / "data" / "qualomat" / "2002"
SLUG = "wahl"
# Short names whose code-point order (Z before Ä and Ö) is not the German alphabet's.
PARTIES = [{"id": 0, "name": "Zukunft", "longname": "Zukunftspartei Deutschlands"},
           {"id": 1, "name": "Ärzte", "longname": "Partei der Ärztinnen und Ärzte"},
           {"id": 2, "name": "Öko", "longname": None}]


def publish_small_election(app: Flask, folder: Path) -> None:
    shutil.copytree(ELECTION_2002, folder)
    (folder / "party.json").write_text(json.dumps(PARTIES, ensure_ascii=False), "utf-8")
    with app.app_context():
        lifecycle.import_quiz(read_election(folder, SLUG), source="test", publish=True,
                              replace=False)
