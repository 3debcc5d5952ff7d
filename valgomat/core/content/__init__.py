"""Content rules on already-parsed data: validation and building of quizzes
(``build``), party checks, size limits and the located values every problem names."""
