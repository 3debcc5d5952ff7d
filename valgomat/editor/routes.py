"""Every editor page on the one editor blueprint: importing a module adds its routes."""

from valgomat.editor import (
    account_views,
    content,
    embedding,
    kept_input,
    programs,
    quizzes,
    versions,
)
from valgomat.editor.blueprint import bp

MODULES = (account_views, content, embedding, kept_input, programs, quizzes, versions)

__all__ = ["MODULES", "bp"]
