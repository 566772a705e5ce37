"""Printing results: a plain aligned table for people, JSON (the API's shapes) for machines."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

JsonOption = Annotated[bool, typer.Option("--json", help="Machine output: the API's JSON shape.")]
LimitOption = Annotated[int, typer.Option(min=1, max=200, help="At most this many rows.")]
CursorOption = Annotated[
    str | None, typer.Option(help="`next_cursor` of the previous page (shown under the table).")
]


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if hasattr(value, "value"):  # enums print as their value, not their repr
        return str(value.value)
    return str(value)


def print_table(columns: Sequence[tuple[str, Callable[[M], Any]]], rows: Sequence[M]) -> None:
    """Aligned columns without colour or truncation, so `grep` and `cut` keep working on it."""
    cells = [[_cell(get(row)) for _, get in columns] for row in rows]
    headers = [title for title, _ in columns]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    for line in [headers, *cells]:
        typer.echo("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())


def print_json(data: Any) -> None:
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def print_page(
    items: Sequence[M],
    next_cursor: str | None,
    columns: Sequence[tuple[str, Callable[[M], Any]]],
    *,
    as_json: bool,
    empty: str,
) -> None:
    """A list result: the API's page envelope as JSON, or a table and where the next page starts."""
    if as_json:
        print_json(
            {"items": [i.model_dump(mode="json") for i in items], "next_cursor": next_cursor}
        )
        return
    if not items:
        typer.echo(empty)
        return
    print_table(columns, items)
    if next_cursor:
        typer.echo(f"\nmore: --cursor {next_cursor}", err=True)


def print_outcome(model: BaseModel, summary: str, *, as_json: bool) -> None:
    """The result of a change: the API's JSON, or one `summary` line for people."""
    if as_json:
        print_json(model)
    else:
        typer.echo(summary)


def print_fields(model: BaseModel, *, as_json: bool) -> None:
    """One record: JSON, or `field: value` lines (nested values as compact JSON)."""
    if as_json:
        print_json(model)
        return
    data = model.model_dump(mode="json")
    width = max(len(k) for k in data)
    for key, value in data.items():
        shown = json.dumps(value) if isinstance(value, dict | list) else _cell(value)
        typer.echo(f"{key.ljust(width)}  {shown}")
