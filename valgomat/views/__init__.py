"""One blueprint per audience: quiz (voters), editor, api (partners), embed."""
