"""Reading a catalog YAML file, with every problem pointed at its file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from paybill_control_plane.catalog.schemas import CatalogFile


@dataclass(frozen=True)
class FileIssue:
    path: str
    line: int  # 1-based, as editors count
    column: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class CatalogFileError(Exception):
    """The file is not YAML, or not a valid catalog; `issues` say where and why."""

    def __init__(self, issues: list[FileIssue]) -> None:
        super().__init__("\n".join(str(i) for i in issues))
        self.issues = issues


def _loc_text(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _node_for(root: yaml.Node, loc: tuple[int | str, ...], *, key: bool) -> yaml.Node:
    """The deepest YAML node on pydantic's path; the key node itself when `key` (extra fields).

    A path part with no node (a union's tag such as `numeric`, or a missing field) is skipped,
    so a missing field points at the mapping that lacks it.
    """
    node = root
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                node = node.value[part]
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                    node = key_node if (last and key) else value_node
                    break
    return node


def _schema_issues(path: str, text: str, exc: ValidationError) -> list[FileIssue]:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    issues = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        mark = None
        if root is not None:
            mark = _node_for(root, loc, key=error["type"] == "extra_forbidden").start_mark
        where = f" (at {_loc_text(loc)})" if loc else ""
        message = error["msg"] + where
        if error["type"] == "extra_forbidden":
            message = f"unknown field '{loc[-1]}'{where}"
        issues.append(
            FileIssue(path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, message)
        )
    return issues


def parse_catalog(text: str, path: str = "<catalog>") -> CatalogFile:
    """The catalog in `text`; CatalogFileError naming line and column of every problem."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise CatalogFileError([FileIssue(path, line, column, reason)]) from None
    except yaml.YAMLError as exc:
        raise CatalogFileError([FileIssue(path, 1, 1, str(exc))]) from None
    try:
        return CatalogFile.model_validate({} if data is None else data)
    except ValidationError as exc:
        raise CatalogFileError(_schema_issues(path, text, exc)) from None


def load_catalog(path: Path) -> CatalogFile:
    """Read and validate a catalog file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogFileError(
            [FileIssue(str(path), 1, 1, f"cannot read the file: {exc}")]
        ) from None
    return parse_catalog(text, str(path))
