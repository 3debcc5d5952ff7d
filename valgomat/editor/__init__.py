"""The editors' workshop under /editor: quizzes and their settings, statements, parties
and positions, publishing and versions, embedding, accounts.

Each module adds its routes to the one blueprint; the rules of a change (checked,
locked, logged) are in ``editing``, the editor's view of a draft in ``checks``.
"""
