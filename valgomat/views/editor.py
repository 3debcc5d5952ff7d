"""The editor blueprint (routes arrive with their own issue)."""

from flask import Blueprint

bp = Blueprint("editor", __name__, url_prefix="/editor")
