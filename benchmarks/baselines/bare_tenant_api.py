"""The bare FastAPI baseline for the tenant API benchmarks.

The same work as `GET /v1/tenants/{id}` and `GET /v1/tenants` with nothing else: hash the bearer
key and look it up (no cache), run the same SQL with the same driver (psycopg 3, a connection
pool, autocommit), answer the row as JSON. No ORM, no middleware, no response model.

Run: `python -m benchmarks.baselines.bare_tenant_api` with BARE_DATABASE_URL (libpq URL) and
BARE_PORT.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import uvicorn
from fastapi import FastAPI, Header, HTTPException, Request, Response
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

_COLUMNS = (
    "id, slug, name, status, desired_state, tier_key, isolation_model, cloud, region, pool_id, "
    "cloud_target_id, labels, contacts, entitlement_overrides, billing_provider, "
    "stripe_customer_id, stripe_subscription_id, version, status_changed_at, created_at, "
    "updated_at"
)
_KEY_SQL = "SELECT id, role, tenant_id, revoked_at FROM api_keys WHERE secret_hash = %s"


def _json(value: Any) -> Response:
    return Response(json.dumps(value, default=str).encode(), media_type="application/json")


def create_app(conninfo: str, pool_size: int = 20) -> FastAPI:
    pool = AsyncConnectionPool(
        conninfo,
        min_size=pool_size,
        max_size=pool_size,
        kwargs={"autocommit": True, "row_factory": dict_row},
        open=False,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await pool.open(wait=True)
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(lifespan=lifespan)

    async def authenticate(conn: Any, authorization: str | None) -> None:
        token = (authorization or "").removeprefix("Bearer ")
        digest = hashlib.sha256(token.encode()).hexdigest()
        key = await (await conn.execute(_KEY_SQL, (digest,))).fetchone()
        if key is None or key["revoked_at"] is not None:
            raise HTTPException(401)

    @app.get("/healthz")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/tenants/{tenant_id}")
    async def get_tenant(
        tenant_id: uuid.UUID, authorization: str | None = Header(default=None)
    ) -> Response:
        async with pool.connection() as conn:
            await authenticate(conn, authorization)
            cur = await conn.execute(
                f"SELECT {_COLUMNS} FROM tenants WHERE id = %s",
                (tenant_id,),
            )
            row = await cur.fetchone()
        if row is None:
            raise HTTPException(404)
        return _json(row)

    @app.get("/v1/tenants")
    async def list_tenants(
        request: Request, authorization: str | None = Header(default=None)
    ) -> Response:
        params = request.query_params
        where, args = [], []
        for name, column in (("status", "status"), ("tier", "tier_key"), ("cloud", "cloud")):
            if params.get(name):
                where.append(f"{column} = %s")
                args.append(params[name])
        if params.get("cursor"):
            raw = params["cursor"] + "=" * (-len(params["cursor"]) % 4)
            cursor = json.loads(base64.urlsafe_b64decode(raw))
            where.append("(created_at, id) > (%s, %s)")
            args += [datetime.fromisoformat(cursor["c"]), uuid.UUID(cursor["i"])]
        limit = int(params.get("limit", "50"))
        stmt = f"SELECT {_COLUMNS} FROM tenants"
        if where:
            stmt += " WHERE " + " AND ".join(where)
        stmt += " ORDER BY created_at, id LIMIT %s"
        async with pool.connection() as conn:
            await authenticate(conn, authorization)
            rows = await (await conn.execute(stmt, (*args, limit + 1))).fetchall()
        return _json({"items": rows[:limit], "next_cursor": None})

    return app


def main() -> None:
    app = create_app(os.environ["BARE_DATABASE_URL"])
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["BARE_PORT"]), log_level="warning")


if __name__ == "__main__":
    main()
