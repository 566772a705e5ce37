"""Scraping /metrics, raw SQL, a server that logs like `paybill serve`, JSON log lines."""

from __future__ import annotations

import json
import threading
from typing import Any

import psycopg
import uvicorn
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from paybill_control_plane.db.embedded import to_libpq_url
from tests.live import Api, LiveServer, free_port

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(api: Api) -> Samples:
    """/metrics as {(sample name, sorted labels): value}."""
    response = api.get("/metrics")
    assert response.status_code == 200, response.text
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def sql(database_url: str, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(to_libpq_url(database_url), autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


class ServeLikeServer(LiveServer):
    """A live server configured as `paybill serve` runs uvicorn: no uvicorn log config of its
    own (its lines go through ours), access log on."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_config=None, log_level="debug",
            access_log=True, lifespan="on",
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run, daemon=True)


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of a JSON log output, parsed (fails on any line that is not one object)."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]
