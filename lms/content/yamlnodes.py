"""YAML read into plain values that remember their line numbers (pure)."""

from __future__ import annotations

from typing import Any

import yaml


class LocatedDict(dict):
    """A mapping with the 1-based line of the mapping and of each key."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    line: int
    item_lines: list[int]


def N_(message: str) -> str:
    """Mark a message for the translation catalogue without translating it here (pure module)."""
    return message


class YamlProblem(Exception):
    """`message` is a Bahasa Indonesia msgid with %(name)s placeholders that `params` fill."""

    def __init__(self, line: int, message: str, /, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.line = line
        self.message = message
        self.params = params


_constructor = yaml.constructor.SafeConstructor()


def _convert(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        result = LocatedDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node)
            key_text = str(key)
            if key_text in result:
                raise YamlProblem(
                    key_node.start_mark.line + 1,
                    N_("'%(key)s' ditulis dua kali di bagian yang sama"),
                    key=key_text,
                )
            result[key_text] = _convert(value_node)
            result.key_lines[key_text] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList(_convert(child) for child in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items
    return _constructor.construct_object(node, deep=True)


def parse_yaml(text: str, *, first_line: int = 1) -> Any:
    """Parse YAML text; lines are reported relative to the file (`first_line` is line 1)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + first_line) if mark else first_line
        # PyYAML's own description of the error stays in English.
        detail = str(error.problem or error)
        raise YamlProblem(line, N_("penulisan YAML salah: %(detail)s"), detail=detail) from error
    if node is None:
        return None
    try:
        value = _convert(node)
    except YamlProblem as problem:
        line = problem.line + first_line - 1
        raise YamlProblem(line, problem.message, **problem.params) from problem
    if first_line != 1:
        _shift(value, first_line - 1)
    return value


def _shift(value: Any, offset: int) -> None:
    if isinstance(value, LocatedDict):
        value.line += offset
        value.key_lines = {key: line + offset for key, line in value.key_lines.items()}
        for child in value.values():
            _shift(child, offset)
    elif isinstance(value, LocatedList):
        value.line += offset
        value.item_lines = [line + offset for line in value.item_lines]
        for child in value:
            _shift(child, offset)
