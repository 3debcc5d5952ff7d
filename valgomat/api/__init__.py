"""JSON API v1 for partner sites: quizzes, the quiz document, matching (docs/api.md)."""
