"""A made-up Wahl-O-Mat election as big as a Bundestag election (38 statements × 38
parties), in the qual-o-mat-data format, with texts as long as the real ones: theses
of about 90 characters, justifications of about 340, long party names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

STATEMENTS = 38
PARTIES = 38
SLUG = "grosswahl2029"
THESIS = ("Der Bund soll die Förderung für Vorhaben der Nummer {n} in allen Ländern "
          "deutlich erhöhen.")
REASON = ("Wir stehen für eine verlässliche Politik in dieser Frage. Deshalb setzen wir uns "
          "seit Jahren dafür ein, die Lage der Menschen vor Ort spürbar zu verbessern, die "
          "Kommunen zu entlasten und die Verfahren zu vereinfachen. Das gilt auch für "
          "Vorhaben {n}, über das wir mit allen Beteiligten offen reden wollen, bevor etwas "
          "entschieden wird.")


def write_big_election(folder: Path) -> Path:
    """The election's files in ``folder``; import it with ``read_election(folder)``."""
    folder.mkdir(parents=True, exist_ok=True)
    tables: dict[str, Any] = {
        "overview.json": {"title": "Große Wahl 2029", "date": "2029-09-23",
                          "info": "https://example.org/wahl", "slug": SLUG,
                          "data_source": "https://example.org/"},
        "answer.json": [{"id": 0, "message": "Stimme zu"}, {"id": 1, "message": "Neutral"},
                        {"id": 2, "message": "Stimme nicht zu"}],
        "statement.json": [{"id": n, "category": None, "label": f"These {n}",
                            "text": THESIS.format(n=n)} for n in range(STATEMENTS)],
        "party.json": [{"id": n, "name": f"Partei {n}",
                        "longname": f"Partei für Fortschritt und Gerechtigkeit Nummer {n} e.V."}
                       for n in range(PARTIES)],
        "comment.json": [{"id": n, "text": REASON.format(n=n)}
                         for n in range(STATEMENTS * PARTIES)],
        "opinion.json": [{"id": p * STATEMENTS + s, "party": p, "statement": s,
                          "answer": (p + s) % 3 if (p * s) % 7 else 1,
                          "comment": p * STATEMENTS + s}
                         for p in range(PARTIES) for s in range(STATEMENTS)],
    }
    for name, data in tables.items():
        (folder / name).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return folder
