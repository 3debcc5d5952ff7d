"""``valgomat export-static``: one published quiz as a self-contained static bundle.

The bundle is a one-page app any static host or CDN can serve: ``index.html``
(the page shell, interface texts rendered from the Flask-Babel catalogues of one
language), ``quiz.json`` (the published version exactly as the API serves it),
``valgomat.css`` and ``matching.js`` (copies of the site's own files),
``standalone.js`` (the voter flow), ``README.txt`` and, for each party whose program
text is stored, ``programs/<party>.html`` (the program with the quoted passages
marked, which the result's quotes link to). Matching runs in the
browser with ``matching.js``, bit-identical to the server's core. Every URL in the
bundle is relative, nothing is loaded from anywhere else, there is no inline
script or style (the site's CSP holds on a static host too), and the voter's
answers live only in the page address's ``#`` part, which browsers never send.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from valgomat.api.documents import public_quiz
from valgomat.core.model import Quiz
from valgomat.core.texts import text_in, text_language
from valgomat.voter import presenters
from valgomat.voter.party_page import quote_language
from valgomat.voter.program_page import marked_program
from valgomat.voter.result_page import METHOD_SENTENCES
from valgomat.web.collation import collated

#: Written into every export; a directory holding it (and only export files) may be
#: exported into again.
MARKER = ".valgomat-static-export"
FILES = ("index.html", "quiz.json", "valgomat.css", "matching.js", "standalone.js",
         "icon.svg", "README.txt")
PROGRAMS = "programs"  # the folder of the program pages
COPIES = {"valgomat.css": "css/valgomat.css", "matching.js": "js/matching.js",
          "standalone.js": "js/standalone.js", "icon.svg": "img/icon.svg"}

README = """\
Valgomat static export: {title} (quiz "{slug}", published version {version}, language {lang})

This folder is a complete, self-contained voter-advice quiz. Serve it from any
static web host or CDN, at any path (every link in it is relative):

    python3 -m http.server --directory . 8000     # then open http://127.0.0.1:8000/

or copy the folder to a web server (nginx, Apache, S3, GitHub Pages...). Opening
index.html straight from disk (file://) does not work in most browsers, because
the page loads quiz.json with fetch().

Files:
  index.html     the page (interface texts in "{lang}")
  standalone.js  the voter flow
  matching.js    the matching method (docs/method.md), identical to the server's scores
  quiz.json      the published quiz, as GET /api/v1/quizzes/{slug}?version={version}
  valgomat.css   styles;  icon.svg  the page icon
  programs/      each party's program with the quoted passages marked (if stored)
  {marker}  marks the folder as an export (valgomat export-static may overwrite it)

Nothing is loaded from other sites and nothing is sent anywhere: the voter's
answers stay in the page address after "#" (which browsers never send to the
server), so a shared link contains them. The page needs no inline script or
style, so a strict Content-Security-Policy works, for example:

    default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;
    connect-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'

To publish a newer version of the quiz, export again into the same folder.
"""


class ExportError(Exception):
    """The export cannot be written (for example a non-empty foreign directory)."""


def default_language(quiz: Quiz) -> str:
    """The quiz's first language that the interface offers, else English."""
    offered = current_app.config["LANGUAGES"]
    return next((lang for lang in quiz.languages if lang in offered), "en")


def export_static(quiz: Quiz, directory: Path, lang: str | None = None) -> list[Path]:
    """Write the static bundle of the published ``quiz`` into ``directory``.

    Returns the written files. Raises ``ExportError`` for a language the interface
    does not offer, or a directory that exists and holds anything but an earlier
    export.
    """
    if quiz.version is None:
        raise ExportError(f"Quiz '{quiz.slug}' is not a published version.")
    lang = lang or default_language(quiz)
    offered = current_app.config["LANGUAGES"]
    if lang not in offered:
        raise ExportError(f"Unknown interface language '{lang}'; "
                          f"choose one of: {', '.join(offered)}.")
    directory = Path(directory)
    _check_directory(directory)
    page = render_index(quiz, lang)
    programs = render_programs(quiz, lang)
    document = public_quiz(quiz)

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, source in COPIES.items():
        shutil.copyfile(Path(current_app.static_folder or "") / source, directory / name)
        written.append(directory / name)
    (directory / "quiz.json").write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    (directory / "index.html").write_text(page, encoding="utf-8")
    (directory / "README.txt").write_text(README.format(
        title=text_in(quiz.title, lang), slug=quiz.slug, version=quiz.version, lang=lang,
        marker=MARKER), encoding="utf-8")
    written += [directory / "quiz.json", directory / "index.html", directory / "README.txt"]
    shutil.rmtree(directory / PROGRAMS, ignore_errors=True)  # an earlier export's parties
    if programs:
        (directory / PROGRAMS).mkdir()
    for party_id, program_page in programs.items():
        path = directory / PROGRAMS / f"{party_id}.html"
        path.write_text(program_page, encoding="utf-8")
        written.append(path)
    (directory / MARKER).write_text(json.dumps(
        {"quiz": quiz.slug, "version": quiz.version, "lang": lang, "files": list(FILES)},
    ) + "\n", encoding="utf-8")
    written.append(directory / MARKER)
    return sorted(written)


def _check_directory(directory: Path) -> None:
    if not directory.exists():
        return
    if not directory.is_dir():
        raise ExportError(f"{directory} exists and is not a directory.")
    entries = {entry.name for entry in directory.iterdir()}
    if not entries:
        return
    if MARKER not in entries:
        raise ExportError(f"{directory} is not empty and holds no earlier static export "
                          f"(no {MARKER} file); choose an empty or new directory.")
    foreign = sorted(entries - {MARKER, PROGRAMS, *FILES})
    if foreign:
        raise ExportError(f"{directory} holds an earlier static export but also other files "
                          f"({', '.join(foreign)}); refusing to write into it.")


def render_index(quiz: Quiz, lang: str) -> str:
    """``index.html`` with the interface texts of ``lang``."""
    if not has_request_context():  # context processors may look at the request
        with current_app.test_request_context("/"):
            return render_index(quiz, lang)
    with force_locale(lang):
        return render_template("static_export/index.html", **page_context(quiz, lang))


def render_programs(quiz: Quiz, lang: str) -> dict[str, str]:
    """``programs/<party>.html`` by party id, for the parties whose program text is stored."""
    if not has_request_context():
        with current_app.test_request_context("/"):
            return render_programs(quiz, lang)
    pages = {}
    with force_locale(lang):
        for party in quiz.parties:
            marked = marked_program(quiz, party)
            if marked is not None:
                pages[party.id] = render_template(
                    "static_export/program.html", party=party, marked=marked, lang=lang,
                    title=text_in(quiz.title, lang))
    return pages


def page_context(quiz: Quiz, lang: str) -> dict[str, Any]:
    """What the template renders and the ``ui`` data block the script reads."""
    placeholders = {"program": "{program}", "section": "{section}",
                    "confidence": "{confidence}"}
    labels: dict[str, str] = {str(v): presenters.answer_label(v, quiz.scale)
                              for v in quiz.scale_values}
    labels["null"] = presenters.answer_label(None, quiz.scale)
    ui = {
        "lang": lang,
        "slug": quiz.slug,
        "version": quiz.version,
        "title": text_in(quiz.title, lang),
        "labels": labels,
        "options": [[value, label] for value, label in presenters.answer_options(quiz.scale)],
        "agreement": {key: [symbol, str(name)] for key, (symbol, name)
                      in presenters.AGREEMENT.items()},
        "methodNames": {key: str(name) for key, name in presenters.METHOD_NAMES.items()},
        "missingSentences": {key: str(text) for key, text in presenters.MISSING_SENTENCES.items()},
        "confidence": {key: str(name) for key, name in presenters.CONFIDENCE_NAMES.items()},
        "programs": {party.id: party.program.title for party in quiz.parties},
        "quoteLanguages": {party.id: quote_language(quiz, party) for party in quiz.parties},
        # per party with a program page, the statements whose quote it marks
        "programPages": {party.id: sorted(marked.anchored) for party in quiz.parties
                         if (marked := marked_program(quiz, party)) is not None},
        "texts": {
            "matched": _("Matched with %(method)s; %(missing)s.", method="{method}",
                         missing="{missing}"),
            # by whether the evidence has a section and a confidence, "10": section only
            "sources": {f"{int(section)}{int(confidence)}": str(line) % placeholders
                        for (section, confidence), line in presenters.SOURCE_LINES.items()},
            "compared": _("Your answers compared with %(party)s", party="{party}"),
            "changeWhich": _("your answer to statement %(number)s", number="{number}"),
            "change": _("Change"),
            "review": _("Your answers"),
            "yourAnswer": _("Your answer:"),
            "markImportant": _("Mark as important"),
            "unmark": _("Remove the mark"),
            "statementNumber": _("statement %(number)s", number="{number}"),
            "readInProgram": _("Read the passage in the program"),
            "statement": _("Statement"),
            "you": _("You"),
            "match": _("Match"),
            "why": _("Why?"),
            "notAnswered": _("Not answered"),
            "skipped": _("Skipped"),
            "important": _("important"),
            "nothing": _("nothing to compare"),
            "noPosition": _("No stated position"),
            "unanswered": _("You did not answer any statement on this topic."),
            "tooClose": _("Too close to call"),
            "nearTie": _("Too close to call: one different answer could change the order of "
                         "the first %(count)s parties.", count="{count}"),
            "agrees": _("Agrees with you on “%(statement)s”", statement="{statement}"),
            "disagrees": _("Disagrees with you on “%(statement)s”", statement="{statement}"),
            "chooseParty": _("Choose at least one party."),
            "copy": _("Copy link"),
            "copied": _("Copied"),
            "result": _("Your result"),
            "parties": _("Choose parties"),
            "method": _("About the method"),
            "badLink": _("The answers in this link are damaged or belong to another "
                         "version of the quiz. Please start again."),
            "badParty": _("The link names a party that is not in this quiz."),
            "badVersion": _("The link names no valid version of this quiz."),
        },
        # The interface languages have two plural forms: one (n = 1) and other.
        "counted": {"one": _counted_texts(1), "other": _counted_texts(2)},
    }
    topics = {topic.id: topic for topic in quiz.topics}
    return {
        "quiz": quiz, "lang": lang, "ui": ui,
        "listed": collated(quiz.parties, lambda party: party.short_name, lang),
        "title": ui["title"], "title_lang": text_language(quiz.title, lang),
        "description": text_in(quiz.description, lang),
        "description_lang": text_language(quiz.description, lang),
        "options": presenters.answer_options(quiz.scale),
        "first_topic": topics[quiz.statements[0].topic] if quiz.statements else None,
        "method_name": presenters.METHOD_NAMES[quiz.method],  # on the method view only
        "method_sentence": METHOD_SENTENCES[quiz.method],
        "missing_sentence": presenters.MISSING_SENTENCES[quiz.missing],
        "localized": lambda texts: text_in(texts, lang),
        "text_language": lambda texts: text_language(texts, lang),
    }


def _counted_texts(number: int) -> dict[str, str]:
    """The texts with a count, in ``number``'s plural form, with ``{…}`` placeholders."""
    return {
        "coverage": ngettext("Has a stated position on %(stated)s of your %(count)s answer",
                             "Has a stated position on %(stated)s of your %(count)s answers",
                             number, stated="{stated}", count="{count}"),
        "few": ngettext("Few stated positions: this match rests on %(count)s statement",
                        "Few stated positions: this match rests on %(count)s statements",
                        number, count="{count}"),
    }
