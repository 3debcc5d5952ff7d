"""The pure core: content model, matching and audit.

Imports only the standard library and numpy (a test enforces it), so the same
code scores in the API, the CLI, the benchmark and the audit.
"""
