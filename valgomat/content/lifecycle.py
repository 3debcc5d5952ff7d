"""A quiz's life in the database: content files loaded, imported quizzes stored,
drafts published through the gate, drafts or published versions written back to files.

Views and commands also reach the published versions (``storage.published``,
cached per worker) through this module, which re-exports them.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from valgomat.content.draft_guard import LOADER, DraftsEdited, OnEdited, edited_drafts, kept_lines
from valgomat.content.files import (
    Problem,
    content_file_paths,
    program_file_paths,
    read_content,
    read_content_and_programs,
    shown_at_source,
    write_content,
)
from valgomat.content.publish_gate import Publication, PublishRefused, gate_audit, publication_lines
from valgomat.core.audit.gate import stored_warnings
from valgomat.core.model import Quiz, quiz_to_dict
from valgomat.extensions import db
from valgomat.storage import models
from valgomat.storage.drafts import draft_to_quiz, write_draft
from valgomat.storage.locking import (
    DraftChanged,
    already_published,
    claim_live,
    draft_digest,
)
from valgomat.storage.programs import program_text, store_program_text
from valgomat.storage.published import (
    forget_live_versions,
    published_quiz,
)


class QuizExists(Exception):
    """An import would overwrite an existing quiz without ``--replace``."""


class ContentError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the content files")
        self.problems = problems


def content_hash(root: Path) -> str:
    """A digest of every content file's path and bytes (what ``--if-changed`` compares)."""
    digest = hashlib.sha256()
    for path in content_file_paths(root) + program_file_paths(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_content(root: Path, *, publish: bool = False, if_changed: bool = False,
                 accept_audit: str | None = None, workers: int | None = 1,
                 on_edited: OnEdited = "refuse") -> list[str]:
    """Upsert the content files under ``root`` into the drafts, in one transaction.

    Idempotent: unchanged quizzes are not touched and, with ``publish``, get no
    new version. With ``if_changed`` nothing is done when the files have the
    same hash as the last load from the same folder. Publishing goes through the
    publish gate (``publish_quiz``): a refusal raises ``PublishRefused`` and stores
    nothing, unless ``accept_audit`` gives the reason to publish anyway. Drafts that
    editors changed since the last load are ``on_edited``: refused (``DraftsEdited``,
    nothing stored), kept (neither loaded nor published) or overwritten.
    """
    digest, source = content_hash(root), str(root.resolve())
    if if_changed and _last_load_hash(source) == digest:
        return [f"Content in {root} unchanged since the last load."]
    quizzes, problems, program_texts = read_content_and_programs(root)
    if problems:
        raise ContentError(problems)
    return store_quizzes(quizzes, publish=publish, digest=digest, source=source,
                         accept_audit=accept_audit, workers=workers, on_edited=on_edited,
                         program_texts=program_texts.values())


def store_quizzes(quizzes: list[Quiz], *, publish: bool, digest: str, source: str,
                  accept_audit: str | None = None, workers: int | None = 1,
                  on_edited: OnEdited = "refuse",
                  program_texts: Iterable[str] = ()) -> list[str]:
    """Write validated quizzes into their drafts (and publish) in one transaction, with
    the texts of their programs (``Program.sha256`` names them).

    When the publish gate refuses any quiz, ``PublishRefused`` names them all and
    nothing of the whole load is stored.
    """
    report, changed, published, refused = [], [], [], []
    try:
        for text in program_texts:
            store_program_text(text)
        kept, taken_in = ({}, set()) if on_edited == "overwrite" else edited_drafts(quizzes)
        if kept and on_edited == "refuse":
            raise DraftsEdited(kept)
        for quiz in quizzes:
            if quiz.slug in kept:
                _record_load(quiz.slug, "keep", source, digest)
                continue
            if write_draft(quiz):
                changed.append(quiz.slug)
                _record_load(quiz.slug, "load", source, digest)
            elif quiz.slug in taken_in:  # the editors' changes are in the files now
                _record_load(quiz.slug, "load", source, digest)
            if not publish:
                continue
            try:
                publication = publish_quiz(quiz.slug, accept_audit=accept_audit,
                                           workers=workers)
            except PublishRefused as exc:
                refused += exc.verdicts
                continue
            if publication is not None:
                published.append(quiz.slug)
                report += publication_lines(publication)
                if publication.verdict.blocking:
                    _record_gated_publish("content load", publication)
        if refused:
            raise PublishRefused(refused)
        db.session.add(models.ContentLoad(
            content_hash=digest, source=source, quizzes=[q.slug for q in quizzes],
            changed=changed, published=published))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    report.insert(0, f"Loaded {len(quizzes)} quiz(zes) from {source}: "
                     f"{len(changed)} changed, {len(quizzes) - len(changed) - len(kept)} "
                     f"unchanged, {len(kept)} kept as edited in the editor.")
    return report + (kept_lines(kept) if kept else [])


def _record_load(slug: str, action: str, source: str, digest: str) -> None:
    """The audit log's entry of a load that took (``load``) or kept (``keep``) the files."""
    db.session.add(models.Change(
        user_email=LOADER, quiz_slug=slug, entity="quiz", entity_key=slug, action=action,
        before=None, after={"source": source, "hash": digest}))


def import_quiz(quiz: Quiz, *, source: str, publish: bool, replace: bool,
                workers: int | None = 1) -> list[str]:
    """Store an imported quiz after the same validation as content files get."""
    exists = db.session.scalar(select(models.Quiz.id).where(models.Quiz.slug == quiz.slug))
    if exists is not None and not replace:
        raise QuizExists(quiz.slug)
    with tempfile.TemporaryDirectory() as folder:
        write_content(quiz, Path(folder))
        checked, problems = read_content(Path(folder))
        if problems:
            raise ContentError(shown_at_source(problems, Path(folder), source))
        digest = content_hash(Path(folder))
    return store_quizzes(checked, publish=publish, digest=digest, source=source,
                         workers=workers, on_edited="overwrite")  # --replace was asked for


def _last_load_hash(source: str) -> str | None:
    query = (select(models.ContentLoad.content_hash)
             .where(models.ContentLoad.source == source)
             .order_by(models.ContentLoad.id.desc()).limit(1))
    return db.session.scalar(query)


def publish_quiz(slug: str, *, accept_audit: str | None = None, workers: int | None = 1,
                 seen_version: int | None = None,
                 seen_draft: str | None = None) -> Publication | None:
    """Freeze the draft into a new version; ``None`` when it equals the live version.

    ``seen_version`` is the live version the publisher saw (0: none; ``None``: the one
    live now); ``seen_draft`` the ``draft_digest`` of the draft they reviewed, if any
    (``DraftChanged`` when the draft is no longer that). When another publish or a
    rollback changed the live version first, even while the gate was auditing,
    ``AlreadyPublished`` is raised and nothing is added.

    The publish gate audits the draft first (``publish_gate.gate_audit``, in
    ``workers`` processes). When it refuses, ``PublishRefused`` is raised and nothing
    is added, unless ``accept_audit`` holds the reason to publish anyway, which is
    kept with the version with the gate's warnings.

    A step, not an operation: it adds and flushes, and its caller commits
    (``store_quizzes``, ``editing.publish``).
    """
    row = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == slug))
    if row is None:
        raise LookupError(slug)
    seen = row.published_version or 0 if seen_version is None else seen_version
    if seen != (row.published_version or 0):
        raise already_published(row.id, slug)
    quiz = draft_to_quiz(row)
    snapshot = quiz_to_dict(quiz)
    if seen_draft is not None and seen_draft != draft_digest(snapshot):
        raise DraftChanged(slug)
    live = _version_row(row.id, row.published_version)
    if live is not None and live.snapshot == snapshot:
        return None
    _, verdict = gate_audit(quiz, workers=workers)
    if verdict.refused and accept_audit is None:
        raise PublishRefused([verdict])
    claim_live(row, seen)
    number = (db.session.scalar(select(func.max(models.QuizVersion.number))
                                .where(models.QuizVersion.quiz_id == row.id)) or 0) + 1
    despite = accept_audit if verdict.refused else None
    db.session.add(models.QuizVersion(
        quiz_id=row.id, number=number, snapshot=snapshot, published_despite=despite,
        gate_warnings=stored_warnings(quiz, verdict.blocking)))
    row.published_version = number
    db.session.flush()
    forget_live_versions()
    return Publication(slug, number, verdict, despite)


def _record_gated_publish(user: str, publication: Publication) -> None:
    """An audit-log entry for a version published with blocking warnings."""
    db.session.add(models.Change(
        user_email=user, quiz_slug=publication.slug, entity="version",
        entity_key=f"{publication.slug}/{publication.number}", action="publish", before=None,
        after=gate_log(publication)))


def gate_log(publication: Publication) -> dict[str, Any]:
    """What the audit log keeps of a publish: the version, and the gate's say."""
    entry: dict[str, Any] = {"version": publication.number}
    if publication.verdict.blocking:
        entry["published_despite"] = publication.despite
        entry["gate_warnings"] = [w.text for w in publication.verdict.blocking]
    return entry


def _version_row(quiz_id: int, number: int | None) -> models.QuizVersion | None:
    if number is None:
        return None
    return db.session.scalar(select(models.QuizVersion).where(
        models.QuizVersion.quiz_id == quiz_id, models.QuizVersion.number == number))


def export_content(root: Path, slugs: list[str], version: int | None) -> list[str]:
    """Write drafts (or one published version) to ``root`` in the content-file format."""
    rows = db.session.scalars(select(models.Quiz).order_by(models.Quiz.slug)).all()
    chosen = [row for row in rows if not slugs or row.slug in slugs]
    missing = set(slugs) - {row.slug for row in chosen}
    if missing:
        raise LookupError(f"No quiz {', '.join(sorted(missing))}.")
    for row in chosen:
        quiz = draft_to_quiz(row) if version is None else published_quiz(row.slug, version)
        if quiz is None:
            raise LookupError(f"Quiz {row.slug} has no published version {version}.")
        write_content(quiz, root, program_text)
    return [row.slug for row in chosen]
