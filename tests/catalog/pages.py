"""Reading a cursor-paged list to its end."""

from __future__ import annotations

from typing import Any

from tests.live import Api


def every_item(api: Api, path: str, limit: int = 200) -> list[dict[str, Any]]:
    """Every item of a cursor-paged list, page after page."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        page = api.ok("GET", path, params=params)
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
