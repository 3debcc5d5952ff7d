"""Parsing of API request bodies: JSON shape and types (400); meaning is the core's (422)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MATCH_FIELDS = ("answers", "important", "method", "missing", "parties", "version")
MAX_VERSION = 999_999_999
MAX_INT_DIGITS = 100  # no field needs more; Python refuses to convert over 4,300 digits


class BadRequestBody(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class MatchBody:
    answers: dict[str, int | None]
    important: list[str]
    method: str | None
    missing: str | None
    parties: list[str] | None
    version: int | None


def _reject_constant(name: str) -> None:
    raise BadRequestBody("malformed_json", f"{name} is not valid JSON.")


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise BadRequestBody("malformed_json", f"The request body holds an integer of "
                             f"{digits:,} digits; at most {MAX_INT_DIGITS} are accepted.")
    return int(text)


def parse_json(raw: bytes) -> Any:
    if not raw.strip():
        raise BadRequestBody("malformed_json", "The request body is empty; send a JSON object.")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant,
                          parse_int=_bounded_int)
    except UnicodeDecodeError:
        raise BadRequestBody("malformed_json", "The request body is not UTF-8.") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise BadRequestBody("malformed_json", f"The request body is not valid JSON: {exc}"
                             ) from None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _string_list(body: dict[str, Any], name: str) -> list[str] | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRequestBody("wrong_type", f"'{name}' must be a list of strings.")
    return value


def _optional_string(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise BadRequestBody("wrong_type", f"'{name}' must be a string.")
    return value


def _answers(body: dict[str, Any]) -> dict[str, int | None]:
    if "answers" not in body:
        raise BadRequestBody("missing_field", "The body needs 'answers': {statement_id: value}.")
    answers = body["answers"]
    if not isinstance(answers, dict):
        raise BadRequestBody("wrong_type", "'answers' must be an object of statement ids.")
    for statement_id, value in answers.items():
        if value is not None and not _is_int(value):
            raise BadRequestBody(
                "wrong_type", f"The answer to '{statement_id}' must be an integer or null.")
    return answers


def _version(body: dict[str, Any]) -> int | None:
    value = body.get("version")
    if value is not None and not (_is_int(value) and 1 <= value <= MAX_VERSION):
        raise BadRequestBody("wrong_type", f"'version' must be an integer from 1 to {MAX_VERSION}.")
    return value


def parse_match_body(raw: bytes) -> MatchBody:
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise BadRequestBody("wrong_type", "The request body must be a JSON object.")
    unknown = sorted(set(body) - set(MATCH_FIELDS))
    if unknown:
        raise BadRequestBody("unknown_field", f"Unknown field(s): {', '.join(unknown)}.")
    return MatchBody(
        answers=_answers(body), important=_string_list(body, "important") or [],
        method=_optional_string(body, "method"), missing=_optional_string(body, "missing"),
        parties=_string_list(body, "parties"), version=_version(body))
