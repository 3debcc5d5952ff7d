"""Importers turn other voter-advice datasets into our content model."""
