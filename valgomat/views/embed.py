"""The embed blueprint (routes arrive with their own issue)."""

from flask import Blueprint

bp = Blueprint("embed", __name__, url_prefix="/embed")
