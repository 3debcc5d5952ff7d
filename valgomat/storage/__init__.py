"""The database: the schema and its migrations, drafts as rows <-> core quizzes,
published versions cached per worker, optimistic locks, rate-limit counters."""
