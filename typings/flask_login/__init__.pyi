import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response
from flask.typing import ResponseReturnValue

_View = TypeVar("_View", bound=Callable[..., object])
_UserLoader = TypeVar("_UserLoader", bound=Callable[[str], object])

# The user object the user loader returned, or an instance of anonymous_user.
current_user: Any

class AnonymousUserMixin:
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def is_anonymous(self) -> bool: ...
    def get_id(self) -> str | None: ...

class LoginManager:
    anonymous_user: type[AnonymousUserMixin]
    login_view: str | None
    session_protection: str | None
    _session_identifier_generator: Callable[[], str]
    def __init__(self, app: Flask | None = None, add_context_processor: bool = True) -> None: ...
    def init_app(self, app: Flask, add_context_processor: bool = True) -> None: ...
    def user_loader(self, callback: _UserLoader) -> _UserLoader: ...
    def unauthorized(self) -> ResponseReturnValue: ...
    # An after_request hook; valgomat.editor.auth runs it for editor routes only.
    def _update_remember_cookie(self, response: Response) -> Response: ...

def login_required(func: _View) -> _View: ...
def login_user(
    user: Any,
    remember: bool = False,
    duration: datetime.timedelta | None = None,
    force: bool = False,
    fresh: bool = True,
) -> bool: ...
def logout_user() -> bool: ...
