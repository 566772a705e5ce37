"""Console fixtures: signed-in HTTP clients per role."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserType, Page, Playwright, sync_playwright

from tests.console.browser_support import chromium_path, launch_args
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


# pytest-playwright's own `playwright` and `browser` live for the whole session; its sync API
# keeps an event loop marked as running in the main thread all that time, which breaks every
# later asyncio test on the same xdist worker. The browser tests live in one module
# (test_browser.py) and share one browser, started and stopped with that module.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser_type(playwright: Playwright, browser_name: str) -> BrowserType:
    return getattr(playwright, browser_name)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def launch_browser(
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType
) -> Callable[..., Browser]:
    def launch(**kwargs: Any) -> Browser:
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser(launch_browser: Callable[..., Browser]) -> Iterator[Browser]:
    opened = launch_browser()
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's one browser per session, launched from Debian's Chromium."""
    if chromium_path() is None:
        if os.environ.get("PAYBILL_REQUIRE_BROWSER"):
            pytest.fail("PAYBILL_REQUIRE_BROWSER is set (CI) and no Chromium was found")
        pytest.skip(
            "no Chromium: `apt-get install chromium` (or set PAYBILL_CHROMIUM to the real "
            "binary); `.ci/run` and `make test` install it"
        )
    return {**browser_type_launch_args, **launch_args()}


@pytest.fixture(scope="module")
def browser_context_args() -> dict[str, Any]:
    # A fixed viewport: the screenshots in docs/screenshots/ are comparable from run to run.
    # (The plugin's version reads device presets from its session-wide `playwright`.)
    return {"viewport": {"width": 1280, "height": 800}}


def sign_in(page: Page, base_url: str, key: str) -> None:
    page.goto(f"{base_url}/console/sign-in")
    page.fill("#api_key", key)
    page.click("button[type=submit]")
    page.wait_for_selector("header nav")
