"""YAML text → the located-value tree of ``valgomat.core.content.rules``.

PyYAML's composer keeps the line of every value; ``parse_yaml`` turns whatever
goes wrong (syntax, unsupported tags and values, recursive aliases, absurd
nesting, too many values) into problems and never raises.
"""

from __future__ import annotations

import yaml

from valgomat.core.content.limits import MAX_YAML_EVENTS
from valgomat.core.content.rules import Map, Node, Problem, Scalar, Seq

__all__ = ["parse_yaml"]


def parse_yaml(text: str, path: str) -> tuple[Node | None, list[Problem]]:
    """The located-value tree of one YAML document, or ``None`` and why not.

    Never raises: syntax errors, unsupported tags and values, recursive aliases
    and absurd nesting all become problems. An empty document is a null scalar.
    """
    if _too_many_events(text):
        return None, [Problem(path, None, f"has more than {MAX_YAML_EVENTS:,} YAML values "
                                          "(keys, texts, lists); no quiz needs that many")]
    try:
        composed = yaml.compose(text, Loader=yaml.SafeLoader)
        if composed is None:
            return Scalar(None, 1, ""), []
        return _Converter().convert(composed), []
    except yaml.YAMLError as exc:
        return None, [Problem(path, *_yaml_error(exc, text))]
    except _BadValue as exc:
        return None, [Problem(path, exc.line, exc.message)]
    except RecursionError:
        return None, [Problem(path, 1, "invalid YAML: nested too deeply")]


def _too_many_events(text: str) -> bool:
    """Counted with libyaml's parser where installed (a second for a megabyte of tiny
    values, against half a minute to compose them); syntax errors are left to compose."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for count, _ in enumerate(yaml.parse(text, Loader=loader), start=1):
            if count > MAX_YAML_EVENTS:
                return True
    except (yaml.YAMLError, RecursionError):
        return False
    return False


def _yaml_error(exc: yaml.YAMLError, text: str) -> tuple[int, str]:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[:exc.position].count("\n") + 1
        return line, f"invalid YAML: character U+{exc.character:04X} is not allowed"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if not isinstance(exc, yaml.MarkedYAMLError) or mark is None:
        return 1, f"invalid YAML: {exc}"
    context = f"{exc.context}: " if exc.context else ""
    return mark.line + 1, f"invalid YAML: {context}{exc.problem}"


class _BadValue(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class _Converter:
    """PyYAML nodes → located values; shared (aliased) nodes are converted once."""

    def __init__(self) -> None:
        self.loader = yaml.SafeLoader("")
        self.done: dict[int, Node] = {}
        self.active: set[int] = set()

    def convert(self, node: yaml.Node) -> Node:
        key, line = id(node), node.start_mark.line + 1
        if key in self.done:
            return self.done[key]
        if key in self.active:
            raise _BadValue(line, "invalid YAML: an alias refers to a value containing itself")
        self.active.add(key)
        result = self._convert(node, line)
        self.active.discard(key)
        self.done[key] = result
        return result

    def _convert(self, node: yaml.Node, line: int) -> Node:
        if isinstance(node, yaml.MappingNode):
            return Map(tuple((self.convert(k), self.convert(v)) for k, v in node.value), line)
        if isinstance(node, yaml.SequenceNode):
            return Seq(tuple(self.convert(item) for item in node.value), line)
        if node.tag == "tag:yaml.org,2002:merge":
            raise _BadValue(line, "YAML merge keys (<<) are not supported; write the keys out")
        try:
            value = self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            reason = exc.problem if isinstance(exc, yaml.MarkedYAMLError) else exc
            raise _BadValue(line, f"invalid YAML value: {reason}") from exc
        return Scalar(value, line, str(node.value))
