"""Quizzes as content: files on disk (YAML with line numbers), their life in the
database (load, publish through the gate, export), imported datasets, partner looks,
and the ``content`` / ``import`` commands."""
