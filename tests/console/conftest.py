"""Console fixtures: signed-in HTTP clients per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.console.helpers import ConsoleClient
from tests.live import Api, LiveServer


@pytest.fixture
def console_for(
    live_server: LiveServer, client_for: Callable[..., Api]
) -> Iterator[Callable[..., ConsoleClient]]:
    """A console client signed in with a new key of `role`."""
    made: list[ConsoleClient] = []

    def make(role: str, tenant_id: str | None = None) -> ConsoleClient:
        api = client_for(role, tenant_id)
        client = ConsoleClient(live_server.url)
        client.api_key = api.key  # type: ignore[attr-defined]
        assert client.sign_in(api.key or "").status_code == 303
        made.append(client)
        api.close()
        return client

    yield make
    for client in made:
        client.close()
