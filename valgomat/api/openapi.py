"""The OpenAPI 3.1 description of JSON API v1, served at ``/api/v1/openapi.json``.

Tests validate every API response against this document, so it cannot drift
from the implementation unnoticed.
"""

from __future__ import annotations

from typing import Any

from valgomat.core.scale import WORDS

TEXTS = {"type": "object", "additionalProperties": {"type": "string"},
         "description": "Text per language code."}
SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "maxLength": 100}
NULLABLE_SCORE = {"type": ["number", "null"], "minimum": 0, "maximum": 100}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    meaning = {400: "Malformed JSON, wrong types or unknown fields.",
               404: "No such published quiz or version.",
               405: "Method not allowed.",
               413: "Body larger than the documented limit (64 KiB by default).",
               422: "Unknown statement or party id, a value not on the scale, "
                    "unknown method or policy, or no statement answered.",
               429: "Too many requests from this address (MATCH_RATE_LIMIT).",
               503: "The database is unavailable and the quiz is not cached."}
    return {str(s): _json(_ref("Error"), meaning[s]) for s in statuses}


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object", "required": ["error"], "additionalProperties": False,
        "properties": {"error": {
            "type": "object", "required": ["code", "message"], "additionalProperties": False,
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
    },
    "QuizSummary": {
        "type": "object", "required": ["slug", "title", "languages", "version"],
        "properties": {"slug": SLUG, "title": TEXTS,
                       "languages": {"type": "array", "items": {"type": "string"}},
                       "version": {"type": "integer", "minimum": 1}},
    },
    "Statement": {
        "type": "object", "required": ["id", "topic", "text", "weight"],
        "properties": {"id": SLUG, "topic": SLUG, "text": TEXTS, "explanation": TEXTS,
                       "weight": {"type": "number", "minimum": 0}},
    },
    "Evidence": {
        "type": "object", "required": ["quote", "source", "confidence", "justification"],
        "properties": {"quote": {"type": "string"}, "source": {"type": "string"},
                       "confidence": {"enum": ["high", "medium", "low", None]},
                       "justification": TEXTS},
    },
    "Party": {
        "type": "object", "required": ["id", "name", "short_name", "positions", "evidence"],
        "properties": {
            "id": SLUG, "name": {"type": "string"}, "short_name": {"type": "string"},
            "colour": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
            "positions": {"type": "object",
                          "additionalProperties": {"type": ["integer", "null"]}},
            "evidence": {"type": "object", "additionalProperties": _ref("Evidence")},
        },
    },
    "Quiz": {
        "type": "object",
        "required": ["slug", "version", "title", "languages", "scale", "method", "missing",
                     "importance_multiplier", "statements", "parties"],
        "properties": {
            "slug": SLUG, "version": {"type": "integer", "minimum": 1}, "title": TEXTS,
            "languages": {"type": "array", "items": {"type": "string"}},
            "scale": {"type": "object", "required": ["values"],
                      "properties": {
                          "values": {"type": "array", "items": {"type": "integer"}},
                          "top": {"type": "integer", "minimum": 1,
                                  "description": "The largest absolute value; every "
                                                 "value is divided by it."},
                          "letters": {"type": "string", "description":
                                      "The answer-code letter of each value, in order."},
                          "important_letters": {"type": "string", "description":
                                                "The same, for answers marked important."},
                          "words": {"type": "array", "items": {"enum": list(WORDS)},
                                    "description": "The word of each value, in order."}}},
            "method": {"enum": ["cityblock", "euclidean", "directional", "hybrid"]},
            "missing": {"enum": ["neutral", "exclude", "farthest"]},
            "importance_multiplier": {"type": "number", "minimum": 1},
            "topics": {"type": "array", "items": {
                "type": "object", "required": ["id", "name"],
                "properties": {"id": SLUG, "name": TEXTS}}},
            "statements": {"type": "array", "items": _ref("Statement")},
            "parties": {"type": "array", "items": _ref("Party")},
        },
    },
    "MatchRequest": {
        "type": "object", "required": ["answers"], "additionalProperties": False,
        "properties": {
            "answers": {"type": "object",
                        "additionalProperties": {"type": ["integer", "null"]},
                        "description": "Statement id → value on the quiz's scale, or "
                                       "null for skipped. Omitted statements count as "
                                       "skipped."},
            "important": {"type": "array", "items": {"type": "string"}},
            "method": {"type": "string",
                       "description": "cityblock, euclidean, directional or hybrid; "
                                      "default: the quiz's own."},
            "missing": {"type": "string",
                        "description": "neutral, exclude or farthest; default: the quiz's."},
            "parties": {"type": "array", "items": {"type": "string"},
                        "description": "Party ids to rank; default: all."},
            "version": {"type": "integer", "minimum": 1, "maximum": 999_999_999,
                        "description": "Score against this published version "
                                       "(default: the live one)."},
        },
    },
    "MatchResponse": {
        "type": "object", "required": ["version", "method", "missing", "results"],
        "properties": {
            "version": {"type": "integer", "minimum": 1},
            "method": {"type": "string"}, "missing": {"type": "string"},
            "results": {"type": "array", "items": {
                "type": "object",
                "required": ["party", "score", "percent", "topics", "coverage",
                             "close_to_first", "reasons"],
                "properties": {
                    "party": SLUG,
                    "score": {**NULLABLE_SCORE, "description": "Unrounded; null when the "
                              "party has no stated position on any statement answered."},
                    "percent": {"type": ["integer", "null"], "minimum": 0, "maximum": 100,
                                "description": "The score in whole percent, halves up."},
                    "topics": {"type": "object", "additionalProperties": NULLABLE_SCORE},
                    "coverage": {
                        "type": "object", "required": ["stated", "answered"],
                        "description": "Of the statements answered with a weight above 0 "
                                       "(answered), how many the party has a stated "
                                       "position on (stated).",
                        "properties": {"stated": {"type": "integer", "minimum": 0},
                                       "answered": {"type": "integer", "minimum": 0}}},
                    "close_to_first": {"type": "boolean", "description": "One different "
                                       "answer could put this party level with the first "
                                       "(docs/method.md, near-ties)."},
                    "reasons": {
                        "type": "object", "required": ["agree", "disagree"],
                        "description": "Up to three statement ids each, strongest first.",
                        "properties": {
                            "agree": {"type": "array", "maxItems": 3, "items": SLUG},
                            "disagree": {"type": "array", "maxItems": 3,
                                         "items": SLUG}}}}}},
        },
    },
}

SLUG_PARAMETER = {"name": "slug", "in": "path", "required": True, "schema": SLUG}
VERSION_PARAMETER = {"name": "version", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999}}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Valgomat API", "version": "1",
                 "description": "Published voter-advice quizzes and matching. "
                                "Nothing sent to the match endpoint is stored or logged. "
                                "Every string in a response is plain text exactly as the "
                                "editors wrote it (it may contain <, > and &): escape it "
                                "before putting it into HTML, never insert it as markup."},
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/quizzes": {"get": {
                "operationId": "listQuizzes", "summary": "Published quizzes",
                "responses": {"200": _json({
                    "type": "object", "required": ["quizzes"],
                    "properties": {"quizzes": {"type": "array",
                                               "items": _ref("QuizSummary")}}},
                    "Published quizzes."), **_errors(405, 503)}}},
            "/api/v1/quizzes/{slug}": {"get": {
                "operationId": "getQuiz", "summary": "One published quiz version",
                "parameters": [SLUG_PARAMETER, VERSION_PARAMETER],
                "responses": {"200": _json(_ref("Quiz"), "The quiz."),
                              **_errors(400, 404, 405, 503)}}},
            "/api/v1/quizzes/{slug}/match": {"post": {
                "operationId": "matchQuiz", "summary": "Rank parties for one voter's answers",
                "parameters": [SLUG_PARAMETER],
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": _ref("MatchRequest")}}},
                "responses": {"200": _json(_ref("MatchResponse"), "Ranked results."),
                              **_errors(400, 404, 405, 413, 422, 429, 503)}}},
            "/api/v1/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1 document.",
                                      "content": {"application/json": {}}}}}},
        },
        "components": {"schemas": SCHEMAS},
    }
