from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, Flask
from werkzeug.exceptions import BadRequest

_ViewOrBlueprint = TypeVar("_ViewOrBlueprint", bound=Callable[..., object] | Blueprint | str)

class CSRFProtect:
    def __init__(self, app: Flask | None = None) -> None: ...
    def init_app(self, app: Flask) -> None: ...
    def exempt(self, view: _ViewOrBlueprint) -> _ViewOrBlueprint: ...

class CSRFError(BadRequest): ...
