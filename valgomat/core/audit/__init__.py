"""The fairness audit of a quiz: simulated voters, first-place shares, reach,
sensitivity and warnings (``run.run_audit``), and the publish gate that reads it."""
